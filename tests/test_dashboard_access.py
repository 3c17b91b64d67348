"""The access matrix of every dashboard route: managers and admins only; others' saved filters by their rules."""

import pytest

from coordapp.dashboard.models import SavedFilter
from coordapp.extensions import db
from tests import factories

ROLES = (None, "staff", "manager", "admin")


def _world(viewer):
    """An election with an issue and a meeting, and a saved filter of the viewer (or of a manager)."""
    election = factories.make_election()
    factories.make_issue(election)
    factories.make_meeting(election)
    owner = viewer if viewer is not None and viewer.role in ("manager", "admin") else factories.make_user("manager")
    saved = SavedFilter(user_id=owner.id, name="Kampanye, mendesak", args={"priority": ["high", "critical"]})
    db.session.add(saved)
    db.session.commit()
    return election, saved


# name: (method, url(election, saved), form data, expected status for None, staff, manager, admin)
ROUTES = {
    "board": ("GET", lambda e, s: f"/dashboard/?election={e.id}", None, ("login", 403, 200, 200)),
    "scorecard": ("GET", lambda e, s: f"/dashboard/scorecard?election={e.id}", None, ("login", 403, 200, 200)),
    "scorecard_period": (
        "GET",
        lambda e, s: "/dashboard/scorecard?start=2020-09-01&end=2020-10-31",
        None,
        ("login", 403, 200, 200),
    ),
    "stage_issues": (
        "GET",
        lambda e, s: f"/dashboard/issues?election_id={e.id}&priority=high",
        None,
        ("login", 403, 301, 301),  # to the one list, /issues/
    ),
    "stage_issues_print": (
        "GET",
        lambda e, s: f"/dashboard/issues/print?election_id={e.id}",
        None,
        ("login", 403, 301, 301),
    ),
    "saved_filters": ("GET", lambda e, s: "/dashboard/filters", None, ("login", 403, 200, 200)),
    "save_filter": (
        "POST",
        lambda e, s: "/dashboard/filters",
        {"name": "Baru", "query": "priority=high"},
        ("login", 403, 302, 302),
    ),
    "open_filter": ("GET", lambda e, s: f"/dashboard/filters/{s.id}", None, ("login", 403, 302, 302)),
    "edit_filter": ("POST", lambda e, s: f"/dashboard/filters/{s.id}/edit", {"name": "x"}, ("login", 403, 302, 302)),
    "delete_filter": ("POST", lambda e, s: f"/dashboard/filters/{s.id}/delete", {}, ("login", 403, 302, 302)),
    "export_issues_csv": (
        "GET",
        lambda e, s: f"/dashboard/export/issues.csv?election_id={e.id}",
        None,
        ("login", 403, 200, 200),
    ),
    "export_issues_xlsx": (
        "GET",
        lambda e, s: f"/dashboard/export/issues.xlsx?election_id={e.id}",
        None,
        ("login", 403, 200, 200),
    ),
    "export_meetings_csv": (
        "GET",
        lambda e, s: f"/dashboard/export/meetings.csv?election={e.id}",
        None,
        ("login", 403, 200, 200),
    ),
    "export_meetings_xlsx": (
        "GET",
        lambda e, s: f"/dashboard/export/meetings.xlsx?election={e.id}",
        None,
        ("login", 403, 200, 200),
    ),
    "export_stages_csv": (
        "GET",
        lambda e, s: f"/dashboard/export/stages.csv?election={e.id}",
        None,
        ("login", 403, 200, 200),
    ),
    "export_stages_xlsx": (
        "GET",
        lambda e, s: f"/dashboard/export/stages.xlsx?election={e.id}",
        None,
        ("login", 403, 200, 200),
    ),
}


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
@pytest.mark.parametrize("route", ROUTES)
def test_access_matrix(client, auth, route, role):
    viewer = auth.as_role(role) if role else None
    election, saved = _world(viewer)
    method, url, data, expected = ROUTES[route]
    if data and route == "edit_filter":
        data = {f"f{saved.id}-name": "Nama baru"}
    target = url(election, saved)
    response = client.get(target) if method == "GET" else client.post(target, data=data)
    wanted = expected[ROLES.index(role)]
    if wanted == "login":
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login")
    else:
        assert response.status_code == wanted, response.get_data(as_text=True)[:1000]


def test_the_matrix_covers_every_dashboard_route(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("dashboard.")}
    covered = {
        "dashboard." + name.removesuffix("_csv").removesuffix("_xlsx").removesuffix("_period") for name in ROUTES
    }
    assert endpoints == covered


def test_refused_posts_change_nothing(client, auth):
    viewer = auth.as_role("staff")
    election, saved = _world(viewer)
    assert client.post("/dashboard/filters", data={"name": "Staf", "query": ""}).status_code == 403
    assert client.post(f"/dashboard/filters/{saved.id}/delete").status_code == 403
    db.session.expire_all()
    assert db.session.execute(db.select(db.func.count()).select_from(SavedFilter)).scalar() == 1


def test_another_managers_private_filter_is_not_found(client, auth):
    other = factories.make_user("manager")
    saved = SavedFilter(user_id=other.id, name="Pribadi", args={"overdue": "1"})
    db.session.add(saved)
    db.session.commit()
    auth.as_role("manager")
    assert client.get(f"/dashboard/filters/{saved.id}").status_code == 404
    assert client.post(f"/dashboard/filters/{saved.id}/edit", data={f"f{saved.id}-name": "Punyaku"}).status_code == 404
    assert client.post(f"/dashboard/filters/{saved.id}/delete").status_code == 404
    assert "Pribadi" not in client.get("/dashboard/filters").get_data(as_text=True)


def test_a_shared_filter_opens_for_other_managers_but_only_its_owner_changes_it(client, auth):
    other = factories.make_user("manager", name="Bu Ratna")
    saved = SavedFilter(user_id=other.id, name="Bersama", args={"overdue": "1"}, is_shared=True)
    db.session.add(saved)
    db.session.commit()
    auth.as_role("admin")
    assert "Bersama" in client.get("/dashboard/filters").get_data(as_text=True)
    opened = client.get(f"/dashboard/filters/{saved.id}")
    assert opened.status_code == 302 and "overdue=1" in opened.headers["Location"]
    assert client.post(f"/dashboard/filters/{saved.id}/edit", data={f"f{saved.id}-name": "Diambil"}).status_code == 403
    assert client.post(f"/dashboard/filters/{saved.id}/delete").status_code == 403
    db.session.expire_all()
    assert db.session.get(SavedFilter, saved.id).name == "Bersama"


def test_the_menu_shows_the_board_and_scorecard_to_managers_only(client, auth):
    factories.make_election()
    db.session.commit()
    auth.as_role("staff")
    page = client.get("/").get_data(as_text=True)
    assert "Papan Tahapan" not in page and "Kinerja" not in page
    auth.logout()
    auth.as_role("manager")
    page = client.get("/").get_data(as_text=True)
    assert 'href="/dashboard/"' in page and 'href="/dashboard/scorecard"' in page
    assert "Papan Tahapan" in page and "Kinerja" in page
