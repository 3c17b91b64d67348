"""What the portal counts: per-stage figures and the five indicators, from published records only.

Everything is aggregated in the database, in a fixed number of statements whatever the number of
rows: one grouped count of the published issues (and one of the meetings) per stage, the medians
by walking an index to its middle row (``coordapp.dashboard.sql.medians``, indexes beside the
Issue model), the organisations by an EXISTS per organisation. Nothing here reads an internal
field: only what a published record shows (status, when it was raised and resolved, its stage and
organisations), the stages' dates, and the figures frozen in published accountability reports.
"""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, exists, func, literal

from coordapp.core.sql import duration_key
from coordapp.core.time import local_to_utc, to_local, utcnow
from coordapp.dashboard.sql import dialect_name, medians
from coordapp.elections.models import Election, Stage
from coordapp.extensions import db
from coordapp.issues.models import UNRESOLVED, Issue, issue_organizations
from coordapp.meetings.models import Meeting, meeting_organizations
from coordapp.public.queries import PUBLISHED_ISSUE, PUBLISHED_MEETING
from coordapp.reports.models import PUBLISHED, AccountabilityReport, ReportVersion
from coordapp.stakeholders.models import Organization

RESOLVED = Issue.status.notin_(UNRESOLVED)
RESOLUTION = duration_key(Issue.resolved_dt, Issue.created_dt)


