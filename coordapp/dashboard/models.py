"""Managers' state: saved issue filters, and the board's covering indexes."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordapp.core.time import utcnow
from coordapp.core.types import UTCDateTime
from coordapp.dashboard.sql import duration_key
from coordapp.extensions import db
from coordapp.issues.models import FollowUp, Issue
from coordapp.meetings.models import Meeting


class SavedFilter(db.Model):
    """A named issue filter a user keeps; shared ones are offered to every manager."""

    __tablename__ = "saved_filters"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    args: Mapped[dict] = mapped_column(JSON, default=dict)  # IssueFilter.to_args(), lists kept as lists
    is_shared: Mapped[bool] = mapped_column(default=False, index=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user = relationship("User")

    def __repr__(self) -> str:
        return f"<SavedFilter {self.id} {self.name!r}>"


# The board and the scorecard aggregate an election's issues stage by stage; this index holds
# every column they read, so both scan it instead of the issue rows (which carry the texts).
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

# Issues by stage: each stage's newest issues, read in index order (see stage_lists.grouped_issues).
Index(
    "ix_issues_stage_created",
    _issues.election_id,
    _issues.is_archived,
    _issues.stage_id,
    _issues.created_dt,
    _issues.id,
)

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

# The scorecard reads reminders and replies (kind) by contact, with their issue and date.
_follow_ups = FollowUp.__table__.c
Index(
    "ix_follow_ups_kind_contact",
    _follow_ups.kind,
    _follow_ups.author_contact_id,
    _follow_ups.issue_id,
    _follow_ups.created_dt,
)

# Medians walk these to the middle row of each stage, or of the election (see sql.medians). Both
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
