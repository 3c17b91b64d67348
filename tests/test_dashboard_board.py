"""The stage board: figures on the fixed data set, the at-risk rule, fixed queries, links listing what they count."""

import re
from datetime import UTC, date, datetime
from html import unescape

import pytest

from coordapp.dashboard.board import build_board
from coordapp.extensions import db
from tests import factories
from tests.dashboard_support import TODAY, build_world
from tests.querycount import count_queries


@pytest.fixture
def world(app):
    return build_world()


def figures_of(board, stage):
    return next(s for s in board.stages if s.stage.id == stage.id)


def test_a_stage_that_is_over(world):
    a = figures_of(build_board(world.election, TODAY), world.stage_a)
    assert a.by_status == {"open": 1, "in_progress": 1, "waiting": 0, "resolved": 2, "closed": 1}  # A7 is archived
    assert a.total == 5
    assert a.overdue == 1  # A3, due 12 Oct
    assert a.oldest_open_days(TODAY, "Asia/Jakarta") == 10  # A3, raised 10 Oct
    assert a.median_response_days == pytest.approx(1.5)
    assert a.median_resolution_days == pytest.approx(4.0)
    assert a.meetings_held == 3
    assert not a.is_current and not a.at_risk


def test_the_current_stage(world):
    board = build_board(world.election, TODAY)
    b = figures_of(board, world.stage_b)
    assert board.current is b and b.is_current
    assert b.by_status == {"open": 1, "in_progress": 0, "waiting": 1, "resolved": 1, "closed": 0}
    assert b.overdue == 1  # B2, due yesterday; B1 is due on the 25th
    assert b.open_urgent == 2
    assert b.oldest_open_days(TODAY, "Asia/Jakarta") == 15  # B2: 5 Oct in Jakarta (4 Oct in UTC)
    assert b.median_response_days == pytest.approx(1.25)
    assert b.median_resolution_days == pytest.approx(3.0)
    assert b.meetings_held == 2  # yesterday's and this afternoon's
    assert not b.at_risk  # ends 5 Dec


def test_the_election_total_counts_issues_without_a_stage(world):
    total = build_board(world.election, TODAY).total
    assert total.by_status == {"open": 3, "in_progress": 1, "waiting": 1, "resolved": 3, "closed": 1}
    assert total.overdue == 2
    assert total.oldest_open_days(TODAY, "Asia/Jakarta") == 18  # N1, raised 2 Oct
    assert total.median_response_days == pytest.approx(1.5)
    assert total.median_resolution_days == pytest.approx(3.5)
    assert total.meetings_held == 5


@pytest.mark.parametrize(
    ("today", "at_risk"),
    [
        (date(2020, 11, 27), False),  # kampanye ends in 8 days
        (date(2020, 11, 28), True),  # ... in 7 days, with B1 (critical) and B2 (high) open
        (date(2020, 12, 5), True),  # ... today
        (date(2020, 12, 6), False),  # it is over
    ],
)
def test_a_stage_ending_within_a_week_with_urgent_open_issues_is_at_risk(world, today, at_risk):
    board = build_board(world.election, today)
    assert [s.stage.code for s in board.stages if s.at_risk] == (["kampanye"] if at_risk else [])


def test_no_urgent_open_issue_means_no_risk(world):
    for name in ("B1", "B2"):
        world.issues[name].priority = "normal"
    db.session.commit()
    assert not any(s.at_risk for s in build_board(world.election, date(2020, 12, 1)).stages)


def test_the_stages_are_grouped_by_phase_in_order(world):
    phases = build_board(world.election, TODAY).phases()
    assert [p for p, _ in phases] == ["preparation", "implementation"]
    positions = [s.stage.position for _, rows in phases for s in rows]
    assert positions == list(range(1, 21))


