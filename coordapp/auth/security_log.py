"""Security events: sign-ins, failures, lockouts, password and two-factor changes, denied requests.

Beside the audit trail (which records changes to records), this log records what happened to
accounts and sessions, with the address and browser it came from. ``record`` is the one way in.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app, has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, delete
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordapp.core.time import DEFAULT_TZ, local_to_utc, utcnow
from coordapp.core.types import UTCDateTime
from coordapp.extensions import db

EVENTS = (
    "login_success",
    "login_failure",
    "login_throttled",
    "logout",
    "logout_everywhere",
    "session_timeout",
    "password_change",
    "password_check_failure",
    "password_reset_request",
    "password_reset",
    "invitation_sent",
    "invitation_accepted",
    "invitation_revoked",
    "2fa_enabled",
    "2fa_failure",
    "2fa_reset",
    "recovery_code_used",
    "role_change",
    "deactivation",
    "access_denied",
)
EVENT_LABELS = {
    "login_success": _l("Signed in"),
    "login_failure": _l("Sign-in failed"),
    "login_throttled": _l("Sign-in slowed down (too many failures)"),
    "logout": _l("Signed out everywhere"),
    "logout_everywhere": _l("Signed out everywhere"),
    "session_timeout": _l("Session ended (idle or too long)"),
    "password_change": _l("Password changed"),
    "password_check_failure": _l("Wrong current password"),
    "password_reset_request": _l("Password reset asked"),
    "password_reset": _l("Password reset"),
    "invitation_sent": _l("Invitation sent"),
    "invitation_accepted": _l("Invitation accepted"),
    "invitation_revoked": _l("Invitation revoked"),
    "2fa_enabled": _l("Two-factor sign-in turned on"),
    "2fa_failure": _l("Wrong two-factor code"),
    "2fa_reset": _l("Two-factor sign-in reset"),
    "recovery_code_used": _l("Recovery code used"),
    "role_change": _l("Role changed"),
    "deactivation": _l("Account deactivated"),
    "access_denied": _l("Access denied"),
}
FAILURES = ("login_failure", "password_check_failure", "2fa_failure")  # what throttling counts


class SecurityEvent(db.Model):
    __tablename__ = "security_events"
    __table_args__ = (
        Index("ix_security_events_ip_created", "ip", "created_dt"),
        Index("ix_security_events_email_created", "email", "created_dt"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    event: Mapped[str] = mapped_column(String(30), index=True)  # one of EVENTS
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    email: Mapped[str] = mapped_column(String(254), default="")  # the account named (also when it does not exist)
    ip: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    detail: Mapped[str] = mapped_column(String(300), default="")  # e.g. the path of a denied request, a new role

    user = relationship("User")


def record(event: str, user=None, email: str = "", detail: str = "", now: datetime | None = None) -> SecurityEvent:
    """Add a security event for the current request (address and browser); the caller commits."""
    if event not in EVENTS:
        raise ValueError(f"unknown security event {event!r}")
    ip, agent = "", ""
    if has_request_context():
        ip = request.remote_addr or ""
        agent = (request.user_agent.string or "")[:300]
    row = SecurityEvent(
        event=event,
        user_id=getattr(user, "id", None),
        email=(email or getattr(user, "email", "") or "").strip().lower()[:254],
        ip=ip[:45],
        user_agent=agent,
        detail=detail[:300],
        created_dt=now or utcnow(),
    )
    db.session.add(row)
    return row


@dataclass
class SecurityFilter:
    event: str | None = None
    email: str | None = None
    ip: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def to_args(self) -> dict:
        """Return the query args of this filter, for url_for."""
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in vars(self).items() if v not in (None, "")}

    def statement(self, tz: str = DEFAULT_TZ):
        """Return the SELECT of the matching events, newest first; dates are local days, both ends included."""
        stmt = db.select(SecurityEvent).order_by(SecurityEvent.id.desc())
        if self.event:
            stmt = stmt.where(SecurityEvent.event == self.event)
        if self.email:
            stmt = stmt.where(SecurityEvent.email.contains(self.email.strip().lower(), autoescape=True))
        if self.ip:
            stmt = stmt.where(SecurityEvent.ip == self.ip.strip())
        if self.date_from:
            stmt = stmt.where(SecurityEvent.created_dt >= local_to_utc(datetime.combine(self.date_from, time()), tz))
        if self.date_to:
            end = datetime.combine(self.date_to + timedelta(days=1), time())
            stmt = stmt.where(SecurityEvent.created_dt < local_to_utc(end, tz))
        return stmt


def recent_sign_ins(user, limit: int = 10) -> list[SecurityEvent]:
    """Return the user's latest successful sign-ins (time, address, browser)."""
    stmt = (
        db.select(SecurityEvent)
        .where(SecurityEvent.user_id == user.id, SecurityEvent.event == "login_success")
        .order_by(SecurityEvent.id.desc())
        .limit(limit)
    )
    return list(db.session.execute(stmt).scalars())


def purge_old_events(now: datetime | None = None) -> int:
    """Delete events older than SECURITY_LOG_RETENTION_DAYS; return how many went."""
    days = current_app.config["SECURITY_LOG_RETENTION_DAYS"]
    cutoff = (now or utcnow()) - timedelta(days=days)
    return db.session.execute(delete(SecurityEvent).where(SecurityEvent.created_dt < cutoff)).rowcount
