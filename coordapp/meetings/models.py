"""Coordination meetings, who attended, and their minutes."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint, event, false
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from coordapp.core.time import utcnow
from coordapp.core.types import UTCDateTime
from coordapp.extensions import db

KINDS = ("rakor", "audiensi", "fgd", "kunjungan", "lainnya")
RSVP_ANSWERS = ("yes", "no")

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
    __audit_fields__ = {
        "invited_contacts": {"label": _l("Invited stakeholders"), "refers": "contacts"},
        "invited_users": {"label": _l("Invited staff"), "refers": "users"},
        "attended_contacts": {"label": _l("Stakeholders present"), "refers": "contacts"},
        "attended_users": {"label": _l("Staff present"), "refers": "users"},
        "rsvp_yes_contacts": {"label": _l("Stakeholders who will attend"), "refers": "contacts"},
        "rsvp_no_contacts": {"label": _l("Stakeholders who will not attend"), "refers": "contacts"},
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id"), index=True, info={"label": _l("Election")})
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"), index=True, info={"label": _l("Stage")})
    title: Mapped[str] = mapped_column(String(200), info={"label": _l("Title")})
    kind: Mapped[str] = mapped_column(
        String(16), default="rakor", index=True, info={"label": _l("Kind"), "coded": "meeting_kind"}
    )
    start_dt: Mapped[datetime] = mapped_column(UTCDateTime, index=True, info={"label": _l("Start")})
    end_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, info={"label": _l("End")})
    location: Mapped[str] = mapped_column(String(200), default="", info={"label": _l("Place")})
    online_url: Mapped[str] = mapped_column(String(500), default="", info={"label": _l("Online link")})
    agenda: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Agenda")})
    is_public: Mapped[bool] = mapped_column(default=False, index=True, info={"label": _l("Public")})
    # What the public portal shows instead of the internal title and agenda (coordapp.core.visibility).
    public_title: Mapped[str] = mapped_column(
        String(200), default="", server_default="", info={"label": _l("Public title")}
    )
    public_summary: Mapped[str] = mapped_column(
        Text, default="", server_default="", info={"label": _l("Public summary")}
    )
    # when it last went public
    published_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True, info={"label": _l("Published")})
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), info={"label": _l("Published by")})
    # staff ask a manager to publish it
    publish_proposed: Mapped[bool] = mapped_column(
        default=False, server_default=false(), info={"label": _l("Proposed for publication")}
    )
    is_archived: Mapped[bool] = mapped_column(default=False, index=True, info={"label": _l("Archived")})
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), info={"label": _l("Created by")})
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # iCalendar SEQUENCE: raised on every change of time or place
    ics_sequence: Mapped[int] = mapped_column(default=0, info={"label": _l("Invitation version")})
    # cancelled: invitees got a METHOD:CANCEL
    cancelled_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, info={"label": _l("Cancelled")})
    # Optimistic lock (coordapp.core.locking): every UPDATE checks and bumps it.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    election = relationship("Election")
    stage = relationship("Stage")
    created_by = relationship("User", foreign_keys=[created_by_id])
    published_by = relationship("User", foreign_keys=[published_by_id])
    organizations = relationship(
        "Organization",
        secondary=meeting_organizations,
        order_by="Organization.name",
        info={"label": _l("Organizations")},
    )
    attendees: Mapped[list["MeetingAttendee"]] = relationship(back_populates="meeting", cascade="all, delete-orphan")
    minutes_revisions: Mapped[list["MinutesRevision"]] = relationship(
        back_populates="meeting", order_by="MinutesRevision.id.desc()", cascade="all, delete-orphan"
    )

    @property
    def is_cancelled(self) -> bool:
        """Tell whether the meeting was called off."""
        return self.cancelled_dt is not None

    @property
    def minutes(self) -> "MinutesRevision | None":
        """Return the newest minutes revision: that is the minutes."""
        return self.minutes_revisions[0] if self.minutes_revisions else None

    @staticmethod
    def audit_attendees(attendees: list["MeetingAttendee"], value) -> dict[str, list[int]]:
        """Summarize attendees for the audit trail: invited, answered and present people, as sorted ids."""
        fields: dict[str, list[int]] = {
            "invited_contacts": [],
            "invited_users": [],
            "attended_contacts": [],
            "attended_users": [],
            "rsvp_yes_contacts": [],
            "rsvp_no_contacts": [],
        }
        for attendee in attendees:
            contact_id, user_id = value(attendee, "contact_id"), value(attendee, "user_id")
            kind, person = ("contacts", contact_id) if contact_id else ("users", user_id)
            fields[f"invited_{kind}"].append(person)
            if value(attendee, "attended"):
                fields[f"attended_{kind}"].append(person)
            if contact_id and value(attendee, "rsvp") in RSVP_ANSWERS:
                fields[f"rsvp_{value(attendee, 'rsvp')}_contacts"].append(person)
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
    rsvp: Mapped[str | None] = mapped_column(String(8))  # the invitee's answer: yes|no, None before one
    rsvp_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)

    meeting: Mapped[Meeting] = relationship(back_populates="attendees")
    contact = relationship("Contact")
    user = relationship("User")


class MinutesRevision(db.Model):
    __tablename__ = "minutes_revisions"
    # Revisions are never changed, only added: the lock is the number, unique per meeting, so of two
    # saves made from the same revision the second finds its number taken (coordapp.core.locking).
    __table_args__ = (UniqueConstraint("meeting_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)  # the shared text: sent to the attendees (core.visibility.shared_minutes)
    # staff's own notes on the meeting: never sent, shown to stakeholders or published
    internal_notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    version: Mapped[int] = mapped_column(server_default="1")  # 1, 2, 3 ... per meeting; see number_revisions
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)  # sent to the attendees: this text is shared

    meeting: Mapped[Meeting] = relationship(back_populates="minutes_revisions")
    author = relationship("User")


# Meetings held per stage, and how many are public, read from this index alone.
_meetings = Meeting.__table__.c
Index(
    "ix_meetings_board",
    _meetings.election_id,
    _meetings.is_archived,
    _meetings.stage_id,
    _meetings.start_dt,
    _meetings.is_public,
)
# The public portal lists each stage's published meetings in date order, and an election's newest publications.
Index(
    "ix_meetings_public_stage_start",
    _meetings.stage_id,
    _meetings.is_public,
    _meetings.is_archived,
    _meetings.start_dt,
    _meetings.id,
)
Index(
    "ix_meetings_public_published",
    _meetings.election_id,
    _meetings.is_public,
    _meetings.is_archived,
    _meetings.published_dt,
    _meetings.id,
)


@event.listens_for(Session, "before_flush")
def number_revisions(session: Session, flush_context, instances) -> None:
    """Number new minutes revisions that have no number yet after their meeting's last one, in the order added."""
    pending: dict[int, int] = {}
    for revision in [o for o in session.new if isinstance(o, MinutesRevision) and o.version is None]:
        meeting = revision.meeting
        if meeting is None:
            continue
        key = id(meeting)
        if key not in pending:
            stored = [r.version for r in meeting.minutes_revisions if r.version is not None]
            pending[key] = max(stored, default=0)
        pending[key] += 1
        revision.version = pending[key]
