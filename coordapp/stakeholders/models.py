"""The stakeholder register: organizations and their contacts."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from coordapp.core.time import utcnow
from coordapp.core.types import UTCDateTime
from coordapp.core.validation import fold_key
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
    __audit_exclude__ = {"name_key"}  # follows name; the history shows the name

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True, info={"label": _l("Name")})
    # The name as compared: Unicode case folding, so "Örmas" and "örmas" are one organization (set with name).
    name_key: Mapped[str] = mapped_column(String(200), unique=True, index=True)
    short_name: Mapped[str] = mapped_column(String(60), default="", info={"label": _l("Short name")})
    category: Mapped[str] = mapped_column(String(20), index=True, info={"label": _l("Category"), "coded": "category"})
    # 1-5, power over the election's course
    influence: Mapped[int] = mapped_column(default=3, info={"label": _l("Influence")})
    # 1-5, stake in the election's course
    interest: Mapped[int] = mapped_column(default=3, info={"label": _l("Interest")})
    notes: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Notes")})
    website: Mapped[str] = mapped_column(String(300), default="", server_default="", info={"label": _l("Website")})
    is_active: Mapped[bool] = mapped_column(default=True, index=True, info={"label": _l("Active")})
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Optimistic lock (coordapp.core.locking): every UPDATE checks and bumps it.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    contacts: Mapped[list["Contact"]] = relationship(back_populates="organization", order_by="Contact.name")

    @validates("name")
    def _keep_name_key(self, key: str, name: str) -> str:
        self.name_key = fold_key(name)[:200]
        return name

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
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id"), index=True, info={"label": _l("Organization")}
    )
    name: Mapped[str] = mapped_column(String(120), info={"label": _l("Name")})
    position: Mapped[str] = mapped_column(String(120), default="", info={"label": _l("Position")})
    # lower case; the import matches on it
    email: Mapped[str] = mapped_column(String(254), unique=True, info={"label": _l("Email")})
    phone: Mapped[str] = mapped_column(String(40), default="", info={"label": _l("Phone")})
    language: Mapped[str] = mapped_column(String(5), default="id", info={"label": _l("Language")})
    # immediate|daily|off
    reminder_mode: Mapped[str] = mapped_column(
        String(10), default="daily", info={"label": _l("Reminders"), "coded": "reminder_mode"}
    )
    unsubscribed_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, info={"label": _l("Unsubscribed")})
    # when staff last withdrew the contact's reply links
    links_revoked_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, info={"label": _l("Reply links withdrawn")})
    is_active: Mapped[bool] = mapped_column(default=True, index=True, info={"label": _l("Active")})
    # mail-in: the address bounced (reminders pause until staff change the address, which clears it)
    bounced_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, info={"label": _l("Email not delivered")})
    bounce_reason: Mapped[str] = mapped_column(
        String(300), default="", server_default="", info={"label": _l("Why the email was not delivered")}
    )
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
            and self.bounced_dt is None
        )

    def __repr__(self) -> str:
        return f"<Contact {self.email}>"
