"""The access matrix: every issues route and the audit page, for every kind of visitor."""

import pytest

from coordapp.extensions import db
from coordapp.issues.models import Issue
from tests import factories
from tests.issues_support import issue_form_data, make_world

ROLES = ("anonymous", "staff_owner", "staff_other", "manager", "admin")


def _archived(world):
    issue = factories.make_issue(world.election, title="Arsip", is_archived=True, owner=world.owner)
    db.session.commit()
    return issue


# name: (method, url(world), data(world, user), expected status per role in ROLES order)
ROUTES = {
    "index": ("GET", lambda w: "/issues/", None, (302, 200, 200, 200, 200)),
    "index_filtered": (
        "GET",
        lambda w: f"/issues/?status=open&overdue=1&q=ktp&owner={w.owner.id}",
        None,
        (302, 200, 200, 200, 200),
    ),
    "index_bad_input": ("GET", lambda w: "/issues/?stage=abc", None, (302, 400, 400, 400, 400)),
    "print_list": ("GET", lambda w: "/issues/print?overdue=1", None, (302, 200, 200, 200, 200)),
    "mine": ("GET", lambda w: "/issues/mine", None, (302, 200, 200, 200, 200)),
    "create_form": ("GET", lambda w: "/issues/new", None, (302, 200, 200, 200, 200)),
    "create_from_meeting": ("GET", lambda w: f"/issues/new?meeting_id={w.meeting.id}", None, (302, 200, 200, 200, 200)),
    "create": ("POST", lambda w: "/issues/new", issue_form_data, (302, 302, 302, 302, 302)),
    "detail": ("GET", lambda w: f"/issues/{w.issue.id}", None, (302, 200, 200, 200, 200)),
    "edit_form": ("GET", lambda w: f"/issues/{w.issue.id}/edit", None, (302, 200, 403, 200, 200)),
    "edit": (
        "POST",
        lambda w: f"/issues/{w.issue.id}/edit",
        lambda w, u: issue_form_data(w, u, owner_id=str(w.owner.id)),
        (302, 302, 403, 302, 302),
    ),
    "follow_up": (
        "POST",
        lambda w: f"/issues/{w.issue.id}/follow-ups",
        lambda w, u: {"kind": "comment", "body": "Sudah dikoordinasikan."},
        (302, 302, 302, 302, 302),
    ),
    "status": (
        "POST",
        lambda w: f"/issues/{w.issue.id}/status",
        lambda w, u: {"status": "in_progress"},
        (302, 302, 403, 302, 302),
    ),
    "tick_action": (
        "POST",
        lambda w: f"/issues/{w.issue.id}/follow-ups/{w.action.id}/done",
        lambda w, u: {"done": "1"},
        (302, 302, 403, 302, 302),
    ),
    "archive": ("POST", lambda w: f"/issues/{w.issue.id}/archive", lambda w, u: {}, (302, 403, 403, 302, 302)),
    "restore": ("POST", lambda w: f"/issues/{_archived(w).id}/restore", lambda w, u: {}, (302, 403, 403, 302, 302)),
    "audit": ("GET", lambda w: "/audit/", None, (302, 403, 403, 403, 200)),
    "audit_filtered": (
        "GET",
        lambda w: f"/audit/?entity_type=issues&action=create&actor={w.owner.id}",
        None,
        (302, 403, 403, 403, 200),
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES)
def test_access_matrix(client, auth, route, role):
    world = make_world()
    method, url, data, expected = ROUTES[route]
    user = None if role == "anonymous" else world.user(role)
    if user is not None:
        assert auth.login(user).status_code == 302
    target = url(world)
    response = client.get(target) if method == "GET" else client.post(target, data=data(world, user or world.owner))
    assert response.status_code == expected[ROLES.index(role)], response.get_data(as_text=True)[:2000]
    if role == "anonymous":
        assert "/auth/login" in response.headers["Location"]


def test_refused_writes_change_nothing(client, auth):
    world = make_world()
    auth.login(world.other)
    before = (world.issue.title, world.issue.status, world.issue.is_archived)
    client.post(f"/issues/{world.issue.id}/edit", data=issue_form_data(world, world.other, title="Diubah orang lain"))
    client.post(f"/issues/{world.issue.id}/status", data={"status": "closed"})
    client.post(f"/issues/{world.issue.id}/archive")
    db.session.expire_all()
    issue = db.session.get(Issue, world.issue.id)
    assert (issue.title, issue.status, issue.is_archived) == before


def test_every_issues_route_is_in_the_matrix(app):
    rules = {
        (r.endpoint, m)
        for r in app.url_map.iter_rules()
        if r.endpoint.split(".")[0] in ("issues", "audit")
        and not r.endpoint.startswith("audit.security")  # the security log's matrix: test_accounts_access.py
        for m in r.methods - {"HEAD", "OPTIONS"}
    }
    covered = {
        ("issues.index", "GET"),
        ("issues.print_list", "GET"),
        ("issues.mine", "GET"),
        ("issues.create", "GET"),
        ("issues.create", "POST"),
        ("issues.detail", "GET"),
        ("issues.edit", "GET"),
        ("issues.edit", "POST"),
        ("issues.add_follow_up", "POST"),
        ("issues.change_status", "POST"),
        ("issues.tick_action", "POST"),
        ("issues.archive", "POST"),
        ("issues.restore", "POST"),
        ("audit.index", "GET"),
    }
    assert rules == covered


def test_forms_need_the_csrf_token(csrf_app):
    world = make_world()
    client = csrf_app.test_client()
    from tests.conftest import AuthActions

    login_page = client.get("/auth/login").get_data(as_text=True)
    token = (
        login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        if 'name="csrf_token" type="hidden"' in login_page
        else None
    )
    if token is None:
        token = login_page.split('name="csrf_token" value="')[1].split('"')[0]
    AuthActions(client).login(world.manager, csrf_token=token)
    for url in (
        f"/issues/{world.issue.id}/status",
        f"/issues/{world.issue.id}/archive",
        f"/issues/{world.issue.id}/follow-ups",
        "/issues/new",
    ):
        assert client.post(url, data={"status": "closed", "body": "x", "title": "x"}).status_code == 400
    db.session.expire_all()
    issue = db.session.get(Issue, world.issue.id)
    assert issue.status == "open" and not issue.is_archived and len(issue.follow_ups) == 1
