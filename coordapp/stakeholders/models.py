"""The stakeholder register: organizations and their contacts."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordapp.core.time import utcnow
from coordapp.core.types import UTCDateTime
from coordapp.extensions import db

CATEGORIES = (
    "supervisory",
    "election_body",
    "government",
    "legislature",
    "security",
    "party",
    "candidate_team",
    "adhoc_body",
    "media",
    "civil_society",
    "academia",
    "community",
)
REMINDER_MODES = ("immediate", "daily", "off")


class Organization(db.Model):
    __tablename__ = "organizations"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str] = mapped_column(String(60), default="")
    category: Mapped[str] = mapped_column(String(20), index=True)
    influence: Mapped[int] = mapped_column(default=3)  # 1-5, power over the election's course
    interest: Mapped[int] = mapped_column(default=3)  # 1-5, stake in the election's course
    notes: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool] = mapped_column(default=True, index=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Optimistic lock (coordapp.core.locking): every UPDATE checks and bumps it.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    contacts: Mapped[list["Contact"]] = relationship(back_populates="organization", order_by="Contact.name")

    @property
    def label(self) -> str:
        """Return the short name where there is one."""
        return self.short_name or self.name

    def __repr__(self) -> str:
        return f"<Organization {self.label}>"


class Contact(db.Model):
    __tablename__ = "contacts"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254), unique=True)  # lower case; the import matches on it
    phone: Mapped[str] = mapped_column(String(40), default="")
    language: Mapped[str] = mapped_column(String(5), default="id")
    reminder_mode: Mapped[str] = mapped_column(String(10), default="daily")  # immediate|daily|off
    unsubscribed_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_active: Mapped[bool] = mapped_column(default=True, index=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Optimistic lock (coordapp.core.locking): every UPDATE checks and bumps it.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    organization: Mapped[Organization] = relationship(back_populates="contacts")

    @property
    def wants_reminders(self) -> bool:
        """Tell whether this contact may be sent reminders at all (a deactivated organization silences its contacts)."""
        return (
            self.is_active
            and self.organization.is_active
            and self.reminder_mode != "off"
            and self.unsubscribed_dt is None
        )

    def __repr__(self) -> str:
        return f"<Contact {self.email}>"
