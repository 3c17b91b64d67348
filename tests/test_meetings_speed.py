"""The meetings pages run the same number of queries for 5 rows as for 50."""

from datetime import UTC, datetime, timedelta

import pytest

from coordapp.extensions import db
from tests import factories
from tests.querycount import count_queries


def _meetings(election, n: int, author, first: int = 0) -> list:
    """Create n meetings, each with organizations, a contact and a staff attendee, minutes and an issue."""
    rows = []
    for i in range(first, first + n):
        org = factories.make_organization()
        meeting = factories.make_meeting(
            election,
            title=f"Rapat {i}",
            created_by=author,
            start_dt=datetime(2020, 9, 1, 2, tzinfo=UTC) + timedelta(days=i),
        )
        meeting.organizations = [org, factories.make_organization()]
        factories.add_attendee(meeting, contact=factories.make_contact(org))
        factories.add_attendee(meeting, user=author)
        factories.add_minutes(meeting, author, f"Notulen {i}")
        factories.make_issue(election, meeting=meeting, owner=author)
        rows.append(meeting)
    db.session.commit()
    return rows


def _count(client, url: str) -> int:
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200
    return q.count


@pytest.mark.parametrize("view", ["list", "week"])
def test_meetings_list_query_count_is_fixed(client, auth, app, view):
    app.config["PAGE_SIZE"] = 100  # all rows on one page
    user = auth.as_role("staff")
    election = factories.make_election()
    _meetings(election, 5, user)
    few = _count(client, f"/meetings/?view={view}")
    _meetings(election, 45, user, first=5)
    many = _count(client, f"/meetings/?view={view}")
    page = client.get(f"/meetings/?view={view}").get_data(as_text=True)
    assert page.count('href="/meetings/') >= 50 and "Rapat 49" in page
    assert few == many, f"{few} queries with 5 meetings, {many} with 50"
    print(f"meetings list ({view}): {many} queries")


def _busy_meeting(election, n: int, author):
    """A meeting with n organizations, n contacts and n staff invited, n minutes revisions and n issues."""
    meeting = factories.make_meeting(election, created_by=author)
    meeting.organizations = [factories.make_organization() for _ in range(n)]
    for _ in range(n):
        factories.add_attendee(meeting, contact=factories.make_contact(meeting.organizations[0]))
        factories.add_attendee(meeting, user=factories.make_user("staff"))
        factories.add_minutes(meeting, author, "Notulen")
        factories.make_issue(election, meeting=meeting, owner=author)
    db.session.commit()
    return meeting


@pytest.mark.parametrize("page", ["detail", "edit", "minutes", "revision"])
def test_meeting_pages_query_count_is_fixed(client, auth, page):
    user = auth.as_role("staff")
    election = factories.make_election()
    small, big = _busy_meeting(election, 5, user), _busy_meeting(election, 50, user)
    urls = {
        "detail": "/meetings/{m.id}",
        "edit": "/meetings/{m.id}/edit",
        "minutes": "/meetings/{m.id}/minutes",
        "revision": "/meetings/{m.id}/minutes/{m.minutes_revisions[2].id}",
    }
    few = _count(client, urls[page].format(m=small))
    many = _count(client, urls[page].format(m=big))
    assert few == many, f"{few} queries with 5 rows, {many} with 50"
    print(f"meeting {page} page: {many} queries")
