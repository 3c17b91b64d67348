"""Issues (kendala) raised with stakeholders, and their follow-up timeline."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordapp.core.sql import duration_key
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
        # The same walk within one stage (the board's numbers link to a stage's list): without these,
        # a stage whose issues sort late is found by reading the whole index above.
        Index("ix_issues_stage_archived_created", "stage_id", "is_archived", "created_dt", "id"),
        Index("ix_issues_stage_archived_due", "stage_id", "is_archived", "due_date", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id"), info={"label": _l("Election")})
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"), info={"label": _l("Stage")})
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True, info={"label": _l("Meeting")})
    title: Mapped[str] = mapped_column(String(200), info={"label": _l("Title")})
    description: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Description")})
    priority: Mapped[str] = mapped_column(
        String(10), default="normal", index=True, info={"label": _l("Priority"), "coded": "priority"}
    )
    status: Mapped[str] = mapped_column(
        String(12), default="open", index=True, info={"label": _l("Status"), "coded": "status"}
    )
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), info={"label": _l("Owner")})
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), info={"label": _l("Created by")})
    due_date: Mapped[date | None] = mapped_column(index=True, info={"label": _l("Due date")})
    # first follow-up by anyone
    first_response_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, info={"label": _l("First response")})
    resolved_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, info={"label": _l("Resolved")})
    is_public: Mapped[bool] = mapped_column(default=False, index=True, info={"label": _l("Public")})
    public_summary: Mapped[str] = mapped_column(Text, default="", info={"label": _l("Public summary")})
    # The title the public portal shows instead of the internal one (coordapp.core.visibility).
    public_title: Mapped[str] = mapped_column(
        String(200), default="", server_default="", info={"label": _l("Public title")}
    )
    # when it last went public
    published_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True, info={"label": _l("Published")})
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), info={"label": _l("Published by")})
    # staff ask a manager to publish it
    publish_proposed: Mapped[bool] = mapped_column(
        default=False, server_default=false(), info={"label": _l("Proposed for publication")}
    )
    # indexed with created_dt and due_date below
    is_archived: Mapped[bool] = mapped_column(default=False, info={"label": _l("Archived")})
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Optimistic lock (coordapp.core.locking): every UPDATE checks and bumps it.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    election = relationship("Election")
    stage = relationship("Stage")
    meeting = relationship("Meeting", backref="issues")
    owner = relationship("User", foreign_keys=[owner_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    published_by = relationship("User", foreign_keys=[published_by_id])
    organizations = relationship(
        "Organization", secondary=issue_organizations, order_by="Organization.name", info={"label": _l("Organizations")}
    )
    contacts = relationship(
        "Contact", secondary=issue_contacts, order_by="Contact.name", info={"label": _l("Responsible contacts")}
    )
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
    # The contact a "reminder sent" entry went to; it is not the entry's author (the system is).
    recipient_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    action_due_date: Mapped[date | None]
    action_done_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    old_status: Mapped[str | None] = mapped_column(String(12))
    new_status: Mapped[str | None] = mapped_column(String(12))
    # Who may read it besides staff (coordapp.core.visibility): internal unless staff shared it.
    visibility: Mapped[str] = mapped_column(String(10), default="internal", server_default="internal")
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    issue: Mapped[Issue] = relationship(back_populates="follow_ups")
    author_user = relationship("User")
    author_contact = relationship("Contact", foreign_keys=[author_contact_id])
    recipient_contact = relationship("Contact", foreign_keys=[recipient_contact_id])

    @property
    def author_name(self) -> str:
        """Return who wrote this entry, staff or stakeholder."""
        if self.author_user is not None:
            return self.author_user.name
        if self.author_contact is not None:
            return f"{self.author_contact.name} ({self.author_contact.organization.label})"
        return "CoordApp"


# Indexes the managers' pages (coordapp/dashboard) read, declared with the table they index.
# The scorecard aggregates an election's issues stage by stage (the board reads its counts from
# coordapp.rollups instead); this index holds every column it reads, so it scans it instead of the
# issue rows (which carry the texts).
# Aggregates group by BOARD_GROUP, the index's leading columns in its order: then only this index
# yields the groups without sorting, and SQLite's planner picks it (grouped by stage alone, it
# prefers any narrower index ordered by stage and reads every table row to filter).
_issues = Issue.__table__.c
BOARD_GROUP = (_issues.election_id, _issues.is_archived, _issues.stage_id, _issues.status, _issues.priority)
Index(
    "ix_issues_board",
    _issues.election_id,
    _issues.is_archived,
    _issues.stage_id,
    _issues.status,
    _issues.priority,
    _issues.due_date,
    _issues.created_dt,
    _issues.first_response_dt,
    _issues.resolved_dt,
    _issues.is_public,
)

# The board's oldest open issue of each stage: the first entry of each (stage, unresolved status).
OPEN_AGE = Index(
    "ix_issues_open_age", _issues.election_id, _issues.is_archived, _issues.stage_id, _issues.status, _issues.created_dt
)

# The board's overdue count (the only figure it still reads from the issues, as it depends on the day): the
# unresolved issues due before today, a range of this index per status, whatever the election's size.
Index("ix_issues_overdue", _issues.election_id, _issues.is_archived, _issues.status, _issues.due_date, _issues.stage_id)

# A stage's issues in the order they were raised, read in index order (the list filtered by stage, the board).
Index(
    "ix_issues_stage_created",
    _issues.election_id,
    _issues.is_archived,
    _issues.stage_id,
    _issues.created_dt,
    _issues.id,
)

# The scorecard reads reminders and replies (kind) by contact, with their issue and date.
_follow_ups = FollowUp.__table__.c
Index(
    "ix_follow_ups_kind_contact",
    _follow_ups.kind,
    _follow_ups.author_contact_id,
    _follow_ups.issue_id,
    _follow_ups.created_dt,
)
Index(  # the same for reminders, whose contact is their recipient; it covers everything the scorecard reads
    "ix_follow_ups_kind_recipient",
    _follow_ups.kind,
    _follow_ups.recipient_contact_id,
    _follow_ups.author_contact_id,
    _follow_ups.issue_id,
    _follow_ups.created_dt,
)

# Medians walk these to the middle row of each stage, or of the election (coordapp/dashboard/sql.py, medians). Both
# timestamps of the duration are in the index, so PostgreSQL walks it without reading the table.
for _name, _end in (("response", _issues.first_response_dt), ("resolution", _issues.resolved_dt)):
    _key = duration_key(_end, _issues.created_dt)
    Index(
        f"ix_issues_{_name}_by_stage",
        _issues.election_id,
        _issues.is_archived,
        _issues.stage_id,
        _key,
        _issues.created_dt,
        _end,
    )
    Index(f"ix_issues_{_name}", _issues.election_id, _issues.is_archived, _key, _issues.created_dt, _end)

# The public portal (coordapp/public) reads published issues only: each stage's in created order, an election's
# newest publications, and per-stage counts and median days to resolve of the published ones, from these alone.
Index(
    "ix_issues_public_stage_created",
    _issues.stage_id,
    _issues.is_public,
    _issues.is_archived,
    _issues.created_dt,
    _issues.id,
)
Index(
    "ix_issues_public_published",
    _issues.election_id,
    _issues.is_public,
    _issues.is_archived,
    _issues.published_dt,
    _issues.id,
)
PUBLIC_RESOLUTION = duration_key(_issues.resolved_dt, _issues.created_dt)
Index(
    "ix_issues_public_resolution_by_stage",
    _issues.election_id,
    _issues.is_public,
    _issues.is_archived,
    _issues.stage_id,
    PUBLIC_RESOLUTION,
    _issues.created_dt,
    _issues.resolved_dt,
    _issues.status,
)
Index(
    "ix_issues_public_resolution",
    _issues.election_id,
    _issues.is_public,
    _issues.is_archived,
    PUBLIC_RESOLUTION,
    _issues.created_dt,
    _issues.resolved_dt,
    _issues.status,
)
