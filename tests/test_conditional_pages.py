"""ETag and 304 on the board, the scorecard and the issue lists: private, revalidated, changed by any write."""

import pytest

from coordapp.extensions import db
from coordapp.issues.services import add_follow_up
from tests import factories
from tests.querycount import count_queries

PAGES = ["/dashboard/?election={e}", "/dashboard/scorecard?election={e}", "/issues/?election_id={e}&status=all"]
PAGES += ["/issues/?election_id={e}", "/issues/mine"]


@pytest.fixture
def election(app):
    election = factories.make_election()
    election.first_issue = factories.make_issue(election, title="Logistik terlambat")
    db.session.commit()
    return election


@pytest.mark.parametrize("page", PAGES)
def test_a_second_get_with_the_etag_answers_304_without_a_body(client, auth, election, page):
    auth.as_role("manager")
    url = page.format(e=election.id)
    first = client.get(url)
    assert first.status_code == 200 and first.headers["ETag"].startswith('W/"')
    assert first.headers["Cache-Control"] == "private, no-cache"  # staff pages: the browser asks every time
    with count_queries() as counted:
        second = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 304 and second.get_data() == b""
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["Cache-Control"] == "private, no-cache"
    assert counted.count <= 3  # the user, the data version: not the page's queries


@pytest.mark.parametrize("page", PAGES)
def test_a_write_changes_the_etag(client, auth, election, page):
    auth.as_role("manager")
    url = page.format(e=election.id)
    tag = client.get(url).headers["ETag"]
    factories.make_issue(election, title="Kendala baru")
    db.session.commit()
    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 200 and again.headers["ETag"] != tag


def test_edits_and_timeline_entries_change_the_etag(client, auth, election):
    auth.as_role("manager")
    url = f"/dashboard/?election={election.id}"
    issue = election.first_issue
    tags = [client.get(url).headers["ETag"]]
    issue.status = "resolved"
    db.session.commit()
    tags.append(client.get(url).headers["ETag"])
    add_follow_up(issue, kind="comment", body="Sudah dikirim")
    db.session.commit()
    tags.append(client.get(url).headers["ETag"])
    assert len(set(tags)) == 3


def test_another_user_never_gets_a_304_for_someone_elses_copy(client, auth, election):
    url = f"/dashboard/?election={election.id}"
    auth.as_role("manager")
    tag = client.get(url).headers["ETag"]
    auth.logout()
    auth.as_role("admin")
    assert client.get(url, headers={"If-None-Match": tag}).status_code == 200


def test_access_is_checked_before_the_etag(client, auth, election):
    url = f"/dashboard/?election={election.id}"
    auth.as_role("manager")
    tag = client.get(url).headers["ETag"]
    auth.logout()
    auth.as_role("staff")
    assert client.get(url, headers={"If-None-Match": tag}).status_code == 403
    auth.logout()
    assert client.get(url, headers={"If-None-Match": tag}).status_code in (302, 401)
