"""The board's and the scorecard's charts: geometry from known figures, the aggregates on the fixed data set of
dashboard_support (worked out by hand in the comments), and what a manager sees on the pages."""

import re
from datetime import date

import pytest

from coordapp.dashboard import svg
from coordapp.dashboard.board import build_board
from coordapp.dashboard.charts import Spread, duration_days, open_ages, spread, weekly_flow
from coordapp.dashboard.targets import TARGETS, grade
from coordapp.extensions import db
from coordapp.issues.models import Issue
from tests import factories
from tests.dashboard_support import TODAY, build_world
from tests.querycount import count_queries


@pytest.fixture
def world(app):
    return build_world()


@pytest.fixture
def on_the_day(monkeypatch):
    """Make the board's "today" the data set's day (20 Oct 2020, in the campaign)."""
    monkeypatch.setattr("coordapp.dashboard.views.local_today", lambda tz=None, now=None: TODAY)


def rects(chart, cls):
    return [s for s in chart.shapes if isinstance(s, svg.Rect) and cls in s.cls.split()]


# --- Geometry, without the app ---


def test_stacked_bars_are_as_long_as_their_counts():
    rows = [svg.BarRow("1. A", (1, 3), "4 open", (("stage", 1),)), svg.BarRow("2. B", (0, 10), "10 open")]
    chart = svg.stacked_bars("c", "Open", "desc", (("overdue", "overdue"), ("open", "open")), rows)
    overdue, opened = rects(chart, "seg-overdue"), rects(chart, "seg-open")
    bars = [r for r in overdue + opened if r.data]  # the legend's swatches carry no figures
    assert [dict(r.data)["value"] for r in bars] == [1, 3, 10]
    assert dict(bars[0].data)["stage"] == 1 and bars[0].hatched  # overdue is hatched, not colour alone
    full = bars[2].w  # 10 is the axis maximum
    assert bars[0].w == pytest.approx(full / 10) and bars[1].w == pytest.approx(full * 3 / 10)
    assert bars[1].x == pytest.approx(bars[0].x + bars[0].w)  # stacked
    assert not any(r for r in opened if r.data and dict(r.data)["value"] == 0)  # no bar for nothing


def test_a_histogram_has_a_column_per_bin_and_the_target_between_them():
    bins = svg.bins_of({0: 2, 1: 1, 4: 4, 40: 1}, (0, 1, 2, 3, 5, 7, 14, 30))
    assert [(b.label, b.count) for b in bins] == [
        ("0–1", 2),
        ("1–2", 1),
        ("2–3", 0),
        ("3–5", 4),
        ("5–7", 0),
        ("7–14", 0),
        ("14–30", 0),
        ("30+", 1),
    ]
    chart = svg.histogram("h", "t", "d", bins, 3, "target 3 d", "days")
    columns = rects(chart, "bin")
    heights = {dict(c.data)["bin"]: c.h for c in columns}
    assert heights["3–5"] == pytest.approx(2 * heights["0–1"]) == pytest.approx(4 * heights["1–2"])
    assert [dict(c.data)["late"] for c in columns] == [0, 0, 0, 1, 1, 1, 1, 1]
    assert all(c.hatched for c in columns if "bin-late" in c.cls)
    target = next(s for s in chart.shapes if isinstance(s, svg.Line) and s.cls == "target")
    assert dict(target.data) == {"target": 3}
    third, fourth = columns[2], columns[3]
    assert third.x + third.w < target.x1 < fourth.x  # between "2–3" and "3–5"


def test_open_issues_week_by_week_from_raised_and_resolved_counts():
    mon = date(2020, 10, 5)
    created = {date(2020, 9, 28): 2, mon: 3, date(2020, 10, 12): 1}
    resolved = {mon: 1, date(2020, 10, 12): 2}
    points = svg.weekly_open(created, resolved, mon, date(2020, 10, 14))
    # 2 raised before the start count from the first point: 2 + 3 - 1 = 4 at the end of the week of 5 Oct.
    assert points == [(date(2020, 10, 11), 4), (date(2020, 10, 14), 3)]
    chart = svg.line_over_time("b", "t", "d", points, str)
    dots = [s for s in chart.shapes if isinstance(s, svg.Dot)]
    assert {dict(d.data)["value"] for d in dots} == {4, 3}


def test_a_mistyped_old_date_draws_at_most_ten_years():
    today = date(2026, 12, 8)
    points = svg.weekly_open({date(1920, 1, 5): 1}, {}, date(1920, 1, 5), today)
    assert len(points) <= svg.MAX_WEEKS + 2 and points[0][1] == 1  # the issue still counts as open