def test_the_board_runs_a_fixed_number_of_queries(client, auth, world):
    auth.as_role("manager")
    url = f"/dashboard/?election={world.election.id}"
    with count_queries() as few:
        assert client.get(url).status_code == 200
    for n in range(40):
        stage = world.election.stages[n % 20]
        factories.make_issue(
            world.election,
            stage=stage,
            status=("open", "resolved", "waiting")[n % 3],
            first_response_dt=datetime(2020, 10, 1, tzinfo=UTC),
            priority=("low", "high", "critical")[n % 3],
        )
        factories.make_meeting(world.election, stage=stage)
    db.session.commit()
    with count_queries() as more:
        assert client.get(url).status_code == 200
    assert more.count == few.count


def _number_links(html: str) -> list[tuple[str, int]]:
    """Return (href, number) of every issue-list link whose text is a whole number (medians have a decimal comma)."""
    found = []
    for href, text in re.findall(r'<a href="(/issues/[^"]*)"[^>]*>\s*([\d.]+)\s*</a>', html):
        found.append((unescape(href), int(text.replace(".", ""))))
    return found


def _list_total(client, href: str) -> int:
    page = client.get(href)
    assert page.status_code == 200, href
    return int(re.search(r'id="issue-total">[^\d]*([\d.,]+)', page.get_data(as_text=True)).group(1).replace(".", ""))


def test_every_count_links_to_a_list_of_exactly_that_many_issues(client, auth, world):
    auth.as_role("manager")
    html = client.get(f"/dashboard/?election={world.election.id}").get_data(as_text=True)
    links = _number_links(html)
    assert len(links) > 20  # per status, totals, overdue, ages, for each stage with issues and the election
    counted = [(href, n) for href, n in links if "sort=created" not in href]  # ages are days, not counts
    for href, shown in counted:
        assert _list_total(client, href) == shown, href
    ages = [href for href, _ in links if "sort=created" in href]
    assert ages and all(_list_total(client, href) > 0 for href in ages)


def test_the_status_bar_is_a_picture_named_by_its_counts_and_the_counts_beside_it_are_the_links(client, auth, world):
    auth.as_role("manager")
    html = client.get(f"/dashboard/?election={world.election.id}").get_data(as_text=True)
    bars = re.findall(r'<svg class="stackbar"[^>]*role="img"[^>]*aria-label="([^"]*)">(.*?)</svg>', html, re.S)
    assert bars and any(re.search(r"\d", label) for label, _ in bars)
    assert not [inside for _, inside in bars if "<a " in inside]  # no link inside a picture (axe nested-interactive)
    counts = re.findall(r'<ul class="status-counts">(.*?)</ul>', html, re.S)
    assert counts and all("<a " in block for block in counts)


def test_meetings_held_links_to_the_meeting_list_of_that_stage_up_to_today(client, auth, world):
    auth.as_role("manager")
    html = client.get(f"/dashboard/?election={world.election.id}").get_data(as_text=True)
    links = re.findall(r'<a href="(/meetings/\?[^"]*)">(\d+)</a>', html)
    stage_a = [unescape(h) for h, n in links if f"stage={world.stage_a.id}" in unescape(h)]
    assert stage_a and "date_to=" in stage_a[0] and f"election={world.election.id}" in stage_a[0]


def test_the_page_shows_the_current_stage_and_the_risk_rule(client, auth, world):
    auth.as_role("manager")
    page = client.get(f"/dashboard/?election={world.election.id}").get_data(as_text=True)
    assert f'href="/dashboard/export/meetings.xlsx?election={world.election.id}"' in page
    assert f'href="/dashboard/export/stages.csv?election={world.election.id}"' in page
    assert 'aria-current="true"' in page
    assert "Papan Tahapan" in page
    assert "Tahapan berisiko bila berakhir dalam 7 hari" in page
    assert "Persiapan" in page and "Penyelenggaraan" in page


def test_without_an_election_the_board_says_so(client, auth):
    auth.as_role("manager")
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert "Belum ada pemilihan" in response.get_data(as_text=True)
