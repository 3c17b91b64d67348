"""Account rules: password policy, hashing, creating users, ending sessions."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from coordapp.auth.access import ROLES
from coordapp.auth.models import User
from coordapp.auth.passwords import MAX_PASSWORD, MIN_PASSWORD, password_problem  # noqa: F401  (the rule's home)
from coordapp.extensions import db

_hasher = PasswordHasher()
# A burned hash to verify against when the account does not exist, so timing tells nothing.
_DUMMY_HASH = _hasher.hash("not-a-real-password-0000")


class AccountError(ValueError):
    """A request about an account that breaks a rule; the message is translated."""


def normalise_email(email: str) -> str:
    """Check an email address and return it in lower case."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise AccountError(_("This is not a valid email address.")) from exc


def hash_password(password: str) -> str:
    """Hash a password with Argon2id."""
    return _hasher.hash(password)


def set_password(user: User, password: str) -> None:
    """Set a new password and end every other session of the user."""
    problem = password_problem(password, user.email, user.name)
    if problem:
        raise AccountError(problem)
    user.password_hash = hash_password(password)
    user.session_version += 1


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with this email and password, or None."""
    user = db.session.execute(db.select(User).filter_by(email=email.strip().lower())).scalar_one_or_none()
    stored = user.password_hash if user is not None and user.has_password else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.is_active or stored is _DUMMY_HASH:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def find_user(email: str) -> User | None:
    """Return the user with this email (any case), or None."""
    return db.session.execute(db.select(User).filter_by(email=(email or "").strip().lower())).scalar_one_or_none()


def create_user(email: str, name: str, role: str, password: str | None, language: str = "id") -> User:
    """Create a user after checking email, role and password (None: invited, no password yet); the caller commits."""
    email = normalise_email(email)
    if role not in ROLES:
        raise AccountError(_("Unknown role %(role)s; use one of: %(roles)s.", role=role, roles=", ".join(ROLES)))
    if db.session.execute(db.select(User.id).filter_by(email=email)).first():
        raise AccountError(_("A user with this email already exists."))
    problem = password_problem(password, email, name) if password is not None else None
    if problem:
        raise AccountError(problem)
    user = User(
        email=email,
        name=name or email.split("@")[0],
        role=role,
        password_hash=hash_password(password) if password is not None else "",
        language=language,
    )
    db.session.add(user)
    return user


def end_all_sessions(user: User) -> None:
    """Invalidate every session and remember cookie of the user."""
    user.session_version += 1
