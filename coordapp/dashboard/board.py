"""The stage board: each stage's issues by status, overdue, oldest open, medians, meetings held.

Built with a fixed number of aggregate queries whatever the number of stages or issues:
one for the issue counts of every stage (the roll-ups, and the day's overdue issues), one
for the medians of every stage, one for the election-wide medians, one for the meetings held.
Every figure comes with the IssueFilter that lists exactly the issues it counts,
so the page can link each number to the list.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import String, func, literal, union_all

from coordapp.commitments.queries import stage_counts as commitment_counts
from coordapp.core.time import local_to_utc, to_local
from coordapp.dashboard.sql import as_utc, duration_key, medians
from coordapp.elections.models import PHASES, Election, Stage
from coordapp.extensions import db
from coordapp.issues.filters import IssueFilter
from coordapp.issues.models import STATUSES, UNRESOLVED, Issue
from coordapp.meetings.models import Meeting
from coordapp.meetings.queries import MeetingFilter
from coordapp.rollups.models import IssueRollup

URGENT = ("high", "critical")
RISK_DAYS = 7  # a stage ending within this many days with urgent open issues is at risk


@dataclass
class StageFigures:
    """The board's figures for one stage (or, with stage None, for the whole election)."""

    election_id: int
    stage: Stage | None
    by_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    overdue: int = 0
    open_urgent: int = 0
    oldest_open_dt: datetime | None = None
    oldest_open_id: int | None = None  # the issue raised at oldest_open_dt
    median_response_days: float | None = None
    median_resolution_days: float | None = None
    meetings_held: int = 0
    commitments: dict = field(
        default_factory=lambda: {"made": 0, "kept": 0, "overdue": 0}
    )  # made, kept on time, overdue
    is_current: bool = False
    at_risk: bool = False

    @property
    def total(self) -> int:
        """Count every issue of the stage."""
        return sum(self.by_status.values())

    def oldest_open_days(self, today: date, tz: str) -> int | None:
        """Return how many days the oldest unresolved issue has been open."""
        if self.oldest_open_dt is None:
            return None
        return max((today - to_local(self.oldest_open_dt, tz).date()).days, 0)

    def segments(self) -> list[tuple[str, int, float]]:
        """Return (status, count, percent of the stage's issues) for the stacked bar."""
        total = self.total
        return [(s, n, 100.0 * n / total) for s, n in self.by_status.items() if n and total]

    # The issue list filtered to exactly the issues behind each number.
    def issues(self, **fields) -> IssueFilter:
        """Return the filter of this stage's issues (every status unless fields say), narrowed by fields."""
        stage = [self.stage.id] if self.stage is not None else []
        fields.setdefault("status", [])
        return IssueFilter(election_id=self.election_id, stage=stage, **fields)

    def status_filter(self, status: str) -> IssueFilter:
        return self.issues(status=[status])

    def overdue_filter(self) -> IssueFilter:
        return self.issues(overdue=True)

    def open_filter(self, sort: str = "created") -> IssueFilter:
        return self.issues(status=list(UNRESOLVED), sort=sort)

    def urgent_filter(self) -> IssueFilter:
        return self.issues(status=list(UNRESOLVED), priority=list(URGENT))

    def resolved_filter(self) -> IssueFilter:
        return self.issues(status=[s for s in STATUSES if s not in UNRESOLVED])


@dataclass
class Board:
    """An election's stage board on a given day."""

    election: Election
    today: date
    stages: list[StageFigures]
    total: StageFigures

    @property
    def current(self) -> StageFigures | None:
        """Return the figures of the current stage."""
        return next((s for s in self.stages if s.is_current), None)

    def meetings_args(self, figures: StageFigures) -> dict:
        """Return the meeting list's query args for the meetings counted as held in figures."""
        stage_id = figures.stage.id if figures.stage is not None else None
        return MeetingFilter(election=self.election.id, stage=stage_id, date_to=self.today).to_args()

    def phases(self) -> list[tuple[str, list[StageFigures]]]:
        """Group the stages by phase, in stage order."""
        grouped = [(phase, [s for s in self.stages if s.stage.phase == phase]) for phase in PHASES]
        others = [s for s in self.stages if s.stage.phase not in PHASES]
        return [(p, rows) for p, rows in grouped if rows] + ([("", others)] if others else [])


