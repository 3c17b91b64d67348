"""The issue list grouped by stage: counts per stage and the first issues of each, in fixed queries.

The filter is the staff list's IssueFilter (organization category included); each stage
shows its first issues in the filter's order and links to the full list of that stage.
"""
from dataclasses import dataclass, replace
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlalchemy.orm import joinedload, selectinload

from coordapp.auth.models import User
from coordapp.elections.models import Election, Stage
from coordapp.extensions import db
from coordapp.issues.filters import SORTS, IssueFilter
from coordapp.issues.models import Issue
from coordapp.stakeholders.models import Organization

SORT_CHOICES = [
    ("-created", _l("Newest first")), ("created", _l("Oldest first")),
    ("due", _l("Due date, earliest first")), ("-due", _l("Due date, latest first")),
    ("priority", _l("Most urgent first")), ("-priority", _l("Least urgent first")),
]
PER_STAGE = 20  # issues shown under each stage on screen
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


def grouped_issues(issue_filter: IssueFilter, election: Election, today: date, per_stage: int = PER_STAGE) -> list[StageGroup]:
    """Return the filtered issues of an election grouped by stage, stages in order, stageless last."""
    issue_filter = replace(issue_filter, election_id=election.id)
    counts = dict(db.session.execute(
        issue_filter.apply(db.select(Issue.stage_id, func.count()), today).group_by(Issue.stage_id)
    ).all())
    if not counts:
        return []
    ranked = issue_filter.apply(
        db.select(Issue.id, func.row_number().over(partition_by=Issue.stage_id, order_by=order_by(issue_filter)).label("rn")),
        today,
    ).subquery()
    shown = db.session.execute(
        db.select(Issue).join(ranked, ranked.c.id == Issue.id).where(ranked.c.rn <= per_stage)
        .options(joinedload(Issue.owner), selectinload(Issue.organizations)).order_by(ranked.c.rn)
    ).scalars().all()
    by_stage: dict = {}
    for issue in shown:
        by_stage.setdefault(issue.stage_id, []).append(issue)
    groups = [StageGroup(s, counts[s.id], by_stage.get(s.id, []), replace(issue_filter, stage=[s.id]))
              for s in election.stages if s.id in counts]
    if None in counts:
        groups.append(StageGroup(None, counts[None], by_stage.get(None, []), issue_filter))
    return groups


def filter_options() -> dict:
    """Return the choices of the filter form: active organizations and the people who can own issues."""
    organizations = db.session.execute(
        db.select(Organization.id, Organization.name).where(Organization.is_active.is_(True)).order_by(Organization.name)
    ).all()
    owners = db.session.execute(
        db.select(User.id, User.name).where(User.is_active.is_(True)).order_by(User.name)
    ).all()
    return {"organizations": organizations, "owners": owners,
            "sorts": [(key, text) for key, text in SORT_CHOICES if key in SORTS]}
