"""The scorecard ("Kinerja"): the five indicators per stage and overall, for an optional period.

One service computes every figure from the data, as ``indicators.py`` defines it, with a
fixed number of aggregate queries (issues, medians per stage and overall, meetings,
reminder contacts per stage and overall, reports). The period narrows each kind of record
by its own date: issues by when they were raised, meetings by when they were held,
reminders and replies by when they were sent, reports by when they were published.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, func, literal, null, or_, union_all

from coordapp.commitments.models import Commitment
from coordapp.core.time import local_to_utc, local_today, to_local, utcnow
from coordapp.core.types import UTCDateTime
from coordapp.dashboard.board import held_before, issue_medians, overall_counts
from coordapp.dashboard.indicators import MINUTES_HOURS, RESPONSE_DAYS
from coordapp.dashboard.sql import as_utc, days_between, local_date
from coordapp.elections.models import Election, Stage
from coordapp.extensions import db
from coordapp.issues.models import UNRESOLVED, FollowUp, Issue
from coordapp.meetings.models import Meeting, MinutesRevision
from coordapp.reports.models import AccountabilityReport, ChannelPost


@dataclass(frozen=True)
class Ratio:
    """A share kept as its two counts, so shares add up across stages correctly."""

    numerator: int = 0
    denominator: int = 0

    @property
    def share(self) -> float | None:
        """Return numerator / denominator, or None when there is nothing to measure."""
        return self.numerator / self.denominator if self.denominator else None

    def __add__(self, other: "Ratio") -> "Ratio":
        return Ratio(self.numerator + other.numerator, self.denominator + other.denominator)


@dataclass(frozen=True)
class Period:
    """Local dates, both inclusive; None on a side means unbounded."""

    start: date | None = None
    end: date | None = None

    def where(self, column, tz: str) -> tuple:
        """Return the clauses keeping the UTC timestamps of column inside the period."""
        clauses = []
        if self.start:
            clauses.append(column >= local_to_utc(datetime.combine(self.start, time()), tz))
        if self.end:
            clauses.append(column < local_to_utc(datetime.combine(self.end + timedelta(days=1), time()), tz))
        return tuple(clauses)


@dataclass
class Row:
    """The indicator values of one stage, or of the whole election when stage is None."""

    stage: Stage | None
    values: dict = field(default_factory=dict)


@dataclass
class Scorecard:
    election: Election
    period: Period
    today: date
    rows: list[Row]
    overall: Row

    @property
    def has_reports(self) -> bool:
        """Tell whether any accountability report counts in this scorecard."""
        return bool(self.overall.values["reports_published"])


def _count_if(condition):
    return func.sum(case((condition, 1), else_=0))


def _issue_figures(election: Election, period: Period, today: date, now: datetime) -> dict:
    tz = election.timezone
    resolved = Issue.status.not_in(UNRESOLVED)
    ended = {
        s.id: local_to_utc(datetime.combine(s.end_date + timedelta(days=1), time()), tz)
        for s in election.stages
        if s.end_date and s.end_date < today
    }
    # Without an ended stage, a typed NULL: "resolved_dt < NULL" is valid SQL (never true), "< null()" is refused.
    no_end = literal(None, UTCDateTime())
    stage_end = case(*[(Issue.stage_id == k, literal(v, UTCDateTime())) for k, v in ended.items()]) if ended else no_end
    in_ended = Issue.stage_id.in_(list(ended))
    timely = Issue.first_response_dt.is_not(None) & (
        days_between(Issue.first_response_dt, Issue.created_dt) <= RESPONSE_DAYS
    )
    with_due = Issue.due_date.is_not(None)
    on_time = (
        resolved & with_due & Issue.resolved_dt.is_not(None) & (local_date(Issue.resolved_dt, tz) <= Issue.due_date)
    )
    stmt = (
        db.select(
            Issue.stage_id,
            func.count(),
            _count_if(resolved),
            _count_if(in_ended & resolved & (Issue.resolved_dt < stage_end)),
            _count_if(in_ended),
            _count_if(timely),
            _count_if(timely | (Issue.created_dt <= now - timedelta(days=RESPONSE_DAYS))),
            _count_if(on_time),
            _count_if(with_due & (resolved | (Issue.due_date < today))),
            _count_if(Issue.is_public.is_(True)),
            func.count(Issue.first_response_dt),
            func.count(Issue.resolved_dt),
        )
        .where(Issue.election_id == election.id, Issue.is_archived.is_(False), *period.where(Issue.created_dt, tz))
        .group_by(Issue.stage_id)
    )
    figures = {}
    for (
        stage_id,
        total,
        n_resolved,
        by_end,
        n_ended,
        n_timely,
        n_settled,
        n_on_time,
        n_due,
        n_public,
        n_responded,
        n_with_resolution,
    ) in db.session.execute(stmt):
        figures[stage_id] = {
            "durations": {"response": int(n_responded), "resolution": int(n_with_resolution)},
            "issues_total": int(total),
            "issues_resolved": int(n_resolved or 0),
            "resolved_by_stage_end": Ratio(int(by_end or 0), int(n_ended or 0)),
            "followed_up_in_3_days": Ratio(int(n_timely or 0), int(n_settled or 0)),
            "resolved_by_due": Ratio(int(n_on_time or 0), int(n_due or 0)),
            "issues_published": Ratio(int(n_public or 0), int(total)),
        }
    return figures


def _meeting_figures(election: Election, period: Period, now: datetime) -> dict:
    first = (
        db.select(MinutesRevision.meeting_id, func.min(MinutesRevision.created_dt).label("first_dt"))
        .group_by(MinutesRevision.meeting_id)
        .subquery()
    )
    ended_at = func.coalesce(Meeting.end_dt, Meeting.start_dt)
    timely = first.c.first_dt.is_not(None) & (days_between(first.c.first_dt, ended_at) <= MINUTES_HOURS / 24)
    stmt = (
        db.select(
            Meeting.stage_id,
            func.count(),
            _count_if(timely),
            _count_if(timely | (ended_at <= now - timedelta(hours=MINUTES_HOURS))),
            _count_if(Meeting.is_public.is_(True)),
        )
        .outerjoin(first, first.c.meeting_id == Meeting.id)
        .where(
            Meeting.election_id == election.id,
            Meeting.is_archived.is_(False),
            Meeting.start_dt < held_before(election, local_today(election.timezone, now)),
            *period.where(Meeting.start_dt, election.timezone),
        )
        .group_by(Meeting.stage_id)
    )
    return {
        stage_id: {
            "meetings_held": int(held),
            "minutes_in_48h": Ratio(int(n_timely or 0), int(n_settled or 0)),
            "meetings_published": Ratio(int(n_public or 0), int(held)),
        }
        for stage_id, held, n_timely, n_settled, n_public in db.session.execute(stmt)
    }


def _reminder_figures(election: Election, period: Period) -> tuple[dict, Ratio]:
    """Count contacts sent a reminder, and those of them who replied: per stage, and election-wide.

    The pairs (stage, contact) say whether the contact was reminded and replied there; one
    statement folds them per stage, and per contact for the election (a contact counts
    overall when reminded in any stage and replied in any), so only a row per stage returns.
    """
    # A reply's contact is its author; a reminder's is its recipient (older rows carried it as author).
    contact_id = func.coalesce(FollowUp.author_contact_id, FollowUp.recipient_contact_id)
    pairs = (
        db.select(
            Issue.stage_id.label("stage_id"),
            contact_id.label("contact_id"),
            func.max(case((FollowUp.kind == "reminder", 1), else_=0)).label("reminded"),
            func.max(case((FollowUp.kind == "stakeholder_reply", 1), else_=0)).label("replied"),
        )
        # "+ 0" keeps SQLite from looping over every issue to probe its follow-ups; it reads the
        # reminder and reply rows from their index and looks each issue up by id instead.
        .join(Issue, (FollowUp.issue_id + 0) == Issue.id)
        .where(
            Issue.election_id == election.id,
            Issue.is_archived.is_(False),
            FollowUp.kind.in_(("reminder", "stakeholder_reply")),
            contact_id.is_not(None),
            *period.where(FollowUp.created_dt, election.timezone),
        )
        .group_by(Issue.stage_id, contact_id)
        .cte("pairs")
    )
    contacts = (
        db.select(func.max(pairs.c.reminded).label("reminded"), func.max(pairs.c.replied).label("replied"))
        .group_by(pairs.c.contact_id)
        .subquery("contacts")
    )

    def shares(rows, overall: bool, stage_id):
        return (
            literal(overall).label("overall"),
            stage_id,
            _count_if(rows.c.reminded == 1),
            _count_if((rows.c.reminded == 1) & (rows.c.replied == 1)),
        )

    stmt = union_all(
        db.select(*shares(pairs, False, pairs.c.stage_id)).group_by(pairs.c.stage_id),
        db.select(*shares(contacts, True, null())),
    )
    per_stage, overall = {}, Ratio()
    for is_overall, stage_id, reminded, replied in db.session.execute(stmt):
        ratio = Ratio(int(replied or 0), int(reminded or 0))
        if is_overall:
            overall = ratio
        elif reminded:
            per_stage[stage_id] = ratio
    return per_stage, overall


def _report_figures(election: Election, period: Period) -> dict:
    stmt = (
        db.select(AccountabilityReport.stage_id, func.count(), func.min(AccountabilityReport.published_dt))
        .where(
            AccountabilityReport.election_id == election.id,
            AccountabilityReport.published_dt.is_not(None),
            *period.where(AccountabilityReport.published_dt, election.timezone),
        )
        .group_by(AccountabilityReport.stage_id)
    )
    return {stage_id: (int(n), first) for stage_id, n, first in db.session.execute(stmt)}


def _channel_figures(election: Election, period: Period) -> tuple[dict, tuple[int, int]]:
    """Count channel-log entries of the reports, and the distinct channels used: per stage, and election-wide."""
    dated = []
    if period.start:
        dated.append(ChannelPost.posted_date >= period.start)
    if period.end:
        dated.append(ChannelPost.posted_date <= period.end)
    counts = (func.count(), func.count(ChannelPost.channel.distinct()))
    scope = (AccountabilityReport.election_id == election.id, *dated)
    joined = AccountabilityReport.id == ChannelPost.report_id
    stmt = db.select(AccountabilityReport.stage_id, *counts).join(AccountabilityReport, joined).where(*scope)
    per_stage = {
        stage_id: (int(n), int(channels))
        for stage_id, n, channels in db.session.execute(stmt.group_by(AccountabilityReport.stage_id))
    }
    n, channels = db.session.execute(db.select(*counts).join(AccountabilityReport, joined).where(*scope)).one()
    return per_stage, (int(n or 0), int(channels or 0))


EMPTY = {
    "meetings_held": 0,
    "issues_total": 0,
    "issues_resolved": 0,
    "resolved_by_stage_end": Ratio(),
    "followed_up_in_3_days": Ratio(),
    "resolved_by_due": Ratio(),
    "issues_published": Ratio(),
    "minutes_in_48h": Ratio(),
    "meetings_published": Ratio(),
    "replied_to_reminders": Ratio(),
    "commitments_kept": Ratio(),
}


def _commitment_figures(election: Election, period: Period, today: date) -> dict:
    """Per stage: of the commitments done or past due (dropped ones aside), the share done by the due date."""
    c = Commitment
    kept = and_(c.status == "done", local_date(c.done_dt, election.timezone) <= c.due_date)
    settled = or_(c.status == "done", and_(c.status == "open", c.due_date < today))
    rows = db.session.execute(
        db.select(c.stage_id, _count_if(kept), _count_if(settled))
        .where(c.election_id == election.id, *period.where(c.created_dt, election.timezone))
        .group_by(c.stage_id)
    )
    return {stage_id: {"commitments_kept": Ratio(int(k or 0), int(n or 0))} for stage_id, k, n in rows}


def _sum(groups: list[dict]) -> dict:
    total = dict(EMPTY)
    for values in groups:
        for key, value in values.items():
            total[key] = total[key] + value
    return total


def compute_scorecard(election: Election, period: Period = Period(), now: datetime | None = None) -> Scorecard:
    """Compute the five indicators of an election, per stage and overall, for a period."""
    now = now or utcnow()
    today = local_today(election.timezone, now)
    issues = _issue_figures(election, period, today, now)
    meetings = _meeting_figures(election, period, now)
    agreed = _commitment_figures(election, period, today)
    reminders, all_reminded = _reminder_figures(election, period)
    reports = _report_figures(election, period)
    posts, all_posts = _channel_figures(election, period)
    created = period.where(Issue.created_dt, election.timezone)
    durations = {stage_id: values.pop("durations") for stage_id, values in issues.items()}
    stage_medians = issue_medians(election, durations, created)
    overall_medians = issue_medians(election, overall_counts(durations), created, by_stage=False)[None]

    rows = []
    for stage in election.stages:
        values = {
            **EMPTY,
            **issues.get(stage.id, {}),
            **meetings.get(stage.id, {}),
            **agreed.get(stage.id, {}),
            "replied_to_reminders": reminders.get(stage.id, Ratio()),
        }
        medians = stage_medians.get(stage.id, {})
        n_reports, first_dt = reports.get(stage.id, (0, None))
        lag = (
            (to_local(as_utc(first_dt), election.timezone).date() - stage.end_date).days
            if first_dt and stage.end_date
            else None
        )
        values.update(
            median_response_days=medians.get("response"),
            median_resolution_days=medians.get("resolution"),
            reports_published=n_reports,
            report_lag_days=lag,
            channel_posts=posts.get(stage.id, (0, 0))[0],
            channels_used=posts.get(stage.id, (0, 0))[1],
        )
        rows.append(Row(stage, values))

    keys = set(issues) | set(meetings) | set(agreed)
    overall = _sum([{**issues.get(k, {}), **meetings.get(k, {}), **agreed.get(k, {})} for k in keys])
    lags = [r.values["report_lag_days"] for r in rows if r.values["report_lag_days"] is not None]
    overall.update(
        replied_to_reminders=all_reminded,
        median_response_days=overall_medians.get("response"),
        median_resolution_days=overall_medians.get("resolution"),
        reports_published=sum(n for n, _ in reports.values()),
        report_lag_days=statistics.median(lags) if lags else None,
        channel_posts=all_posts[0],
        channels_used=all_posts[1],
    )
    return Scorecard(election=election, period=period, today=today, rows=rows, overall=Row(None, overall))