def _issue_counts(election: Election, today: date) -> dict[int | None, dict]:
    """Count each stage's issues by status, overdue, urgent open, and with a response or resolution.

    One statement of two parts: every count but the overdue one comes from the roll-ups (coordapp.rollups,
    kept exact by every write), a few rows per stage; the overdue count depends on the day, so it is
    counted from the issues themselves, a slice of the index ix_issues_overdue per unresolved status.
    """
    r = IssueRollup.__table__.c
    rolled = (
        db.select(
            r.stage_id,
            r.status,
            r.priority,
            func.sum(r.n),
            literal(0),
            func.sum(r.responded),
            func.sum(r.resolved),
        )
        .where(r.election_id == election.id)
        .group_by(r.stage_id, r.status, r.priority)
        .having(func.sum(r.n) != 0)
    )
    overdue = (
        db.select(
            Issue.stage_id, Issue.status, literal(None, String()), literal(0), func.count(), literal(0), literal(0)
        )
        .where(
            Issue.election_id == election.id,
            Issue.is_archived.is_(False),
            Issue.status.in_(UNRESOLVED),
            Issue.due_date < today,
        )
        .group_by(Issue.stage_id, Issue.status)
    )
    stmt = union_all(rolled, overdue)
    counts: dict = {}
    for stage_id, status, priority, n, late, responded, resolved in db.session.execute(stmt):
        n, late, responded, resolved = int(n), int(late), int(responded), int(resolved)
        c = counts.setdefault(
            stage_id,
            {
                "by_status": dict.fromkeys(STATUSES, 0),
                "overdue": 0,
                "open_urgent": 0,
                "oldest": None,
                "oldest_id": None,
                "durations": {"response": 0, "resolution": 0},
            },
        )
        c["by_status"][status] = c["by_status"].get(status, 0) + n
        c["durations"]["response"] += responded
        c["durations"]["resolution"] += resolved
        if status in UNRESOLVED:
            c["overdue"] += int(late or 0)
            c["open_urgent"] += n if priority in URGENT else 0
    for stage_id, (oldest, issue_id) in _oldest_open(election, counts).items():
        counts[stage_id]["oldest"], counts[stage_id]["oldest_id"] = oldest, issue_id
    return counts


def _oldest_open(election: Election, counts: dict) -> dict:
    """Return when each stage's oldest unresolved issue was raised, and its id: {stage id: (created_dt, id)}.

    A minimum over every row per stage would scan the election's issues. Instead, for each
    (stage, unresolved status) that has issues, a correlated subquery reads the first entry of
    its slice of the index issues.models.OPEN_AGE: one statement, planned once whatever the number of
    stages (a UNION ALL of a subquery per pair costs PostgreSQL more to plan than to run).
    """
    scope = (Issue.election_id == election.id, Issue.is_archived.is_(False))
    pairs = [(stage_id, status) for stage_id, c in counts.items() for status in UNRESOLVED if c["by_status"][status]]
    parts = []
    staged = [(stage_id, status) for stage_id, status in pairs if stage_id is not None]
    if staged:
        wanted = union_all(
            *[
                db.select(literal(stage_id).label("stage_id"), literal(status).label("status"))
                for stage_id, status in staged
            ]
        ).subquery("wanted")
        first = (
            db.select(Issue.id)
            .where(*scope, Issue.stage_id == wanted.c.stage_id, Issue.status == wanted.c.status)
            .order_by(Issue.created_dt)
            .limit(1)
            .scalar_subquery()
        )
        picked = db.select(wanted.c.stage_id, first.label("issue_id")).subquery("picked")
        parts.append(
            db.select(picked.c.stage_id, Issue.created_dt, Issue.id).join(Issue, Issue.id == picked.c.issue_id)
        )
    for status in (status for stage_id, status in pairs if stage_id is None):
        first = (
            db.select(Issue.stage_id, Issue.created_dt, Issue.id)
            .where(*scope, Issue.stage_id.is_(None), Issue.status == status)
            .order_by(Issue.created_dt)
            .limit(1)
            .subquery()
        )
        parts.append(db.select(first.c.stage_id, first.c.created_dt, first.c.id))
    oldest: dict = {}
    for stage_id, created, issue_id in db.session.execute(union_all(*parts)) if parts else ():
        created = as_utc(created)
        if stage_id not in oldest or created < oldest[stage_id][0]:
            oldest[stage_id] = (created, issue_id)
    return oldest


