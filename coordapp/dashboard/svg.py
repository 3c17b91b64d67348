"""Chart geometry for the managers' pages: pure functions from figures to shapes (no Flask, no database).

Each builder returns a Chart: its size, accessible title and description, the shapes to draw and
the table that says the same in words (templates/dashboard/_charts.html renders both). Charts are
drawn at their natural size in CSS pixels and only shrink on a narrow screen, so text stays at
about 12 px. Bars carry their figures in data attributes and in a <title>, so the tests (and a
reader hovering) read the values the picture shows.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

FONT = 12  # px; a character is about 0.56 of it wide in the system sans-serif
CHAR = FONT * 0.56


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    cls: str
    title: str = ""
    data: tuple = ()  # (name, value) pairs rendered as data-name="value"
    hatched: bool = False  # drawn with the chart's hatch pattern over its colour (not colour alone)


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    cls: str
    data: tuple = ()


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    cls: str = ""
    anchor: str = "start"
    title: str = ""


@dataclass(frozen=True)
class Polyline:
    points: tuple  # ((x, y), ...)
    cls: str
    data: tuple = ()

    @property
    def path(self) -> str:
        """Return the points as an SVG points attribute."""
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.points)


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    cls: str
    title: str = ""
    data: tuple = ()


@dataclass
class DataTable:
    """The chart's figures as a table: column headings, then rows whose first cell names the row."""

    headings: list[str]
    rows: list[list[str]]


@dataclass
class Chart:
    key: str  # unique on the page: the id of its title, description and pattern
    width: float
    height: float
    title: str
    desc: str
    shapes: list = field(default_factory=list)
    table: DataTable | None = None
    empty: str = ""  # set when there was nothing to draw: the text shown instead
    caption: str = ""  # the visible heading when the page already names what title repeats (the stage)

    def add(self, *shapes) -> None:
        """Append shapes in drawing order."""
        self.shapes.extend(shapes)


def nice_max(value: float) -> int:
    """Return a round axis maximum at or above value: 1, 2, 5, 10, 20, 50, ..."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for m in (1, 2, 5):
            if step * m >= value:
                return step * m
        step *= 10


def fit(text: str, width: float, bold: bool = False) -> str:
    """Cut text to what fits in width px at the chart's font (bold is wider), with an ellipsis."""
    most = max(int(width / (CHAR * (1.12 if bold else 1.0))), 4)
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


# --- Stacked horizontal bars, one row per item (label above its bar) ---


@dataclass(frozen=True)
class BarRow:
    label: str
    values: tuple  # counts, one per segment, in the order of the segments
    note: str = ""  # the figures in words, at the bar's end
    data: tuple = ()
    is_current: bool = False


def stacked_bars(
    key: str, title: str, desc: str, segments: Sequence[tuple[str, str]], rows: Sequence[BarRow], width: float = 360
) -> Chart:
    """Draw one stacked bar per row; segments are (css key, label), an "overdue" segment hatched."""
    row_h, bar_h, top = 32, 12, 24
    chart = Chart(key, width, top + row_h * len(rows) + 4, title, desc)
    x = 0.0
    for seg_key, seg_label in segments:  # the legend, one swatch per segment
        chart.add(Rect(x, 2, 12, 12, f"seg seg-{seg_key}", hatched=seg_key == "overdue"))
        chart.add(Text(x + 16, 12, seg_label, "legend"))
        x += 28 + len(seg_label) * CHAR
    scale_max = nice_max(max((sum(r.values) for r in rows), default=0))
    bar_w = width - 4
    for i, row in enumerate(rows):
        y = top + i * row_h
        label_w = width - len(row.note) * CHAR - 10
        label = fit(row.label, label_w, bold=row.is_current)
        chart.add(Text(0, y + 11, label, "row-label current" if row.is_current else "row-label"))
        chart.add(Text(width, y + 11, row.note, "row-note", anchor="end"))
        chart.add(Rect(0, y + 15, bar_w, bar_h, "bar-track"))
        left = 0.0
        for (seg_key, seg_label), n in zip(segments, row.values, strict=True):
            if n:
                w = bar_w * n / scale_max
                chart.add(
                    Rect(
                        left,
                        y + 15,
                        w,
                        bar_h,
                        f"seg seg-{seg_key}",
                        f"{row.label}: {seg_label} {n}",
                        (*row.data, ("segment", seg_key), ("value", n)),
                        hatched=seg_key == "overdue",
                    )
                )
                left += w
    return chart


