"""The issue roll-ups: how many live issues each (election, stage, status, priority, owner) holds."""

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, func, literal_column
from sqlalchemy.orm import Mapped, mapped_column

from coordapp.extensions import db


class IssueRollup(db.Model):
    """The counts of one group of an election's issues, archived ones left out, kept by every write.

    Derived data: coordapp.rollups.tracking keeps it exact in the transaction of each write, and
    ``flask rollups verify`` / ``rebuild`` compare it with, and rebuild it from, a recount.
    """

    __tablename__ = "issue_rollups"

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"))
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(12))
    priority: Mapped[str] = mapped_column(String(10))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # issues in the group
    n: Mapped[int] = mapped_column(default=0, server_default="0")
    # of them, those with a first response (first_response_dt set)
    responded: Mapped[int] = mapped_column(default=0, server_default="0")
    # of them, those with a resolution time (resolved_dt set)
    resolved: Mapped[int] = mapped_column(default=0, server_default="0")


# One row per group. A unique key over nullable columns would let NULLs repeat (both databases treat them as
# distinct), so the key reads them as 0, and an upsert names the same expressions (tracking.upsert_deltas).
_c = IssueRollup.__table__.c
GROUP_KEY = (
    _c.election_id,
    func.coalesce(_c.stage_id, literal_column("0")),
    _c.status,
    _c.priority,
    func.coalesce(_c.owner_id, literal_column("0")),
)
Index("ux_issue_rollups_group", *GROUP_KEY, unique=True)
# The board sums an election's rows per (stage, status, priority) over the owners: in this index's order, from it alone.
Index("ix_issue_rollups_board", _c.election_id, _c.stage_id, _c.status, _c.priority, _c.n, _c.responded, _c.resolved)
GROUP = ("election_id", "stage_id", "status", "priority", "owner_id")
COUNTS = ("n", "responded", "resolved")


class IssueDayCount(db.Model):
    """How many issues of an election's stage count under a chart's day (coordapp.rollups.day_counts)."""

    __tablename__ = "issue_day_counts"
    __table_args__ = (UniqueConstraint("election_id", "stage_key", "measure", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"))
    stage_key: Mapped[int] = mapped_column()  # the stage's id, 0 for issues without a stage
    measure: Mapped[str] = mapped_column(String(12))
    day: Mapped[int] = mapped_column()  # a date's ordinal, or whole days for the durations
    n: Mapped[int] = mapped_column(default=0)
