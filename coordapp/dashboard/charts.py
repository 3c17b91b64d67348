"""The pictures of the board and the scorecard: three groupings of the issues beyond their figures, and the charts.

Each is a row per (stage, day or week), never an issue, read from the roll-ups rollups.day_counts
keeps in the writing transaction (a few hundred rows, not 100k issues):
- open issues by stage and local day raised (their ages: median, 90th percentile, maximum);
- durations to first response and to resolution by stage and whole day (the distributions);
- issues raised and resolved by stage and local week (open issues over time).
A scorecard period groups the durations of its issues here, on the covering index issues.models ix_issues_board.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, literal, union_all

from coordapp.dashboard import svg
from coordapp.dashboard.board import Board, StageFigures
from coordapp.dashboard.indicators import RESPONSE_DAYS
from coordapp.dashboard.sql import whole_days
from coordapp.dashboard.targets import RESOLUTION_DAYS
from coordapp.elections.models import Election
from coordapp.extensions import db
from coordapp.issues.models import UNRESOLVED, Issue
from coordapp.rollups import day_counts

EDGES = (0, 1, 2, 3, 5, 7, 14, 30)  # histogram bins in whole days; the targets (3, 14) are edges


@dataclass(frozen=True)
class Spread:
    """Median, 90th percentile (nearest rank) and maximum of whole-day values."""

    n: int = 0
    median: float | None = None
    p90: int | None = None
    max: int | None = None


def spread(counts: dict[int, int]) -> Spread:
    """Return the spread of values given as {value: how many}."""
    n = sum(counts.values())
    if not n:
        return Spread()
    ordered = sorted(counts.items())

    def kth(k: int) -> int:  # the k-th smallest, 1-based
        seen = 0
        for value, c in ordered:
            seen += c
            if seen >= k:
                return value
        return ordered[-1][0]

    median = (kth((n + 1) // 2) + kth(n // 2 + 1)) / 2
    return Spread(n, median, kth(-(-9 * n // 10)), ordered[-1][0])


def _scope(election: Election, where: tuple = ()) -> tuple:
    return (Issue.election_id == election.id, Issue.is_archived.is_(False), *where)


def open_ages(election: Election, today: date) -> dict:
    """Return {stage id: {age in days: open issues}}, the ages counted from the local day each was raised."""
    return day_counts.open_ages(election.id, today)


def duration_days(election: Election, where: tuple = ()) -> dict:
    """Return {stage id: {"response"|"resolution": {whole days: issues}}} under the same where as the medians.

    The whole election comes from the roll-ups (rollups.day_counts); a period is grouped here.
    """
    if not where:
        return day_counts.duration_days(election.id)
    parts = []
    for name, end in (("response", Issue.first_response_dt), ("resolution", Issue.resolved_dt)):
        days = whole_days(end, Issue.created_dt).label("days")
        parts.append(
            db.select(literal(name).label("name"), Issue.stage_id, days, func.count())
            .where(*_scope(election, where), end.is_not(None))
            .group_by(Issue.stage_id, days)
        )
    found: dict = {}
    for name, stage_id, days, n in db.session.execute(union_all(*parts)):
        per_name = found.setdefault(stage_id, {"response": {}, "resolution": {}})[name]
        d = max(int(days), 0)
        per_name[d] = per_name.get(d, 0) + int(n)
    return found


def weekly_flow(election: Election) -> dict:
    """Return {stage id: {"created"|"resolved": {Monday: issues}}} by local week.

    A resolved issue without a resolution time is left out of both, so the line ends at the
    number of issues open today.
    """
    return day_counts.weekly_flow(election.id)


def merged(per_stage: dict, keys=None) -> dict:
    """Add up {key: count} dicts (or dicts of them, by keys) over every stage."""
    total: dict = {} if keys is None else {k: {} for k in keys}
    for value in per_stage.values():
        for target, counts in [(total, value)] if keys is None else [(total[k], value[k]) for k in keys]:
            for k, n in counts.items():
                target[k] = target.get(k, 0) + n
    return total


# --- The charts, in the reader's language ---


def _day(value: date) -> str:
    return format_date(value, "d MMM yy")


def _month(value: date) -> str:
    return format_date(value, "MMM yy")


def duration_chart(key: str, kind: str, counts: dict, scope_name: str) -> tuple[svg.Chart, Spread]:
    """Return the distribution chart of days to first response or to resolution, with its spread."""
    target = RESPONSE_DAYS if kind == "response" else RESOLUTION_DAYS
    bins = svg.bins_of(counts, EDGES)
    stats = spread(counts)
    if kind == "response":
        title = _("Days to first response: %(scope)s", scope=scope_name)
    else:
        title = _("Days to resolution: %(scope)s", scope=scope_name)
    within = sum(b.count for b in bins if b.low < target)
    desc = _(
        "%(within)d of %(n)d issues within the target of %(target)d days.",
        within=within,
        n=stats.n,
        target=target,
    )
    chart = svg.histogram(
        key,
        title,
        desc,
        bins,
        target,
        _("target %(days)d d", days=target),
        _("days (hatched: over the target)"),
    )
    chart.table = svg.DataTable([_("Days"), _("Issues")], [[b.label, str(b.count)] for b in bins])
    if not stats.n:
        chart.empty = _("No issue has one yet.")
    return chart, stats


def burn_down_chart(key: str, flow: dict, start: date | None, today: date, scope_name: str) -> svg.Chart:
    """Return the chart of open issues week by week from start (or the first issue) to today."""
    created, resolved = flow.get("created", {}), flow.get("resolved", {})
    first = min([*created, *([start] if start else [])], default=today)
    points = svg.weekly_open(created, resolved, min(first, today), today)
    title = _("Open issues over time: %(scope)s", scope=scope_name)
    now = points[-1][1] if points else 0
    peak = max(points, key=lambda p: p[1]) if points else (today, 0)
    desc = _("%(now)d open today; at most %(peak)d, in the week to %(day)s.", now=now, peak=peak[1], day=_day(peak[0]))
    chart = svg.line_over_time(key, title, desc, points, _day)
    chart.table = svg.DataTable([_("Week to"), _("Open issues")], [[_day(d), str(v)] for d, v in points])
    if not any(v for _, v in points) and not created:
        chart.empty = _("No issue yet.")
    return chart


def stage_name(figures: StageFigures, locale: str) -> str:
    """Return "12. Kampanye ..." for a stage's figures, or "All stages"."""
    if figures.stage is None:
        return _("All stages")
    return f"{figures.stage.position}. {figures.stage.display_name(locale)}"