# --- Histogram of durations against a target ---


@dataclass(frozen=True)
class Bin:
    label: str  # "0–1"
    low: int  # whole days, inclusive
    high: int | None  # exclusive; None: no upper bound
    count: int


def histogram(
    key: str,
    title: str,
    desc: str,
    bins: Sequence[Bin],
    target: int,
    target_label: str,
    axis_label: str,
    width: float = 360,
    height: float = 200,
) -> Chart:
    """Draw one column per bin, the columns past the target hatched, and the target as a vertical line."""
    chart = Chart(key, width, height, title, desc)
    left, right, top, bottom = 28, 6, 34, height - 34  # above the top: a full column's value, then the target
    plot_w, plot_h = width - left - right, bottom - top
    most = nice_max(max((b.count for b in bins), default=0))
    for frac in (0, 0.5, 1):  # gridlines and their values
        y = bottom - plot_h * frac
        chart.add(Line(left, y, width - right, y, "grid"), Text(left - 4, y + 4, f"{most * frac:g}", "axis", "end"))
    col_w = plot_w / max(len(bins), 1)
    for i, b in enumerate(bins):
        h = plot_h * b.count / most
        x = left + i * col_w
        late = b.low >= target
        chart.add(
            Rect(
                x + 2,
                bottom - h,
                col_w - 4,
                h,
                "bin bin-late" if late else "bin bin-ok",
                f"{b.label}: {b.count}",
                (("bin", b.label), ("count", b.count), ("late", int(late))),
                hatched=late,
            )
        )
        if b.count:
            chart.add(Text(x + col_w / 2, bottom - h - 3, str(b.count), "bar-value", "middle"))
        chart.add(Text(x + col_w / 2, bottom + 14, b.label, "axis", "middle"))
    chart.add(Text(left + plot_w / 2, height - 3, axis_label, "axis", "middle"))
    edge = next((i for i, b in enumerate(bins) if b.low >= target), len(bins))
    tx = left + edge * col_w
    chart.add(
        Line(tx, top - 20, tx, bottom, "target", (("target", target),)),
        Text(min(max(tx, left + 40), width - 40), top - 23, target_label, "target-label", "middle"),
    )
    return chart


def bins_of(counts: dict[int, int], edges: Sequence[int]) -> list[Bin]:
    """Put whole-day counts {days: n} into bins between the edges (the last bin is open-ended)."""
    bins = []
    for low, high in zip(edges, [*edges[1:], None], strict=True):
        n = sum(c for d, c in counts.items() if d >= low and (high is None or d < high))
        bins.append(Bin(f"{low}–{high}" if high is not None else f"{low}+", low, high, n))
    return bins


# --- Open issues over time (burn-down) ---


def line_over_time(
    key: str,
    title: str,
    desc: str,
    points: Sequence[tuple[date, int]],
    date_label: Callable[[date], str],
    width: float = 360,
    height: float = 190,
) -> Chart:
    """Draw a value over dates as a line with its first, highest and last values written on it."""
    chart = Chart(key, width, height, title, desc)
    if not points:
        return chart
    left, right, top, bottom = 28, 10, 14, height - 34
    plot_w, plot_h = width - left - right, bottom - top
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)
    most = nice_max(max(v for _, v in points))

    def at(day: date, value: int) -> tuple[float, float]:
        return left + plot_w * (day - first).days / span, bottom - plot_h * value / most

    for frac in (0, 0.5, 1):
        y = bottom - plot_h * frac
        chart.add(Line(left, y, width - right, y, "grid"), Text(left - 4, y + 4, f"{most * frac:g}", "axis", "end"))
    chart.add(Polyline(tuple(at(d, v) for d, v in points), "trend", (("points", len(points)),)))
    peak = max(points, key=lambda p: p[1])
    for day, value in {points[0], peak, points[-1]}:
        x, y = at(day, value)
        chart.add(Dot(x, y, "trend-dot", f"{date_label(day)}: {value}", (("day", day.isoformat()), ("value", value))))
    x, y = at(*points[-1])
    chart.add(Text(min(x, width - right - 4), y - 6, str(points[-1][1]), "bar-value", "end"))
    chart.add(
        Text(left, bottom + 14, date_label(first), "axis"),
        Text(width - right, bottom + 14, date_label(last), "axis", "end"),
    )
    return chart


