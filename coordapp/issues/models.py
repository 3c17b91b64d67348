"""Issues (kendala) raised with stakeholders, and their follow-up timeline."""

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordapp.core.time import utcnow
from coordapp.core.types import UTCDateTime
from coordapp.extensions import db

PRIORITIES = ("low", "normal", "high", "critical")
STATUSES = ("open", "in_progress", "waiting", "resolved", "closed")
UNRESOLVED = ("open", "in_progress", "waiting")
FOLLOW_UP_KINDS = ("comment", "action", "status_change", "stakeholder_reply", "reminder")

issue_organizations = Table(
    "issue_organizations",
    db.metadata,
    Column("issue_id", ForeignKey("issues.id", ondelete="CASCADE"), primary_key=True),
    Column("organization_id", ForeignKey("organizations.id"), primary_key=True, index=True),
)

issue_contacts = Table(  # the stakeholder contacts responsible for an issue
    "issue_contacts",
    db.metadata,
    Column("issue_id", ForeignKey("issues.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("contacts.id"), primary_key=True, index=True),
)


class Issue(db.Model):
    __tablename__ = "issues"
    __audited__ = True
    __table_args__ = (
        Index("ix_issues_election_status_due", "election_id", "status", "due_date"),
        Index("ix_issues_stage_status", "stage_id", "status"),
        Index("ix_issues_owner_status", "owner_id", "status"),
        # The list reads live (or archived) issues in created or due order, a page at a time by keyset:
        # these let the database walk the index instead of sorting every row.
        Index("ix_issues_archived_created", "is_archived", "created_dt", "id"),
        Index("ix_issues_archived_due", "is_archived", "due_date", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id"))
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[str] = mapped_column(String(10), default="normal", index=True)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_date: Mapped[date | None] = mapped_column(index=True)
    first_response_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)  # first follow-up by anyone
    resolved_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_public: Mapped[bool] = mapped_column(default=False, index=True)
    public_summary: Mapped[str] = mapped_column(Text, default="")
    # The title the public portal shows instead of the internal one (coordapp.core.visibility).
    public_title: Mapped[str] = mapped_column(String(200), default="", server_default="")
    published_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # when it last went public
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    publish_proposed: Mapped[bool] = mapped_column(default=False, server_default=false())  # staff ask a manager
    is_archived: Mapped[bool] = mapped_column(default=False)  # indexed with created_dt and due_date below
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    election = relationship("Election")
    stage = relationship("Stage")
    meeting = relationship("Meeting", backref="issues")
    owner = relationship("User", foreign_keys=[owner_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    published_by = relationship("User", foreign_keys=[published_by_id])
    organizations = relationship("Organization", secondary=issue_organizations, order_by="Organization.name")
    contacts = relationship("Contact", secondary=issue_contacts, order_by="Contact.name")
    follow_ups: Mapped[list["FollowUp"]] = relationship(
        back_populates="issue", order_by="FollowUp.id", cascade="all, delete-orphan"
    )

    @property
    def is_resolved(self) -> bool:
        """Tell whether the issue needs nothing more (resolved or closed)."""
        return self.status not in UNRESOLVED

    def is_overdue(self, today: date) -> bool:
        """Tell whether the issue is unresolved past its due date."""
        return not self.is_resolved and self.due_date is not None and self.due_date < today

    def __repr__(self) -> str:
        return f"<Issue {self.id} {self.status}>"


class FollowUp(db.Model):
    """One entry on an issue's timeline."""

    __tablename__ = "follow_ups"
    __table_args__ = (Index("ix_follow_ups_issue_created", "issue_id", "created_dt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20), default="comment", index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    action_due_date: Mapped[date | None]
    action_done_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    old_status: Mapped[str | None] = mapped_column(String(12))
    new_status: Mapped[str | None] = mapped_column(String(12))
    # Who may read it besides staff (coordapp.core.visibility): internal unless staff shared it.
    visibility: Mapped[str] = mapped_column(String(10), default="internal", server_default="internal")
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    issue: Mapped[Issue] = relationship(back_populates="follow_ups")
    author_user = relationship("User")
    author_contact = relationship("Contact")

    @property
    def author_name(self) -> str:
        """Return who wrote this entry, staff or stakeholder."""
        if self.author_user is not None:
            return self.author_user.name
        if self.author_contact is not None:
            return f"{self.author_contact.name} ({self.author_contact.organization.label})"
        return "CoordApp"