def held_before(election: Election, today: date) -> datetime:
    """Return the UTC instant up to which meetings count as held: the end of today, locally.

    The meeting list filtered to dates up to today shows exactly these meetings.
    """
    return local_to_utc(datetime.combine(today + timedelta(days=1), time()), election.timezone)


def _meetings_held(election: Election, today: date) -> dict:
    stmt = (
        db.select(Meeting.stage_id, func.count())
        .where(
            Meeting.election_id == election.id,
            Meeting.is_archived.is_(False),
            Meeting.start_dt < held_before(election, today),
        )
        .group_by(Meeting.stage_id)
    )
    return dict(db.session.execute(stmt).all())


def issue_medians(election: Election, counts: dict, where: tuple = (), by_stage: bool = True) -> dict:
    """Return medians of days to first response and to resolution, per stage or overall.

    counts maps each stage id (or None overall) to {"response": n, "resolution": n}, the
    numbers of issues with a first response and with a resolution under the same where.
    """
    keys = {
        "response": duration_key(Issue.first_response_dt, Issue.created_dt),
        "resolution": duration_key(Issue.resolved_dt, Issue.created_dt),
    }
    scope = (Issue.election_id == election.id, Issue.is_archived.is_(False), *where)
    return medians(keys, counts, scope, group=Issue.stage_id if by_stage else None)


def overall_counts(per_stage: dict) -> dict:
    """Add up per-stage duration counts into the election's {None: counts}."""
    total: dict = {"response": 0, "resolution": 0}
    for counts in per_stage.values():
        for name in total:
            total[name] += counts[name]
    return {None: total}


def _fill(figures: StageFigures, counts: dict | None, meds: dict, held: int) -> StageFigures:
    if counts:
        figures.by_status = dict(counts["by_status"])
        figures.overdue, figures.open_urgent = counts["overdue"], counts["open_urgent"]
        figures.oldest_open_dt, figures.oldest_open_id = counts["oldest"], counts["oldest_id"]
    figures.median_response_days = meds.get("response")
    figures.median_resolution_days = meds.get("resolution")
    figures.meetings_held = held
    return figures


def _totals(counts: dict) -> dict:
    oldest = min(((c["oldest"], c["oldest_id"]) for c in counts.values() if c["oldest"]), default=(None, None))
    return {
        "by_status": {s: sum(c["by_status"][s] for c in counts.values()) for s in STATUSES},
        "overdue": sum(c["overdue"] for c in counts.values()),
        "open_urgent": sum(c["open_urgent"] for c in counts.values()),
        "oldest": oldest[0],
        "oldest_id": oldest[1],
    }


def build_board(election: Election, today: date) -> Board:
    """Compute the stage board of an election as it stands today."""
    counts = _issue_counts(election, today)
    durations = {stage_id: c["durations"] for stage_id, c in counts.items()}
    stage_medians = issue_medians(election, durations)
    overall_medians = issue_medians(election, overall_counts(durations), by_stage=False)[None]
    held = _meetings_held(election, today)
    agreed = commitment_counts(election.id, today)
    current = election.current_stage(today)
    rows = []
    for stage in election.stages:
        figures = _fill(
            StageFigures(election.id, stage),
            counts.get(stage.id),
            stage_medians.get(stage.id, {}),
            held.get(stage.id, 0),
        )
        figures.commitments = agreed.get(stage.id, figures.commitments)
        figures.is_current = current is not None and stage.id == current.id
        ends_soon = stage.end_date is not None and today <= stage.end_date <= today + timedelta(days=RISK_DAYS)
        figures.at_risk = ends_soon and figures.open_urgent > 0
        rows.append(figures)
    total = _fill(StageFigures(election.id, None), _totals(counts), overall_medians, sum(held.values()))
    total.commitments = {key: sum(c[key] for c in agreed.values()) for key in ("made", "kept", "overdue")}
    return Board(election=election, today=today, stages=rows, total=total)
