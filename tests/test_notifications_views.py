"""The inbox pages: mine only, unread marked and counted in the header, marking read, watching an issue."""

import re

import pytest

from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.issues.services import add_follow_up
from coordapp.notifications import services
from coordapp.notifications.models import Notification
from tests import factories
from tests.conftest import AuthActions
from tests.querycount import count_queries


def inbox_of(user, n=2):
    """Give user n unread notifications (a reply, then an assignment) on one issue; return them and the issue."""
    issue = factories.make_issue(title="Gudang logistik bocor", owner=user)
    rows = [
        Notification(user=user, kind="reply", issue=issue, actor_label="Budi (Bawaslu)"),
        Notification(user=user, kind="assigned", issue=issue, actor_label="Ratna"),
    ][:n]
    db.session.add_all(rows)
    db.session.commit()
    return rows, issue


def header_count(page: str):
    found = re.search(r'class="badge badge-unread" data-unread>(\d+)<', page)
    return int(found.group(1)) if found else 0


ROUTES = [
    ("GET", "/inbox/"),
    ("GET", "/inbox/{n}"),
    ("POST", "/inbox/{n}/read"),
    ("POST", "/inbox/read"),
    ("POST", "/inbox/issues/{issue}/watch"),
]


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_anonymous_goes_to_the_login(client, method, url):
    owner = factories.make_user("staff")
    (n, *_), issue = inbox_of(owner)
    response = client.open(url.format(n=n.id, issue=issue.id), method=method)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("method,url", [("GET", "/inbox/{n}"), ("POST", "/inbox/{n}/read")])
def test_another_users_notification_is_not_found_and_stays_unread(client, auth, method, url):
    owner = factories.make_user("staff")
    (n, *_), _ = inbox_of(owner)
    auth.as_role("manager")
    assert client.open(url.format(n=n.id), method=method).status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, n.id).read_dt is None


def test_the_inbox_lists_mine_newest_first_unread_marked_and_counted_in_the_header(client, auth):
    me = auth.as_role("staff", name="Rina Staf")
    (reply, assigned), issue = inbox_of(me)
    inbox_of(factories.make_user("staff"))  # someone else's
    reply.read_dt = utcnow()
    db.session.commit()
    page = client.get("/inbox/").get_data(as_text=True)
    assert page.count('class="inbox-item') == 2
    assert page.index(f"notification-{assigned.id}") < page.index(f"notification-{reply.id}")
    assert f'inbox-item is-unread" id="notification-{assigned.id}"' in page
    assert f'inbox-item" id="notification-{reply.id}"' in page
    assert f"Budi (Bawaslu) membalas #{issue.id} Gudang logistik bocor" in page
    assert header_count(page) == 1
    assert "@" in page and "budi.santoso" in page  # the mention rule is written on the page


def test_the_header_count_costs_one_query(client, auth):
    me = auth.as_role("staff")
    inbox_of(me)
    client.get("/inbox/")  # warm up: translations, first-request work
    with count_queries() as none:
        client.get("/auth/account")
    db.session.add(Notification(user=me, kind="assigned", issue=factories.make_issue(owner=me)))
    db.session.commit()
    with count_queries() as counted:
        page = client.get("/auth/account").get_data(as_text=True)
    assert header_count(page) == 3
    assert counted.count == none.count
    assert sum("FROM notifications" in s for s in counted.statements) == 1


def test_opening_an_item_marks_it_read_and_lands_on_its_entry(client, auth):
    me = auth.as_role("staff")
    issue = factories.make_issue(owner=me)
    contact = factories.make_contact()
    entry = add_follow_up(issue, kind="stakeholder_reply", body="Sudah", author_contact=contact)
    n = Notification(user=me, kind="reply", issue=issue, entry=entry, actor_label="Budi")
    db.session.add(n)
    db.session.commit()
    response = client.get(f"/inbox/{n.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/issues/{issue.id}#entry-{entry.id}")
    db.session.expire_all()
    assert db.session.get(Notification, n.id).read_dt is not None
    assert header_count(client.get("/inbox/").get_data(as_text=True)) == 0


def test_mark_read_and_mark_all_read(client, auth):
    me = auth.as_role("staff")
    (first, second), _ = inbox_of(me)
    others, _ = inbox_of(factories.make_user("staff"))
    assert client.post(f"/inbox/{first.id}/read").status_code == 302
    assert services.unread_count(me) == 1
    assert client.post("/inbox/read").status_code == 302
    assert services.unread_count(me) == 0
    db.session.expire_all()
    assert all(db.session.get(Notification, n.id).read_dt is None for n in others)  # not someone else's


