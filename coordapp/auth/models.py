"""Users of the application: staff, managers and admins."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from coordapp.core.time import utcnow
from coordapp.core.types import UTCDateTime
from coordapp.extensions import db


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __audited__ = True
    __audit_exclude__ = {"password_hash", "session_version", "last_login_dt"}

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
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def get_id(self) -> str:
        """Tie the login session to the session version, so bumping it logs every copy out."""
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
