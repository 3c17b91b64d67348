"""The issue list: filters in the URL, counts per value, keyset pages that never skip or repeat a row."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event

from coordapp.core.time import local_today
from coordapp.extensions import db
from coordapp.issues import listing
from coordapp.issues.filters import PRIORITY_ORDER, IssueFilter
from tests import factories
from tests.issues_support import make_world

TODAY = date(2020, 10, 10)


def _many_issues(n: int = 40):
    election = factories.make_election()
    stamp = datetime(2020, 9, 1, 3, tzinfo=UTC)
    priorities = ("low", "normal", "high", "critical")
    for i in range(n):
        due = None if i % 7 == 0 else date(2020, 10, 1) + timedelta(days=i % 5)  # NULLs and many ties
        created = stamp + timedelta(hours=i // 3)  # ties on created_dt too
        factories.make_issue(
            election,
            title=f"Kendala {i:02d}",
            due_date=due,
            created_dt=created,
            priority=priorities[i % 4],
            status="open",
        )
    db.session.commit()
    return election


def _expected(issues, sort: str) -> list[int]:
    def key(issue):
        if sort.lstrip("-") == "due":
            return issue.due_date
        if sort.lstrip("-") == "created":
            return issue.created_dt
        return PRIORITY_ORDER[issue.priority]

    present = [i for i in issues if key(i) is not None]
    missing = [i for i in issues if key(i) is None]
    descending = sort.startswith("-")
    present.sort(key=lambda i: (key(i), i.id), reverse=descending)
    missing.sort(key=lambda i: i.id, reverse=descending)
    return [i.id for i in present + missing]


@pytest.mark.parametrize("sort", ["due", "-due", "created", "-created", "priority", "-priority"])
def test_keyset_pages_walk_forward_and_back_without_gaps(app, sort):
    _many_issues()
    f = IssueFilter(sort=sort)
    everything = db.session.execute(db.select(listing.Issue)).scalars().all()
    expected = _expected(everything, sort)
    seen, pages, page = [], [], listing.fetch_page(f, TODAY, size=7)
    while True:
        pages.append([i.id for i in page.rows])
        seen += pages[-1]
        if page.next_cursor is None:
            break
        page = listing.fetch_page(f, TODAY, after=page.next_cursor, size=7)
    assert seen == expected
    back = [pages[-1]]
    while page.prev_cursor is not None:
        page = listing.fetch_page(f, TODAY, before=page.prev_cursor, size=7)
        back.append([i.id for i in page.rows])
    assert back[::-1] == pages


def test_deep_pages_seek_by_cursor_not_offset(app):
    _many_issues(30)
    first = listing.fetch_page(IssueFilter(sort="due"), TODAY, size=10)
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        listing.fetch_page(IssueFilter(sort="due"), TODAY, after=first.next_cursor, size=10)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    statement, parameters = seen[0]
    assert "(issues.due_date, issues.id) >" in statement  # the first statement picks the page by cursor
    if "OFFSET" in statement.upper():  # SQLite always writes "LIMIT ? OFFSET ?"; it must skip nothing
        offset = (
            parameters[-1]
            if isinstance(parameters, (list, tuple))
            else parameters[statement.split("OFFSET")[1].split("(")[1].split(")")[0]]
        )
        assert offset == 0


def test_a_broken_cursor_shows_the_first_page(client, auth):
    _many_issues(30)
    auth.as_role("staff")
    naive = listing.encode_cursor("2020-09-01T03:00:00", 5)
    for sort, junk in [
        ("due", "%%%"),
        ("due", "bm90IGpzb24"),
        ("due", "WzEsMl0"),
        ("due", "WyJ4IiwieSJd"),
        ("-created", naive),
        ("priority", listing.encode_cursor("x", 1)),
    ]:
        response = client.get(f"/issues/?sort={sort}&after={junk}")
        assert response.status_code == 200
        assert "Kendala 29" in response.get_data(as_text=True) or sort != "-created"  # the first page


def test_list_page_links_to_the_next_page_with_the_filter(client, auth):
    _many_issues(60)
    auth.as_role("staff")
    page = client.get("/issues/?priority=high&priority=low&sort=-created").get_data(as_text=True)
    link = page.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    assert "priority=high" in link and "priority=low" in link and "sort=-created" in link and "after=" in link
    second = client.get(link).get_data(as_text=True)
    assert 'rel="prev"' in second


def test_counts_per_value_follow_the_other_filters(client, auth):
    world = make_world()  # one open normal issue, due in a week
    election = world.election
    factories.make_issue(election, title="Hoaks di media sosial", status="waiting", priority="high")
    factories.make_issue(election, title="Logistik terlambat", status="open", priority="high")
    factories.make_issue(election, title="Akses TPS disabilitas", status="resolved", priority="critical")
    db.session.commit()
    auth.login(world.owner)
    page = client.get("/issues/?status=open").get_data(as_text=True)

    def count(facet):
        return int(page.split(f'data-facet="{facet}">')[1].split("<")[0])

    # status counts ignore the status filter itself (so other values stay reachable) ...
    assert (count("status-open"), count("status-waiting"), count("status-resolved")) == (2, 1, 1)
    # ... priority counts are of the open issues only
    assert (count("priority-high"), count("priority-normal"), count("priority-critical")) == (1, 1, 0)
    assert "Ditemukan: 2" in page


def test_overdue_rows_are_marked(client, auth):
    world = make_world()
    late = factories.make_issue(world.election, title="Sudah lewat", due_date=local_today() - timedelta(days=2))
    factories.make_issue(
        world.election, title="Selesai lewat", status="resolved", due_date=local_today() - timedelta(days=2)
    )
    db.session.commit()
    auth.login(world.owner)
    page = client.get("/issues/").get_data(as_text=True)
    rows = {part.split('"')[0]: part.split("</tr>")[0] for part in page.split('data-issue="')[1:]}
    assert "Lewat tenggat" in rows[str(late.id)] and 'class="is-overdue' in page
    assert sum("Lewat tenggat" in row for row in rows.values()) == 1
    filtered = client.get("/issues/?overdue=1").get_data(as_text=True)
    assert "Sudah lewat" in filtered and "Selesai lewat" not in filtered and world.issue.title not in filtered


def test_text_search_and_filters_through_the_page(client, auth):
    world = make_world()
    factories.make_issue(
        world.election, title="Izin lokasi kampanye", description="Lapangan di PAMULANG", organizations=[world.bawaslu]
    )
    db.session.commit()
    auth.login(world.owner)
    page = client.get("/issues/?q=pamulang").get_data(as_text=True)
    assert "Izin lokasi kampanye" in page and world.issue.title not in page
    page = client.get("/issues/?category=supervisory").get_data(as_text=True)
    assert "Izin lokasi kampanye" in page and world.issue.title not in page
    page = client.get(f"/issues/?organization={world.dukcapil.id}").get_data(as_text=True)
    assert world.issue.title in page and "Izin lokasi kampanye" not in page
    page = client.get("/issues/?owner=none").get_data(as_text=True)
    assert "Izin lokasi kampanye" in page and world.issue.title not in page


def test_my_issues_are_mine_unresolved_overdue_first(client, auth):
    world = make_world()
    me, today = world.owner, local_today()
    late = factories.make_issue(world.election, title="Terlambat", owner=me, due_date=today - timedelta(days=4))
    undated = factories.make_issue(world.election, title="Tanpa tenggat", owner=me, due_date=None)
    soon = factories.make_issue(world.election, title="Besok", owner=me, due_date=today + timedelta(days=1))
    factories.make_issue(
        world.election, title="Sudah beres", owner=me, status="resolved", due_date=today - timedelta(days=9)
    )
    factories.make_issue(
        world.election, title="Punya orang lain", owner=world.other, due_date=today - timedelta(days=9)
    )
    factories.make_issue(world.election, title="Diarsipkan", owner=me, is_archived=True)
    db.session.commit()
    auth.login(me)
    page = client.get("/issues/mine").get_data(as_text=True)
    order = [int(part.split('"')[0]) for part in page.split('data-issue="')[1:]]
    assert order == [late.id, soon.id, world.issue.id, undated.id]
    assert "Kendala saya" in page and "lewat tenggat: 1" in page


def _varied_issues():
    """60 issues over three stages (and none), every status and priority, some overdue, one archived."""
    election = factories.make_election()
    stages = election.stages[:3] + [None]
    statuses = ("open", "in_progress", "waiting", "resolved", "closed")
    priorities = ("low", "normal", "high", "critical")
    for i in range(60):
        due = None if i % 7 == 0 else TODAY + timedelta(days=(i // 5) % 5 - 2)  # past, today and future
        stage = stages[i % 4]
        factories.make_issue(
            election,
            stage_id=stage.id if stage else None,
            status=statuses[i % 5],
            priority=priorities[(i // 2) % 4],
            due_date=due,
            is_archived=i == 59,
        )
    db.session.commit()
    return election


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"status": ["open", "waiting"]},
        {"priority": ["high", "critical"], "overdue": True},
        {"stage_index": [0, 2], "status": ["in_progress", "resolved"], "priority": ["low"]},
        {"stage_index": [1], "overdue": True, "status": ["open"]},
    ],
)
def test_counts_match_counting_every_issue_by_hand(app, fields):
    """The one-scan counts equal, facet by facet, what filtering each issue in Python gives."""
    election = _varied_issues()
    fields = dict(fields)
    stage_ids = [election.stages[k].id for k in fields.pop("stage_index", [])]
    f = IssueFilter(election_id=election.id, stage=stage_ids, **fields)
    issues = [i for i in db.session.execute(db.select(listing.Issue)).scalars() if not i.is_archived]

    def keeps(issue, skip=""):
        return (
            (skip == "stage" or not f.stage or issue.stage_id in f.stage)
            and (skip == "status" or not f.status or issue.status in f.status)
            and (skip == "priority" or not f.priority or issue.priority in f.priority)
            and (skip == "overdue" or not f.overdue or issue.is_overdue(TODAY))
        )

    def tally(facet, attribute):
        out = {}
        for issue in issues:
            if keeps(issue, skip=facet):
                out[getattr(issue, attribute)] = out.get(getattr(issue, attribute), 0) + 1
        return out

    counts = listing.facet_counts(f, TODAY)
    assert counts["status"] == tally("status", "status")
    assert counts["priority"] == tally("priority", "priority")
    assert counts["stage"] == tally("stage", "stage_id")
    assert counts["overdue"] == sum(1 for i in issues if keeps(i, skip="overdue") and i.is_overdue(TODAY))
    assert counts["total"] == sum(1 for i in issues if keeps(i))
    assert counts["total"] > 0 or f.overdue
