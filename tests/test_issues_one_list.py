"""The one issue list: it says its filter in words (each condition a chip that drops it), opens on the
unresolved issues soonest due first, numbers every issue, and names bad filter input beside the filter."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.datastructures import MultiDict

from coordapp.core.time import local_today
from coordapp.extensions import db
from coordapp.issues.filters import IssueFilter
from tests import factories


def _filter_of(url: str) -> IssueFilter:
    query = parse_qs(urlsplit(unescape(url)).query, keep_blank_values=True)
    return IssueFilter.from_args(MultiDict([(k, v) for k, values in query.items() for v in values]))


def _chips(page: str) -> dict[str, tuple[str, str]]:
    """Return {field: (words, removal link)} of the chips above the list."""
    found = re.findall(r'<a class="chip" href="([^"]+)" data-chip="(\w+)"[^>]*>([^<]+?) <span', page)
    return {name: (unescape(words), unescape(href)) for href, name, words in found}


def _titles_in_order(page: str) -> list[str]:
    return re.findall(r'<a href="/issues/\d+">([^<]+)</a>', page)


@pytest.fixture
def issues(app):
    election = factories.make_election()
    stages = {s.code: s for s in election.stages}
    today = local_today()
    made = {
        "later": factories.make_issue(election, title="Izin kampanye", due_date=today + timedelta(days=9)),
        "soon": factories.make_issue(
            election, title="Logistik terlambat", status="in_progress", due_date=today + timedelta(days=1)
        ),
        "undated": factories.make_issue(election, title="Tanpa tenggat", status="waiting", due_date=None),
        "late": factories.make_issue(
            election,
            title="TPS tanpa akses disabilitas",
            stage=stages["pemungutan"],
            priority="high",
            due_date=today - timedelta(days=3),
        ),
        "resolved": factories.make_issue(election, title="Sudah selesai", status="resolved", due_date=today),
        "closed": factories.make_issue(election, title="Sudah ditutup", status="closed", due_date=today),
    }
    db.session.commit()
    return election, stages, made


def test_the_list_opens_on_unresolved_issues_soonest_due_first_undated_last(client, auth, issues):
    auth.as_role("staff")
    page = client.get("/issues/").get_data(as_text=True)
    assert _titles_in_order(page) == [
        "TPS tanpa akses disabilitas",
        "Logistik terlambat",
        "Izin kampanye",
        "Tanpa tenggat",
    ]
    chips = _chips(page)
    assert chips["status"][0] == "Status: terbuka (belum selesai atau ditutup)"
    # the explicit choice of every status: drop the status chip
    every = client.get(chips["status"][1]).get_data(as_text=True)
    assert "status=all" in chips["status"][1]
    assert "Sudah selesai" in every and "Sudah ditutup" in every
    assert 'data-chip="status"' not in every


def test_every_row_and_the_issue_page_carry_the_issue_number(client, auth, issues):
    election, stages, made = issues
    auth.as_role("staff")
    page = client.get("/issues/").get_data(as_text=True)
    for name in ("later", "soon", "undated", "late"):
        issue = made[name]
        assert f'<span class="issue-no">#{issue.id}</span> <a href="/issues/{issue.id}">' in page
    detail = client.get(f"/issues/{made['late'].id}").get_data(as_text=True)
    assert f'<h1><span class="issue-no">#{made["late"].id}</span> TPS tanpa akses disabilitas</h1>' in detail
    assert f"<title>#{made['late'].id} TPS tanpa akses disabilitas" in detail


def test_the_chips_say_the_filter_in_words_and_each_drops_exactly_its_condition(client, auth, issues):
    election, stages, made = issues
    auth.as_role("staff")
    url = (
        f"/issues/?stage={stages['pemungutan'].id}&overdue=1&priority=high&priority=critical&q=TPS"
        "&status=open&status=waiting&due_before=2030-12-31&sort=priority"
    )
    shown = _filter_of(url)
    page = client.get(url).get_data(as_text=True)
    chips = _chips(page)
    assert {name: words for name, (words, _) in chips.items()} == {
        "stage": "Tahapan: Pemungutan dan penghitungan suara",
        "status": "Status: Terbuka, Menunggu pemangku kepentingan",
        "priority": "Prioritas: Tinggi, Kritis",
        "due_before": "Tenggat sampai: 31 Desember 2030",
        "overdue": "Hanya yang lewat tenggat",
        "q": "Isi: TPS",
    }
    for name, (_, link) in chips.items():
        expected = shown.without(name) if name != "status" else IssueFilter(**{**shown.__dict__, "status": []})
        assert _filter_of(link) == expected, name
        assert link.startswith("/issues/?")
    clear = unescape(re.search(r'<a class="chips-clear" href="([^"]+)"', page).group(1))
    assert _filter_of(clear) == IssueFilter(status=[], sort="priority")  # every condition gone, the order kept
    assert "TPS tanpa akses disabilitas" in page


def test_the_filter_form_is_folded_below_the_chips_until_an_input_is_refused(client, auth, issues):
    auth.as_role("staff")
    page = client.get("/issues/?overdue=1").get_data(as_text=True)
    assert '<details class="filter-panel filter-fold">' in page
    assert page.index('id="filter-words"') < page.index('<details class="filter-panel') < page.index("<table")


@pytest.mark.parametrize(
    "query, field, message",
    [
        ("stage=abc", "stage", "“abc” bukan salah satu pilihan “Tahapan”; kondisi itu diabaikan."),
        ("due_before=2026-13-40", "due_before", "“2026-13-40” bukan tanggal (tulis sebagai TTTT-BB-HH)"),
        ("status=deleted", "status", "“deleted” bukan salah satu pilihan “Status”"),
        ("priority=urgent&overdue=1", "priority", "“urgent” bukan salah satu pilihan “Prioritas”"),
    ],
)
def test_bad_filter_input_is_named_next_to_the_filter_and_the_list_stays_usable(
    client, auth, issues, query, field, message
):
    auth.as_role("staff")
    response = client.get(f"/issues/?{query}")
    assert response.status_code == 400
    page = unescape(response.get_data(as_text=True))
    problems = page[
        page.index('<ul class="filter-problems" role="alert">') : page.index("</ul>", page.index("filter-problems"))
    ]
    assert f'data-problem="{field}"' in problems and message in problems
    assert '<details class="filter-panel filter-fold" open>' in page  # the form shows where to correct it
    assert message in page[page.index('role="search"') :]  # and again under its field
    assert "TPS tanpa akses disabilitas" in page  # the rest of the filter still lists


def test_bad_filter_input_reads_in_english_too(client, auth, issues):
    auth.as_role("staff", language="en")
    page = unescape(client.get("/issues/?stage=abc&due_after=tomorrow").get_data(as_text=True))
    assert "“abc” is not one of the choices of “Stage”; that condition is left out." in page
    assert "“tomorrow” is not a date (write it as YYYY-MM-DD); that condition is left out." in page
    assert "Status: open (not resolved or closed)" in page and "Clear all" in page


def test_a_due_date_range_keeps_the_issues_due_in_it(client, auth, issues):
    auth.as_role("staff")
    today = local_today()
    page = client.get(f"/issues/?due_after={today}&due_before={today + timedelta(days=5)}").get_data(as_text=True)
    assert _titles_in_order(page) == ["Logistik terlambat"]
    assert f'value="{today.isoformat()}"' in page


def test_the_board_numbers_lead_to_the_one_list_with_every_status_of_the_stage(client, auth, issues):
    election, stages, made = issues
    auth.as_role("manager")
    board = unescape(client.get(f"/dashboard/?election={election.id}").get_data(as_text=True))
    links = set(re.findall(r'href="(/issues/\?[^"]+)"', board))
    assert links and all(link.startswith("/issues/?") for link in links)
    assert "/dashboard/issues" not in board
    totals = [
        link
        for link in links
        if _filter_of(link) == IssueFilter(election_id=election.id, stage=[election.stages[0].id], status=[])
    ]
    assert totals  # the stage's total: every status, not the list's default
    page = client.get(totals[0]).get_data(as_text=True)
    assert "Sudah selesai" in page and "Izin kampanye" in page


def test_an_old_bookmark_of_the_list_without_status_opens_on_the_open_issues(client, auth, issues):
    auth.as_role("staff")
    page = client.get("/issues/?sort=-created").get_data(as_text=True)
    assert "Sudah selesai" not in page and "Izin kampanye" in page
