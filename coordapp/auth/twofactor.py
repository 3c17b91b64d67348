"""Two-factor sign-in: TOTP (RFC 6238) with an authenticator app, and ten single-use recovery codes.

The secret is kept on the user from enrolment on, but sign-in asks for a code only once a first
code has confirmed it. A code is accepted once: the time step of the last accepted one is kept.
"""

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
import segno
from flask import current_app
from markupsafe import Markup
from sqlalchemy import delete, update

from coordapp.auth.models import RecoveryCode, User
from coordapp.core.time import utcnow
from coordapp.extensions import db

ISSUER = "CoordApp"
RECOVERY_CODES = 10
_STEP = 30


def required_for(user: User) -> bool:
    """Tell whether this user's role must sign in with a second factor (REQUIRE_2FA_FOR)."""
    return user.role in current_app.config["REQUIRE_2FA_FOR"]


def start_enrolment(user: User) -> str:
    """Give the user a new secret (not yet in force) and return it."""
    user.totp_secret = pyotp.random_base32()
    user.totp_enabled_dt = None
    user.totp_last_step = None
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    """Return the otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(user: User) -> Markup:
    """Return the QR code of the provisioning address as inline SVG, made here (nothing leaves the server)."""
    svg = segno.make(provisioning_uri(user), error="m").svg_inline(scale=5, dark="#1d2430", light="#ffffff")
    return Markup(svg)


def _accept_code(user: User, code: str, now: datetime) -> bool:
    code = "".join(ch for ch in code or "" if ch.isdigit())
    if not user.totp_secret or len(code) != 6:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    for offset in (0, -1, 1):  # the current step and one either side, for clock drift
        at = now.timestamp() + offset * _STEP
        step = int(at // _STEP)
        if hmac.compare_digest(totp.at(at), code) and (user.totp_last_step is None or step > user.totp_last_step):
            user.totp_last_step = step
            return True
    return False


def confirm_enrolment(user: User, code: str, now: datetime | None = None) -> list[str] | None:
    """Turn two-factor sign-in on when code matches the new secret; return the new recovery codes, else None."""
    now = now or utcnow()
    if user.totp_secret is None or not _accept_code(user, code, now):
        return None
    user.totp_enabled_dt = now
    return new_recovery_codes(user)


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().replace("-", "").encode()).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones and return them (shown once; only hashes are kept)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = secrets.token_hex(5).upper()
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash(raw)))
    return codes


def verify(user: User, code: str, now: datetime | None = None) -> str | None:
    """Check a sign-in code: return "totp" or "recovery" when it is accepted (a recovery code is used up), else None."""
    now = now or utcnow()
    if _accept_code(user, code, now):
        return "totp"
    if not code or len(code) > 20:
        return None
    used = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(code), RecoveryCode.used_dt.is_(None))
        .values(used_dt=now)
        .execution_options(synchronize_session=False)
    )
    return "recovery" if used.rowcount == 1 else None


def remaining_recovery_codes(user: User) -> int:
    """Count the user's unused recovery codes."""
    stmt = db.select(db.func.count()).where(RecoveryCode.user_id == user.id, RecoveryCode.used_dt.is_(None))
    return db.session.execute(stmt).scalar_one()


def reset(user: User) -> None:
    """Turn two-factor sign-in off and forget the secret and codes (an admin's reset for a lost phone)."""
    user.totp_secret = None
    user.totp_enabled_dt = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