def test_the_timeline_puts_each_stage_on_its_dates_and_today_between():
    spans = [
        svg.Span("1. A", date(2020, 1, 1), date(2020, 1, 31), "0 open", "past"),
        svg.Span("2. B", date(2020, 2, 1), date(2020, 3, 1), "2 open", "current"),
        svg.Span("3. C", None, None, "0 open", "future"),
    ]
    chart = svg.timeline("g", "t", "d", spans, date(2020, 2, 15), "today", str, width=300)
    a, b = rects(chart, "span")
    assert a.x == 0 and a.x + a.w == pytest.approx(b.x)  # B starts the day after A ends
    today = next(s for s in chart.shapes if isinstance(s, svg.Line) and s.cls == "today")
    assert b.x < today.x1 < b.x + b.w
    assert len(rects(chart, "span")) == 2  # a stage without dates gets its row and no bar


def test_the_spread_is_median_p90_and_max():
    assert spread({}) == Spread()
    assert spread({10: 1, 6: 1}) == Spread(2, 8.0, 10, 10)
    values = {d: 1 for d in range(1, 11)}  # 1..10
    assert spread(values) == Spread(10, 5.5, 9, 10)
    assert spread({1: 9, 2188: 1}) == Spread(10, 1.0, 1, 2188)  # one forgotten issue is the maximum, not typical


def test_grades_against_the_targets():
    ratio = type("R", (), {})
    assert TARGETS["median_response_days"].value == 3  # the timely-response rule of the scorecard
    assert grade("median_response_days", 2.5) == "meets"
    assert grade("median_response_days", 4.0) == "near"
    assert grade("median_response_days", 5.0) == "misses"
    share = ratio()
    share.share = 0.7
    assert grade("followed_up_in_3_days", share) == "near"  # 70 % against 80 %
    share.share = None
    assert grade("followed_up_in_3_days", share) == "none"
    assert grade("meetings_held", 3) == "untargeted"


# --- The aggregates, on the fixed data set ---


def test_open_issue_ages_per_stage(world):
    ages = open_ages(world.election, TODAY)
    # A3 raised 10 Oct, A4 14 Oct; B1 18 Oct, B2 5 Oct WIB (4 Oct UTC); N1 2 Oct. Resolved and archived ones are out.
    assert ages[world.stage_a.id] == {10: 1, 6: 1}
    assert ages[world.stage_b.id] == {2: 1, 15: 1}
    assert ages[None] == {18: 1}


def test_durations_in_whole_days_per_stage(world):
    a = duration_days(world.election)[world.stage_a.id]
    assert a["response"] == {1: 1, 4: 1, 2: 1, 0: 1}  # A1 1 d, A2 4 d, A3 2 d, A6 1 h
    assert a["resolution"] == {4: 1, 16: 1, 0: 1}  # A1 4 d, A2 16 d, A6 23.5 h


def test_issues_raised_and_resolved_per_local_week(world):
    b = weekly_flow(world.election)[world.stage_b.id]
    # B2 raised Monday 5 Oct WIB, B3 on the 6th and resolved the 9th; B1 on Sunday 18 Oct (week of the 12th).
    assert b == {"created": {date(2020, 10, 5): 2, date(2020, 10, 12): 1}, "resolved": {date(2020, 10, 5): 1}}


def test_the_oldest_open_issue_is_named(world):
    board = build_board(world.election, TODAY)
    b = next(s for s in board.stages if s.stage.id == world.stage_b.id)
    assert b.oldest_open_id == world.issues["B2"].id
    assert board.total.oldest_open_id == world.issues["N1"].id


# --- The pages ---


def _board(client, auth, world) -> str:
    auth.as_role("manager")
    return client.get(f"/dashboard/?election={world.election.id}").get_data(as_text=True)


def test_the_board_opens_on_the_current_stage_and_its_charts(client, auth, world, on_the_day):
    page = _board(client, auth, world)
    current = page.index('class="card current-board"')
    assert current < page.index('id="all-stages-heading"') < page.index('<table class="table board')
    assert "Tahapan saat ini: 12. Kampanye" in page[current : current + 400]
    for key in ("chart-burn-current", "chart-response-current", "chart-resolution-current"):
        assert current < page.index(f'id="{key}"') < page.index('id="all-stages-heading"')
    # In the table too, the current stage's row comes first, before the election's total.
    assert page.index('aria-current="true"') < page.index('class="board-total"')
    assert page.count('aria-current="true"') == 1


