"""Users of the application: staff, managers and admins."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordapp.core.time import utcnow
from coordapp.core.types import UTCDateTime
from coordapp.extensions import db


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __audited__ = True
    __audit_exclude__ = {"password_hash", "session_version", "last_login_dt", "totp_secret", "totp_last_step"}

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, info={"label": _l("Email")})  # always lower case
    name: Mapped[str] = mapped_column(String(120), info={"label": _l("Name")})
    password_hash: Mapped[str] = mapped_column(String(255))
    # admin|manager|staff
    role: Mapped[str] = mapped_column(
        String(16), default="staff", index=True, info={"label": _l("Role"), "coded": "role"}
    )
    is_active: Mapped[bool] = mapped_column(default=True, info={"label": _l("Active")})
    session_version: Mapped[int] = mapped_column(default=1)  # bumped to end every session
    language: Mapped[str] = mapped_column(String(5), default="id", info={"label": _l("Language")})
    # none|immediate|daily: email about the inbox's notifications (coordapp.notifications)
    email_notifications: Mapped[str] = mapped_column(
        String(10),
        default="immediate",
        server_default="immediate",
        info={"label": _l("Email about my notifications"), "coded": "email_notifications"},
    )
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_secret: Mapped[str | None] = mapped_column(String(64))  # base32; set at enrolment, checked before enabled
    # two-factor sign-in is on since then
    totp_enabled_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime, info={"label": _l("Two-factor sign-in since")}
    )
    totp_last_step: Mapped[int | None]  # the last accepted code's time step: a code is never accepted twice

    @property
    def has_password(self) -> bool:
        """Tell whether the user has set a password (an invited user has not yet)."""
        return bool(self.password_hash)

    @property
    def has_two_factor(self) -> bool:
        """Tell whether sign-in asks this user for a second factor."""
        return self.totp_enabled_dt is not None

    def get_id(self) -> str:
        """Tie the login session to the session version, so bumping it logs every copy out."""
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class AccountToken(db.Model):
    """A one-time link to set a password (invitation or reset): only the SHA-256 of its token is kept."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(12))  # invite|reset
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    used_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)  # used, revoked or replaced

    user = relationship("User")


class RecoveryCode(db.Model):
    """A single-use code that stands in for the authenticator app; only its SHA-256 is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AccountEmail(db.Model):
    """One email about a user's own account (invitation, reset, notices), sent after commit by a task.

    The link of an invitation or reset is made when the email is sent, so no usable token is ever stored.
    """

    __tablename__ = "account_emails"
    __table_args__ = (Index("ix_account_emails_user_kind", "user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    recipient_email: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(
        String(20)
    )  # invitation|password_reset|password_changed|failed_logins|two_factor_changed
    language: Mapped[str] = mapped_column(String(5), default="id")
    status: Mapped[str] = mapped_column(
        String(12), default="pending", index=True
    )  # pending|sending|sent|failed|cancelled
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User")