MAX_WEEKS = 520


def weekly_open(created: dict, resolved: dict, start: date, today: date) -> list[tuple[date, int]]:
    """Return (day, open issues at its end) for each week's Sunday from the week of start, then today.

    created and resolved count issues by the Monday of the week they were raised or resolved in;
    an issue raised before start counts from the first point.
    """
    start = max(start, today - timedelta(weeks=MAX_WEEKS))  # a mistyped year 1920 draws ten years, not a century
    monday = start - timedelta(days=start.weekday())
    before = sum(n for week, n in created.items() if week < monday) - sum(
        n for week, n in resolved.items() if week < monday
    )
    points, open_now, week = [], before, monday
    while week <= today:
        open_now += created.get(week, 0) - resolved.get(week, 0)
        points.append((min(week + timedelta(days=6), today), open_now))
        week += timedelta(days=7)
    return points


# --- The stages on a timeline (Gantt) ---


@dataclass(frozen=True)
class Span:
    label: str
    start: date | None
    end: date | None
    note: str  # the stage's issue load in words
    state: str  # "past", "current", "future"
    data: tuple = ()


def timeline(
    key: str,
    title: str,
    desc: str,
    spans: Sequence[Span],
    today: date,
    today_label: str,
    tick_label: Callable[[date], str],
    width: float = 360,
) -> Chart:
    """Draw each span as a bar on a shared date axis (label and note above it) and today as a line."""
    row_h, top = 30, 34
    dated = [s for s in spans if s.start and s.end]
    chart = Chart(key, width, top + row_h * len(spans) + 4, title, desc)
    if not dated:
        return chart
    first = min(min(s.start for s in dated), today)
    last = max(max(s.end for s in dated), today)
    days = max((last - first).days, 1)

    def x_of(day: date) -> float:
        return width * (day - first).days / days

    month = date(first.year, first.month, 1)
    months = []
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    every = max(1, -(-len(months) // max(int(width // 44), 1)))  # a tick label needs about 44 px
    for i, m in enumerate(months):
        if m >= first and i % every == 0:
            chart.add(Line(x_of(m), 16, x_of(m), chart.height, "grid"), Text(x_of(m) + 2, 12, tick_label(m), "axis"))
    for i, s in enumerate(spans):
        y = top + i * row_h
        note_w = len(s.note) * CHAR + 8
        chart.add(Text(0, y + 10, fit(s.label, width - note_w, bold=s.state == "current"), f"row-label {s.state}"))
        chart.add(Text(width, y + 10, s.note, "row-note", "end"))
        if s.start and s.end:
            x = x_of(s.start)
            chart.add(
                Rect(
                    x,
                    y + 14,
                    max(x_of(s.end + timedelta(days=1)) - x, 2),
                    10,
                    f"span span-{s.state}",
                    f"{s.label}: {s.note}",
                    (*s.data, ("start", s.start.isoformat()), ("end", s.end.isoformat())),
                )
            )
    tx = x_of(today)
    chart.add(
        Line(tx, 16, tx, chart.height, "today", (("today", today.isoformat()),)),
        Text(min(max(tx, 30), width - 30), 28, today_label, "today-label", "middle"),
    )
    return chart


def sparkline(
    key: str, title: str, desc: str, points: Sequence[tuple[date, int]], most: int, width: float = 160
) -> Chart:
    """Draw a small line of values over dates on a shared maximum (small multiples compare by height)."""
    height, top, bottom = 40, 4, 36
    chart = Chart(key, width, height, title, desc)
    chart.add(Line(0, bottom, width - 24, bottom, "grid"))
    if not points:
        return chart
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)
    plot_w, scale = width - 28, (bottom - top) / max(most, 1)
    coords = tuple((plot_w * (d - first).days / span, bottom - v * scale) for d, v in points)
    chart.add(Polyline(coords, "trend", (("points", len(points)), ("last", points[-1][1]))))
    x, y = coords[-1]
    chart.add(
        Dot(x, y, "trend-dot", "", (("value", points[-1][1]),)),
        Text(width, y + 4, str(points[-1][1]), "bar-value", "end"),
    )
    return chart