def test_the_current_stage_shows_the_spread_of_its_open_issues_ages(client, auth, world, on_the_day):
    page = _board(client, auth, world)
    b2 = world.issues["B2"].id
    # B1 is 2 days old, B2 15: median 8.5, p90 and max 15, the oldest is B2.
    oldest = f'(<a class="issue-ref" href="/issues/{b2}">#{b2}</a>)'
    assert f"Umur kendala terbuka: median 8,5 · p90 15 · maks 15 hari {oldest}" in page
    # All stages: 2, 6, 10, 15, 18 days -> median 10, p90 and max 18 (N1).
    assert "Umur kendala terbuka: median 10,0 · p90 18 · maks 18 hari" in page


def test_the_charts_are_accessible_images_with_their_figures(client, auth, world, on_the_day):
    page = _board(client, auth, world)
    svgs = re.findall(r'<svg class="chart-svg"[^>]*>', page)
    # Burn-down, response, resolution of the stage; open bars, timeline, burn-down of all; a small line per stage
    # with issues (A and B).
    assert len(svgs) == 8
    for tag in svgs:
        key = re.search(r'aria-labelledby="([\w-]+)-title \1-desc"', tag).group(1)
        assert 'role="img"' in tag
        assert f'<title id="{key}-title">' in page and f'<desc id="{key}-desc">' in page
    assert "Kendala terbuka per tahapan" in page
    assert "3 kendala terbuka, 2 di antaranya lewat tenggat, di 20 tahapan." not in page  # N1 has no stage
    assert "4 kendala terbuka, 2 di antaranya lewat tenggat, di 20 tahapan." in page  # A3, A4, B1, B2
    # Stage 12 (kampanye): B1 and B2 open, B2 overdue.
    bar = re.search(r'<rect class="seg seg-overdue"[^>]*data-stage="12"[^>]*data-value="(\d+)"', page)
    assert bar and bar.group(1) == "1"
    assert re.search(r'<rect class="seg seg-open"[^>]*data-stage="12"[^>]*data-value="1"', page)
    # Response target: 3 days; resolution: 14. B's responses 1 and 1.5 days: both inside.
    assert re.search(r'<line class="target"[^>]*data-target="3"', page)
    assert re.search(r'<line class="target"[^>]*data-target="14"', page)
    assert "2 dari 2 kendala dalam target 3 hari." in page
    # The figures as a table, one click away (the small lines share one).
    assert page.count('<details class="chart-data') == 7
    # One small line per stage with issues, on one scale: A has 2 open today, B 2.
    assert re.search(r'<polyline class="trend" points="[^"]*" data-points="\d+" data-last="2"', page)
    assert 'id="trend-7-title">7. Pemutakhiran' in page and 'id="trend-12-title">12. Kampanye' in page
    assert "trend-9-title" not in page  # no issue in stage 9


def test_the_english_board_speaks_english(client, auth, world, on_the_day):
    auth.as_role("manager", language="en")
    page = client.get(f"/dashboard/?election={world.election.id}").get_data(as_text=True)
    assert "Open issues over time: 12. " in page and "Figures as a table" in page
    assert "Age of open issues: median 10.0 · p90 18 · max 18 days" in page


def test_an_election_without_issues_draws_empty_charts(client, auth, app, on_the_day):
    election = factories.make_election()
    db.session.commit()
    auth.as_role("manager")
    board = client.get(f"/dashboard/?election={election.id}")
    card = client.get(f"/dashboard/scorecard?election={election.id}")
    assert board.status_code == 200 and card.status_code == 200
    text = board.get_data(as_text=True)
    assert "Belum ada kendala yang memilikinya." in text  # no response yet to draw
    assert "Umur kendala terbuka: –" in text


def test_an_election_without_stages_still_renders(client, auth, app):
    election = factories.make_election(with_stages=False)
    db.session.commit()
    auth.as_role("manager")
    assert client.get(f"/dashboard/?election={election.id}").status_code == 200
    assert client.get(f"/dashboard/scorecard?election={election.id}").status_code == 200


def test_the_board_and_its_charts_run_a_fixed_number_of_queries(client, auth, world, on_the_day):
    auth.as_role("manager")
    url = f"/dashboard/?election={world.election.id}"
    with count_queries() as few:
        assert client.get(url).status_code == 200
    for n in range(30):
        factories.make_issue(
            world.election,
            stage=world.election.stages[n % 20],
            status=("open", "resolved", "waiting")[n % 3],
            created_dt=world.issues["A1"].created_dt,
            resolved_dt=world.issues["A1"].resolved_dt if n % 3 == 1 else None,
        )
    db.session.commit()
    with count_queries() as more:
        assert client.get(url).status_code == 200
    assert more.count == few.count


