"""The issue list grouped by stage: counts per stage and the first issues of each, in fixed queries.

The filter is the staff list's IssueFilter (organization category included); each stage
shows its first issues in the filter's order and links to the full list of that stage.
"""

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, union_all
from sqlalchemy.orm import joinedload, selectinload

from coordapp.dashboard.sql import dialect_name
from coordapp.elections.models import Election, Stage
from coordapp.extensions import db
from coordapp.issues.filters import PRIORITY_ORDER, SORTS, IssueFilter
from coordapp.issues.models import BOARD_GROUP, Issue

PER_STAGE = 10  # issues shown under each stage on screen ("show all" opens the stage's full list)
PRINT_PER_STAGE = 300  # and on paper; beyond that, export


@dataclass
class StageGroup:
    """One stage's share of the filtered issues."""

    stage: Stage | None
    count: int
    issues: list[Issue]
    filter: IssueFilter  # the filter narrowed to this stage, for "show all"

    @property
    def is_cut(self) -> bool:
        """Tell whether the stage has more issues than shown."""
        return self.count > len(self.issues)


def order_by(issue_filter: IssueFilter) -> list:
    """Return the ORDER BY of the filter's sort, ties broken by id in the same direction."""
    column, descending, nullable = SORTS[issue_filter.sort]
    key = column.desc() if descending else column.asc()
    if nullable:
        key = key.nulls_last()
    return [key, Issue.id.desc() if descending else Issue.id.asc()]


def grouped_issues(
    issue_filter: IssueFilter, election: Election, today: date, per_stage: int = PER_STAGE
) -> list[StageGroup]:
    """Return the filtered issues of an election grouped by stage, stages in order, stageless last.

    Three queries: the count per stage (grouped as the covering index is, see BOARD_GROUP);
    the ids of each stage's first issues (one UNION ALL of per-stage ``ORDER BY ... LIMIT``,
    which an index on stage and date answers without sorting the stage); then those issues
    with their owner and organizations.
    """
    issue_filter = replace(issue_filter, election_id=election.id)
    # SQLite reads the counts from the covering index only when grouped in its order; PostgreSQL
    # scans the table either way, and hashes 13 groups faster than a few hundred.
    group = (Issue.stage_id,) if dialect_name() == "postgresql" else BOARD_GROUP
    counts: dict = {}
    for stage_id, n in db.session.execute(
        issue_filter.apply(db.select(Issue.stage_id, func.count()), today).group_by(*group)
    ):
        counts[stage_id] = counts.get(stage_id, 0) + n
    if not counts:
        return []
    parts = []
    for stage_id in counts:
        in_stage = Issue.stage_id.is_(None) if stage_id is None else Issue.stage_id == stage_id
        first = (
            issue_filter.apply(db.select(Issue.id), today)
            .where(in_stage)
            .order_by(*order_by(issue_filter))
            .limit(per_stage)
            .subquery()
        )
        parts.append(db.select(first.c.id))
    ids = db.session.execute(union_all(*parts)).scalars().all()
    shown = (
        db.session.execute(
            db.select(Issue)
            .where(Issue.id.in_(ids))
            .options(joinedload(Issue.owner), selectinload(Issue.organizations))
        )
        .scalars()
        .all()
    )
    by_stage: dict = {}
    for issue in in_list_order(shown, issue_filter.sort):
        by_stage.setdefault(issue.stage_id, []).append(issue)
    groups = [
        StageGroup(s, counts[s.id], by_stage.get(s.id, []), replace(issue_filter, stage=[s.id]))
        for s in election.stages
        if s.id in counts
    ]
    if None in counts:
        groups.append(StageGroup(None, counts[None], by_stage.get(None, []), issue_filter))
    return groups


def in_list_order(issues: list[Issue], sort: str) -> list[Issue]:
    """Order loaded issues as order_by(sort) does: by the sort value, then id, empty values last."""
    column, descending, _ = SORTS[sort]

    def value(issue: Issue):
        if column is Issue.due_date:
            return issue.due_date
        if column is Issue.created_dt:
            return issue.created_dt
        return PRIORITY_ORDER.get(issue.priority, len(PRIORITY_ORDER))

    with_value = sorted((i for i in issues if value(i) is not None), key=lambda i: (value(i), i.id), reverse=descending)
    without = sorted((i for i in issues if value(i) is None), key=lambda i: i.id, reverse=descending)
    return with_value + without
