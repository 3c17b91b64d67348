"""A commitment: an agreed item with a responsible organisation and contact, a due date and a status timeline."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordapp.core.time import utcnow
from coordapp.core.types import UTCDateTime
from coordapp.extensions import db

STATUSES = ("open", "done", "dropped")


class Commitment(db.Model):
    """What an organisation agreed to do, made at a meeting (its minutes) or on an issue."""

    __tablename__ = "commitments"
    __audited__ = True
    __table_args__ = (CheckConstraint("meeting_id IS NOT NULL OR issue_id IS NOT NULL", name="has_origin"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id"), index=True, info={"label": _l("Election")})
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"), index=True, info={"label": _l("Stage")})
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True, info={"label": _l("Meeting")}
    )
    issue_id: Mapped[int | None] = mapped_column(
        ForeignKey("issues.id", ondelete="CASCADE"), index=True, info={"label": _l("Issue")}
    )
    # shared with the responsible contact: agreed wording only
    text: Mapped[str] = mapped_column(Text, info={"label": _l("Commitment")})
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id"), index=True, info={"label": _l("Organization")}
    )
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True, info={"label": _l("Contact")})
    # the election's local date
    due_date: Mapped[date] = mapped_column(index=True, info={"label": _l("Due date")})
    # open|done|dropped
    status: Mapped[str] = mapped_column(String(10), default="open", index=True, info={"label": _l("Status")})
    # when it was marked done (kept on time or late)
    done_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, info={"label": _l("Done")})
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), info={"label": _l("Created by")})
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    election = relationship("Election")
    stage = relationship("Stage")
    meeting = relationship("Meeting")
    issue = relationship("Issue")
    organization = relationship("Organization")
    contact = relationship("Contact")
    created_by = relationship("User")
    events: Mapped[list["CommitmentEvent"]] = relationship(
        back_populates="commitment", order_by="CommitmentEvent.id", cascade="all, delete-orphan"
    )

    def is_overdue(self, today: date) -> bool:
        """Tell whether it is still open after its due date."""
        return self.status == "open" and self.due_date < today

    def __repr__(self) -> str:
        return f"<Commitment {self.id} {self.status} {self.due_date}>"


class CommitmentEvent(db.Model):
    """One entry on a commitment's timeline: made, progress reported, status changed."""

    __tablename__ = "commitment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # created|progress|status
    body: Mapped[str] = mapped_column(Text, default="")
    new_status: Mapped[str | None] = mapped_column(String(10))
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    commitment: Mapped[Commitment] = relationship(back_populates="events")
    author_user = relationship("User")
    author_contact = relationship("Contact")

    @property
    def author_name(self) -> str:
        """Return who wrote the entry."""
        if self.author_contact is not None:
            return f"{self.author_contact.name} ({self.author_contact.organization.label})"
        return self.author_user.name if self.author_user else "CoordApp"