def open_overdue_chart(board: Board, locale: str) -> svg.Chart:
    """Return the stacked bars of each stage's open issues, the overdue ones apart."""
    rows, table = [], []
    for s in board.stages:
        n_open = sum(n for status, n in s.by_status.items() if status in UNRESOLVED)
        name = stage_name(s, locale)
        note = _("%(open)d open, %(overdue)d overdue", open=n_open, overdue=s.overdue) if n_open else "–"
        rows.append(
            svg.BarRow(
                name,
                (s.overdue, n_open - s.overdue),
                note,
                (("stage", s.stage.position), ("open", n_open), ("overdue", s.overdue)),
                s.is_current,
            )
        )
        table.append([name, str(n_open), str(s.overdue)])
    total_open = sum(r.values[0] + r.values[1] for r in rows)
    chart = svg.stacked_bars(
        "chart-open",
        _("Open issues per stage"),
        _(
            "%(open)d open issues, %(overdue)d of them overdue, across %(stages)d stages.",
            open=total_open,
            overdue=sum(r.values[0] for r in rows),
            stages=len(rows),
        ),
        (("overdue", _("overdue")), ("open", _("open, not yet overdue"))),
        rows,
    )
    chart.table = svg.DataTable([_("Stage"), _("Open"), _("Overdue")], table)
    return chart


def timeline_chart(board: Board, locale: str) -> svg.Chart:
    """Return the stages on a timeline with their open issues, and today's line."""
    spans, table = [], []
    for s in board.stages:
        stage = s.stage
        n_open = sum(n for status, n in s.by_status.items() if status in UNRESOLVED)
        state = (
            "current"
            if s.is_current
            else "past"
            if stage.end_date and stage.end_date < board.today
            else "future"
            if stage.start_date and stage.start_date > board.today
            else "running"
        )
        note = _("%(open)d open / %(total)d", open=n_open, total=s.total)
        spans.append(
            svg.Span(stage_name(s, locale), stage.start_date, stage.end_date, note, state, (("stage", stage.position),))
        )
        dates = f"{_day(stage.start_date)} – {_day(stage.end_date)}" if stage.start_date and stage.end_date else "–"
        table.append([stage_name(s, locale), dates, str(n_open), str(s.total)])
    chart = svg.timeline(
        "chart-timeline",
        _("The stages on a timeline"),
        _(
            "Each stage's dates as a bar, its open and total issues beside its name; the line is today, %(day)s.",
            day=_day(board.today),
        ),
        spans,
        board.today,
        _("today"),
        _month,
    )
    chart.table = svg.DataTable([_("Stage"), _("Dates"), _("Open"), _("Issues")], table)
    return chart