def test_a_user_may_not_open_what_they_may_no_longer_read(client, auth):
    me = auth.as_role("staff")
    (n, *_), _ = inbox_of(me)
    me.is_active = False
    db.session.commit()
    assert client.get(f"/inbox/{n.id}").status_code in (302, 404)  # signed out, or not found


def test_watch_and_unwatch_from_the_issue_page(client, auth):
    auth.as_role("staff", name="Wati Pengamat")
    owner = factories.make_user("staff", name="Rina Pemilik")
    issue = factories.make_issue(owner=owner)
    db.session.commit()
    page = client.get(f"/issues/{issue.id}").get_data(as_text=True)
    assert "Rina Pemilik" in re.search(r'class="watchers">([^<]*)<', page).group(1)
    assert ">Pantau<" in page
    client.post(f"/inbox/issues/{issue.id}/watch", data={"watching": "1"})
    page = client.get(f"/issues/{issue.id}").get_data(as_text=True)
    assert re.search(r'class="watchers">([^<]*)<', page).group(1) == "Rina Pemilik, Wati Pengamat"
    assert ">Berhenti memantau<" in page
    client.post(f"/inbox/issues/{issue.id}/watch", data={"watching": "0"})
    assert services.watcher_ids(issue) == {owner.id}


def test_the_owner_can_stop_watching(client, auth):
    me = auth.as_role("staff")
    issue = factories.make_issue(owner=me, created_by=me)
    db.session.commit()
    client.post(f"/inbox/issues/{issue.id}/watch", data={"watching": "0"})
    assert services.watcher_ids(issue) == set()
    assert client.post("/inbox/issues/999999/watch").status_code == 404


def test_every_form_needs_the_csrf_token(csrf_app):
    client = csrf_app.test_client()
    me = factories.make_user("staff")
    (n, *_), issue = inbox_of(me)
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    AuthActions(client).login(me, csrf_token=token)
    for url in (f"/inbox/{n.id}/read", "/inbox/read", f"/inbox/issues/{issue.id}/watch"):
        assert client.post(url, data={"watching": "0"}).status_code == 400
    assert services.unread_count(me) == 2 and services.watcher_ids(issue) == {me.id}


def test_the_inbox_page_costs_the_same_queries_for_one_item_or_many(client, auth):
    me = auth.as_role("staff")
    inbox_of(me, 1)
    client.get("/inbox/")
    with count_queries() as one:
        client.get("/inbox/")
    for _ in range(6):
        inbox_of(me)
    with count_queries() as many:
        page = client.get("/inbox/").get_data(as_text=True)
    assert page.count('class="inbox-item') == 13
    assert many.count == one.count


def test_the_inbox_speaks_the_readers_language(client, auth):
    me = auth.as_role("staff", language="en")
    _, issue = inbox_of(me)
    page = client.get("/inbox/").get_data(as_text=True)
    assert f"Budi (Bawaslu) replied on #{issue.id} Gudang logistik bocor" in page
    assert "Ratna made you the owner of" in page and ">Mark all read<" in page


def test_a_commitment_item_leads_to_the_commitment(client, auth):
    from coordapp.commitments.models import Commitment

    me = auth.as_role("staff")
    issue = factories.make_issue(owner=me)
    made = Commitment(
        election_id=issue.election_id,
        issue=issue,
        text="Kodim menyiapkan truk",
        organization_id=factories.make_organization().id,
        due_date=issue.due_date,
    )
    n = Notification(user=me, kind="commitment_due", issue=issue, commitment=made, data={"due": "2020-10-01"})
    db.session.add(n)
    db.session.commit()
    assert "Komitmen jatuh tempo hari ini (1 Okt 2020): Kodim menyiapkan truk" in client.get("/inbox/").get_data(
        as_text=True
    )
    assert client.get(f"/inbox/{n.id}").headers["Location"].endswith(f"/commitments/{made.id}")


def test_the_digest_and_the_commitments_run_on_the_beat_schedule(app):
    schedule = app.extensions["celery"].conf.beat_schedule
    tasks = {entry["task"] for entry in schedule.values()}
    assert {
        "coordapp.notifications.tasks.send_daily_digests",
        "coordapp.notifications.tasks.notify_commitments_due",
    } <= tasks
    assert tasks <= set(app.extensions["celery"].tasks)


def test_marking_read_changes_a_revalidated_pages_etag(client, auth):
    me = auth.as_role("manager")
    (n, *_), issue = inbox_of(me)
    url = f"/dashboard/?election={issue.election_id}"
    tag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": tag}).status_code == 304
    client.post(f"/inbox/{n.id}/read")
    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 200 and header_count(again.get_data(as_text=True)) == 1