@dataclass
class StageFigures:
    """What the public sees counted for one stage (or a whole election)."""

    meetings: int = 0
    meetings_held: int = 0
    issues: int = 0
    resolved: int = 0
    timed: int = 0  # resolved with a resolution time: what the median is over
    in_stages_over: int = 0  # issues of stages that are over
    resolved_by_stage_end: int = 0
    open_after_stage_end: int = 0
    organizations: int = 0
    median_days: float | None = None

    def add(self, other: "StageFigures") -> None:
        """Add other's counts to these (medians are not added)."""
        for name in (
            "meetings",
            "meetings_held",
            "issues",
            "resolved",
            "timed",
            "in_stages_over",
            "resolved_by_stage_end",
            "open_after_stage_end",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def stage_end_utc(election: Election, stage: Stage) -> datetime:
    """Return the instant a stage's last day ends, in UTC."""
    return local_to_utc(datetime.combine(stage.end_date + timedelta(days=1), time()), election.timezone)


def stages_over(election: Election, today: date) -> list[Stage]:
    """Return the stages whose last day is before today."""
    return [s for s in election.stages if s.end_date and s.end_date < today]


def plain_plans() -> None:
    """On PostgreSQL, plan this transaction's short aggregates without JIT compilation and parallel workers.

    The portal's aggregates read a few tens of thousands of index entries (~15 ms), but their estimated costs
    cross ``jit_above_cost`` and the parallel thresholds: compiling (~35 ms) and starting workers (up to 100 ms on
    a busy host) cost more than they save. ``set_config(..., true)`` holds until the transaction (the request) ends.
    """
    if dialect_name() == "postgresql":
        db.session.execute(
            db.select(
                func.set_config("jit", "off", True), func.set_config("max_parallel_workers_per_gather", "0", True)
            )
        )


def _sum(condition) -> object:
    return func.sum(case((condition, 1), else_=0))


def figures(
    election: Election, today: date, stage: Stage | None = None
) -> tuple[dict[int | None, StageFigures], StageFigures]:
    """Count the published meetings and issues per stage and in all (or of one stage), with median days to resolve."""
    per_stage: dict[int | None, StageFigures] = {s.id: StageFigures() for s in election.stages}
    total = StageFigures()
    in_meetings = [Meeting.election_id == election.id, PUBLISHED_MEETING]
    in_issues = [Issue.election_id == election.id, PUBLISHED_ISSUE]
    if stage is not None:
        in_meetings.append(Meeting.stage_id == stage.id)
        in_issues.append(Issue.stage_id == stage.id)
    plain_plans()
    now = utcnow()
    for stage_id, n, held in db.session.execute(
        db.select(Meeting.stage_id, func.count(), _sum(Meeting.start_dt <= now))
        .where(*in_meetings)
        .group_by(Meeting.stage_id)
    ):
        row = per_stage.setdefault(stage_id, StageFigures())
        row.meetings, row.meetings_held = n, int(held or 0)
    over = stages_over(election, today)
    over_ids = [s.id for s in over]
    in_over = Issue.stage_id.in_(over_ids) if over_ids else literal(False)
    by_end = [(and_(Issue.stage_id == s.id, Issue.resolved_dt < stage_end_utc(election, s)), 1) for s in over]
    timed = and_(RESOLVED, Issue.resolved_dt.is_not(None))
    for stage_id, n, done, with_time, of_over, on_time, late in db.session.execute(
        db.select(
            Issue.stage_id,
            func.count(),
            _sum(RESOLVED),
            _sum(timed),
            _sum(in_over),
            func.sum(case(*by_end, else_=0)) if by_end else literal(0),
            _sum(and_(in_over, Issue.status.in_(UNRESOLVED))),
        )
        .where(*in_issues)
        .group_by(Issue.stage_id)
    ):
        row = per_stage.setdefault(stage_id, StageFigures())
        row.issues, row.resolved, row.timed = n, int(done or 0), int(with_time or 0)
        row.in_stages_over, row.resolved_by_stage_end = int(of_over or 0), int(on_time or 0)
        row.open_after_stage_end = int(late or 0)
    for row in per_stage.values():
        total.add(row)
    _medians(in_issues, per_stage, total)
    total.organizations = organizations_engaged(election) if stage is None else 0
    return per_stage, total


def _medians(in_issues: list, per_stage: dict, total: StageFigures) -> None:
    """Fill in the median days to resolve of each stage and of all (two statements at most)."""
    scope = (*in_issues, RESOLVED)
    keys = {"resolution": RESOLUTION}
    counts = {stage_id: {"resolution": row.timed} for stage_id, row in per_stage.items() if row.timed}
    if counts:
        for stage_id, values in medians(keys, counts, scope, group=Issue.stage_id).items():
            per_stage[stage_id].median_days = _rounded(values["resolution"])
    if len(counts) == 1:  # one stage: its median is the whole's
        total.median_days = per_stage[next(iter(counts))].median_days
    elif total.timed:
        total.median_days = _rounded(medians(keys, {None: {"resolution": total.timed}}, scope)[None]["resolution"])


def _rounded(value: float | None) -> float | None:
    return round(max(value, 0.0), 1) if value is not None else None


def organizations_engaged(election: Election) -> int:
    """Count the organisations named on a published meeting or issue of the election."""
    at_meeting = exists().where(
        meeting_organizations.c.organization_id == Organization.id,
        Meeting.id == meeting_organizations.c.meeting_id,
        Meeting.election_id == election.id,
        PUBLISHED_MEETING,
    )
    on_issue = exists().where(
        issue_organizations.c.organization_id == Organization.id,
        Issue.id == issue_organizations.c.issue_id,
        Issue.election_id == election.id,
        PUBLISHED_ISSUE,
    )
    return db.session.scalar(db.select(func.count()).select_from(Organization).where(at_meeting | on_issue)) or 0


@dataclass
class ReportFigures:
    """What the published accountability reports of an election show."""

    reports: int = 0
    stage_reports: int = 0
    stages_reported: int = 0  # stages that are over and have a published report
    median_lag_days: float | None = None
    reported: dict | None = None  # the figures frozen in the newest published whole-election report


def report_figures(election: Election, today: date) -> ReportFigures:
    """Read the published reports of an election: how many, how soon after their stage, their frozen figures."""
    published = exists().where(ReportVersion.report_id == AccountabilityReport.id, ReportVersion.status == PUBLISHED)
    rows = db.session.execute(
        db.select(AccountabilityReport.stage_id, AccountabilityReport.published_dt).where(
            AccountabilityReport.election_id == election.id, published
        )
    ).all()
    result = ReportFigures(reports=len(rows), stage_reports=sum(1 for r in rows if r.stage_id is not None))
    first: dict[int, datetime] = {}
    for stage_id, published_dt in rows:
        if stage_id is not None and published_dt is not None:
            first[stage_id] = min(first.get(stage_id, published_dt), published_dt)
    lags = []
    for stage in stages_over(election, today):
        if stage.id in first:
            lags.append(max((to_local(first[stage.id], election.timezone).date() - stage.end_date).days, 0))
    result.stages_reported = len(lags)
    result.median_lag_days = float(statistics.median(lags)) if lags else None
    result.reported = db.session.scalar(
        db.select(ReportVersion.figures)
        .join(AccountabilityReport, AccountabilityReport.id == ReportVersion.report_id)
        .where(
            AccountabilityReport.election_id == election.id,
            AccountabilityReport.stage_id.is_(None),
            ReportVersion.status == PUBLISHED,
        )
        .order_by(ReportVersion.published_dt.desc(), ReportVersion.id.desc())
        .limit(1)
    )
    return result