def stage_trends(board: Board, flow: dict, locale: str) -> tuple[list[svg.Chart], svg.DataTable]:
    """Return a small line of open issues per stage that has issues (from its start to today), on one scale."""
    series = []
    for s in board.stages:
        per_stage = flow.get(s.stage.id)
        if not per_stage or not per_stage["created"]:
            continue
        first = min([*per_stage["created"], *([s.stage.start_date] if s.stage.start_date else [])])
        series.append(
            (s, svg.weekly_open(per_stage["created"], per_stage["resolved"], min(first, board.today), board.today))
        )
    most = svg.nice_max(max((v for _, points in series for _, v in points), default=0))
    charts, rows = [], []
    for s, points in series:
        name = stage_name(s, locale)
        peak = max(points, key=lambda p: p[1])
        desc = _(
            "%(now)d open today; at most %(peak)d, in the week to %(day)s.",
            now=points[-1][1],
            peak=peak[1],
            day=_day(peak[0]),
        )
        chart = svg.sparkline(f"trend-{s.stage.position}", name, desc, points, most)
        chart.caption = name
        charts.append(chart)
        rows.append([name, str(points[-1][1]), str(peak[1]), _day(peak[0])])
    return charts, svg.DataTable([_("Stage"), _("Open today"), _("Most open"), _("Week to")], rows)


@dataclass
class BoardCharts:
    """The board's pictures: the current stage's first, then every stage's."""

    ages: dict  # {stage id or None (all stages): Spread of open issues' ages}
    current_burn_down: svg.Chart | None
    current_response: tuple | None  # (chart, spread)
    current_resolution: tuple | None
    open_overdue: svg.Chart
    timeline: svg.Chart
    election_burn_down: svg.Chart
    stage_trends: list  # small multiples: one line per stage with issues
    stage_trends_table: svg.DataTable

    def age(self, figures: StageFigures) -> Spread:
        """Return the spread of the open issues' ages of a stage (or of all stages)."""
        return self.ages.get(figures.stage.id if figures.stage is not None else None, Spread())


def board_charts(board: Board, locale: str) -> BoardCharts:
    """Compute the board's pictures (three grouped queries) from its figures."""
    election, today = board.election, board.today
    ages = open_ages(election, today)
    durations = duration_days(election)
    flow = weekly_flow(election)
    spreads = {stage_id: spread(counts) for stage_id, counts in ages.items()}
    spreads[None] = spread(merged(ages))
    current = board.current
    burn, response, resolution = None, None, None
    if current is not None:
        name = stage_name(current, locale)
        sid = current.stage.id
        burn = burn_down_chart("chart-burn-current", flow.get(sid, {}), current.stage.start_date, today, name)
        per_stage = durations.get(sid, {"response": {}, "resolution": {}})
        response = duration_chart("chart-response-current", "response", per_stage["response"], name)
        resolution = duration_chart("chart-resolution-current", "resolution", per_stage["resolution"], name)
        # The section's heading names the stage: the visible headings need not repeat it.
        burn.caption = _("Open issues over time")
        response[0].caption = _("Days to first response")
        resolution[0].caption = _("Days to resolution")
    starts = [s.start_date for s in election.stages if s.start_date]
    all_flow = merged(flow, ("created", "resolved"))
    trends, trends_table = stage_trends(board, flow, locale)
    return BoardCharts(
        stage_trends=trends,
        stage_trends_table=trends_table,
        ages=spreads,
        current_burn_down=burn,
        current_response=response,
        current_resolution=resolution,
        open_overdue=open_overdue_chart(board, locale),
        timeline=timeline_chart(board, locale),
        election_burn_down=burn_down_chart(
            "chart-burn-all", all_flow, min(starts, default=None), today, _("All stages")
        ),
    )


def scorecard_charts(election: Election, where: tuple) -> dict:
    """Return the scorecard's distributions over the period's issues: {"response"|"resolution": (chart, spread)}."""
    counts = merged(duration_days(election, where), ("response", "resolution"))
    kinds = ("response", "resolution")
    return {kind: duration_chart(f"chart-{kind}", kind, counts[kind], _("all stages")) for kind in kinds}
