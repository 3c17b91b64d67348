"""An account's life: invitation, first password, sign-in bookkeeping, failures, reset, role changes.

Each function changes the rows and records the security event; the caller commits.
"""

from flask import current_app

from coordapp.auth import mail, services, throttle, tokens, twofactor
from coordapp.auth.models import AccountToken, User
from coordapp.auth.security_log import record
from coordapp.core.time import utcnow


def invite(email: str, name: str, role: str, language: str = "id") -> User:
    """Create a user without a password and queue the invitation email with its one-time link."""
    user = services.create_user(email, name, role, None, language=language)
    mail.queue(user, "invitation")
    record("invitation_sent", user=user)
    return user


def resend_invitation(user: User) -> None:
    """Queue a new invitation (its link replaces the old one when it is sent)."""
    mail.queue(user, "invitation")
    record("invitation_sent", user=user, detail="resent")


def revoke_invitation(user: User) -> None:
    """Make the invitation link unusable and cancel an invitation not yet sent."""
    tokens.retire(user, tokens.INVITE)
    mail.cancel_pending(user, "invitation")
    record("invitation_revoked", user=user)


def set_first_password(token: AccountToken, password: str) -> User:
    """Set the password of an invited user from their link; the link is used up."""
    user = token.user
    services.set_password(user, password)
    tokens.retire(user, tokens.INVITE)
    record("invitation_accepted", user=user)
    return user


def request_reset(email: str) -> None:
    """Queue a reset link for an active account with this email; do nothing (visibly the same) otherwise."""
    user = services.find_user(email)
    record("password_reset_request", user=user, email=email)
    if user is not None and user.is_active and user.has_password:
        mail.queue(user, "password_reset")


def finish_reset(token: AccountToken, password: str) -> User:
    """Set a new password from a reset link: every session ends, every link dies, the owner is told."""
    user = token.user
    services.set_password(user, password)
    tokens.retire(user, tokens.RESET)
    mail.queue(user, "password_changed")
    record("password_reset", user=user)
    return user


def change_password(user: User, password: str) -> None:
    """Change a signed-in user's password (other sessions end) and tell them by email."""
    services.set_password(user, password)
    tokens.retire(user, tokens.RESET)
    mail.queue(user, "password_changed")
    record("password_change", user=user)


def signed_in(user: User, detail: str = "") -> None:
    """Record a complete sign-in: the time, the event, and no reset link outlives it."""
    user.last_login_dt = utcnow()
    tokens.retire(user, tokens.RESET)
    record("login_success", user=user, detail=detail)


def failed(event: str, email: str, ip: str) -> None:
    """Record a failed password or code; tell the owner by email once an hour after repeated failures."""
    user = services.find_user(email)
    record(event, user=user, email=email)
    if user is None or not user.is_active:
        return
    repeated = throttle.failures_of_account(email) >= current_app.config["LOGIN_NOTIFY_FAILURES"]
    if repeated and not mail.sent_recently(user, "failed_logins"):
        mail.queue(user, "failed_logins")


def reset_two_factor(user: User, admin: User) -> None:
    """Turn a user's two-factor sign-in off (lost phone); their sessions end; audited and logged."""
    twofactor.reset(user)
    services.end_all_sessions(user)
    mail.queue(user, "two_factor_changed")
    record("2fa_reset", user=user, detail=f"by {admin.email}")


def two_factor_enabled(user: User, detail: str = "") -> None:
    """Record that two-factor sign-in was turned on (or its recovery codes renewed) and tell the owner."""
    mail.queue(user, "two_factor_changed")
    record("2fa_enabled", user=user, detail=detail)


def admin_changed(user: User, was_active: bool, old_role: str) -> None:
    """Record a role change or deactivation made by an admin, and end the user's sessions."""
    if old_role != user.role:
        record("role_change", user=user, detail=f"{old_role} -> {user.role}")
    if was_active and not user.is_active:
        record("deactivation", user=user)
    if (was_active and not user.is_active) or old_role != user.role:
        services.end_all_sessions(user)