# --- The scorecard grid ---


def _cells(page: str) -> dict:
    """Return {(row heading, measure key): (grade, text)} of the scorecard grid."""
    grid = page[page.index('<table class="table score-grid">') : page.index("</table>", page.index("score-grid"))]
    cells = {}
    for row in re.findall(r"<tr[^>]*><th scope=\"row\"[^>]*>(.*?)</th>(.*?)</tr>", grid, re.S):
        for key, g, text in re.findall(r'data-key="(\w+)" data-grade="(\w+)"[^>]*>(.*?)</td>', row[1], re.S):
            cells[(row[0], key)] = (g, re.sub(r"<[^>]+>", "", text).strip())
    return cells


def test_the_scorecard_grid_grades_each_cell_against_its_target(client, auth, world):
    auth.as_role("manager")
    page = client.get(f"/dashboard/scorecard?election={world.election.id}").get_data(as_text=True)
    cells = _cells(page)
    a = "7. Pemutakhiran dan penyusunan daftar pemilih"
    # Stage A: follow-up within 3 days 3 of 5 = 60 % against >= 80 %: more than 15 points short.
    assert cells[(a, "followed_up_in_3_days")] == ("misses", "60% ✗ (di bawah target)")
    assert cells[(a, "median_response_days")] == ("meets", "1,5 ✓ (memenuhi target)")  # <= 3 days
    assert cells[(a, "median_resolution_days")] == ("meets", "4,0 ✓ (memenuhi target)")  # <= 14 days
    assert cells[(a, "resolved_by_due")][0] == "misses"  # 1 of 4
    assert cells[(a, "meetings_held")] == ("untargeted", "3")  # a count: no colour, no mark
    assert cells[("Keseluruhan", "followed_up_in_3_days")][0] == "near"  # 6 of 8 = 75 %
    assert cells[("1. Perencanaan program dan anggaran", "resolved_by_due")] == ("none", "–")
    # The legend states each target.
    assert "≤ 3 hari" in page and "≤ 14 hari" in page and "≥ 80%" in page
    # The detail tables stay one click away.
    assert '<details class="detail-tables" id="detail-tables">' in page
    assert page.index("score-grid") < page.index('id="detail-tables"') < page.index(". Produktivitas</h2>")


def test_the_scorecard_shows_the_distributions_with_their_spread(client, auth, world):
    auth.as_role("manager")
    page = client.get(f"/dashboard/scorecard?election={world.election.id}").get_data(as_text=True)
    # Responses in whole days: 0 (A6), 1 (A1, B3, B2 1.5, N1 1.5), 2 (A3), 4 (A2): p90 4, max 4; the median is the
    # scorecard's exact one, 1.5 days (as in the grid), not the whole days' 1.
    assert "median 1,5 · p90 4 · maks 4 hari" in page
    assert re.search(r'<rect class="bin bin-ok"[^>]*data-bin="1–2" data-count="4"', page)
    assert re.search(r'<rect class="bin bin-late"[^>]*data-bin="3–5" data-count="1" data-late="1"', page)


def test_the_scorecard_runs_a_fixed_number_of_queries_with_its_charts(client, auth, world):
    auth.as_role("manager")
    url = f"/dashboard/scorecard?election={world.election.id}"
    with count_queries() as few:
        assert client.get(url).status_code == 200
    for n in range(12):
        factories.make_issue(world.election, stage=world.election.stages[n % 20], first_response_dt=None)
    db.session.commit()
    with count_queries() as more:
        assert client.get(url).status_code == 200
    assert more.count == few.count


def test_the_board_still_answers_304_when_nothing_changed(client, auth, world):
    auth.as_role("manager")
    url = f"/dashboard/?election={world.election.id}"
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    db.session.get(Issue, world.issues["B1"].id).status = "resolved"
    db.session.commit()
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 200


def test_ages_after_the_last_stage_say_why_they_are_large(client, auth, world, monkeypatch):
    monkeypatch.setattr("coordapp.dashboard.views.local_today", lambda tz=None, now=None: date(2026, 12, 8))
    page = _board(client, auth, world)
    # N1 raised 2 Oct 2020: 2,258 days by 8 Dec 2026; the last stage (evaluasi) ended in 2021.
    assert "maks 2.258 hari" in page
    assert "Tahapan terakhir berakhir pada" in page and "terus dihitung sampai hari ini" in page
