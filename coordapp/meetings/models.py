"""Coordination meetings, who attended, and their minutes."""

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordapp.core.time import utcnow
from coordapp.core.types import UTCDateTime
from coordapp.extensions import db

KINDS = ("rakor", "audiensi", "fgd", "kunjungan", "lainnya")

meeting_organizations = Table(
    "meeting_organizations",
    db.metadata,
    Column("meeting_id", ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("organization_id", ForeignKey("organizations.id"), primary_key=True, index=True),
)


class Meeting(db.Model):
    __tablename__ = "meetings"
    __audited__ = True
    __audit_collections__ = {"attendees": "audit_attendees"}  # who was invited and who came, in its history

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id"), index=True)
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default="rakor", index=True)
    start_dt: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    end_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(String(200), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    is_public: Mapped[bool] = mapped_column(default=False, index=True)
    # What the public portal shows instead of the internal title and agenda (coordapp.core.visibility).
    public_title: Mapped[str] = mapped_column(String(200), default="", server_default="")
    public_summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    published_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # when it last went public
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    publish_proposed: Mapped[bool] = mapped_column(default=False, server_default=false())  # staff ask a manager
    is_archived: Mapped[bool] = mapped_column(default=False, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    election = relationship("Election")
    stage = relationship("Stage")
    created_by = relationship("User", foreign_keys=[created_by_id])
    published_by = relationship("User", foreign_keys=[published_by_id])
    organizations = relationship("Organization", secondary=meeting_organizations, order_by="Organization.name")
    attendees: Mapped[list["MeetingAttendee"]] = relationship(back_populates="meeting", cascade="all, delete-orphan")
    minutes_revisions: Mapped[list["MinutesRevision"]] = relationship(
        back_populates="meeting", order_by="MinutesRevision.id.desc()", cascade="all, delete-orphan"
    )

    @property
    def minutes(self) -> "MinutesRevision | None":
        """Return the newest minutes revision: that is the minutes."""
        return self.minutes_revisions[0] if self.minutes_revisions else None

    @staticmethod
    def audit_attendees(attendees: list["MeetingAttendee"], value) -> dict[str, list[int]]:
        """Summarize attendees for the audit trail: invited and present contacts and staff, as sorted ids."""
        fields: dict[str, list[int]] = {
            "invited_contacts": [],
            "invited_users": [],
            "attended_contacts": [],
            "attended_users": [],
        }
        for attendee in attendees:
            contact_id, user_id = value(attendee, "contact_id"), value(attendee, "user_id")
            kind, person = ("contacts", contact_id) if contact_id else ("users", user_id)
            fields[f"invited_{kind}"].append(person)
            if value(attendee, "attended"):
                fields[f"attended_{kind}"].append(person)
        return {name: sorted(ids) for name, ids in fields.items()}

    def __repr__(self) -> str:
        return f"<Meeting {self.id} {self.title!r}>"


class MeetingAttendee(db.Model):
    """One person invited to a meeting: a stakeholder contact or a staff user."""

    __tablename__ = "meeting_attendees"
    __audit_parent__ = "meeting"  # changes show in the meeting's history (Meeting.audit_attendees)
    __table_args__ = (
        UniqueConstraint("meeting_id", "contact_id"),
        UniqueConstraint("meeting_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    attended: Mapped[bool] = mapped_column(default=True)

    meeting: Mapped[Meeting] = relationship(back_populates="attendees")
    contact = relationship("Contact")
    user = relationship("User")


class MinutesRevision(db.Model):
    __tablename__ = "minutes_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="minutes_revisions")
    author = relationship("User")
