"""Every route declares who may call it; unmarked routes are refused; the foundation's access matrix."""

import pytest

from coordapp.auth.access import ANONYMOUS_LINK, LOGGED_IN, PUBLIC, ROLES, public, role_required
from coordapp.extensions import db
from tests import factories

RULES = {PUBLIC, ANONYMOUS_LINK, LOGGED_IN, *ROLES}


def test_every_route_declares_an_access_rule(app):
    missing, unknown = [], []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        declared = getattr(app.view_functions[rule.endpoint], "access_rule", None)
        if declared is None:
            missing.append(f"{rule.rule} ({rule.endpoint})")
        elif declared not in RULES:
            unknown.append(f"{rule.rule} ({rule.endpoint}): {declared!r}")
    assert not missing, "routes without @public/@signed_link/@login_required/@role_required:\n" + "\n".join(missing)
    assert not unknown, "routes with an unknown access rule:\n" + "\n".join(unknown)


def test_the_walk_sees_the_foundation_routes(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {
        "auth.login",
        "auth.logout",
        "auth.users",
        "elections.home",
        "core.healthz",
        "core.set_language",
    } <= endpoints


def test_an_unmarked_route_is_refused_even_to_an_admin(app, client, auth):
    app.add_url_rule("/unmarked", "unmarked", lambda: "secret data")
    assert client.get("/unmarked").status_code == 403
    auth.as_role("admin")
    response = client.get("/unmarked")
    assert response.status_code == 403
    assert "secret data" not in response.get_data(as_text=True)


def test_a_marked_route_on_the_same_app_answers(app, client):
    app.add_url_rule("/marked", "marked", public(lambda: "open data"))
    assert client.get("/marked").get_data(as_text=True) == "open data"


def test_an_unknown_role_is_a_programming_error():
    with pytest.raises(ValueError):
        role_required("superuser")


# The foundation's routes: what each kind of visitor gets.
ANYONE = {None: 200, "staff": 200, "manager": 200, "admin": 200}
LOGIN = {None: "login", "staff": 200, "manager": 200, "admin": 200}
ADMIN = {None: "login", "staff": 403, "manager": 403, "admin": 200}

MATRIX = [
    ("/", LOGIN),
    ("/auth/account", LOGIN),
    ("/auth/users", ADMIN),
    ("/auth/users/new", ADMIN),
    ("/auth/users/{user}/edit", ADMIN),
    ("/admin/elections", ADMIN),
    ("/admin/elections/new", ADMIN),
    ("/admin/elections/{election}/edit", ADMIN),
    ("/admin/elections/{election}/stages", ADMIN),
    ("/admin/elections/{election}/stages/new", ADMIN),
    ("/admin/stages/{stage}/edit", ADMIN),
    ("/healthz", ANYONE),
    ("/auth/login", {None: 200, "staff": 302, "manager": 302, "admin": 302}),
]


@pytest.mark.parametrize("role", [None, *ROLES])
@pytest.mark.parametrize(("template", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_access_matrix(client, auth, role, template, expected):
    election = factories.make_election()
    other = factories.make_user("staff")
    db.session.commit()
    path = template.format(user=other.id, election=election.id, stage=election.stages[3].id)
    if role:
        auth.as_role(role)
    response = client.get(path)
    if expected[role] == "login":
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login?next=")
    else:
        assert response.status_code == expected[role]


POSTS = [
    ("/auth/users/new", {"email": "x@kpu.example.org", "name": "X", "role": "admin", "language": "id"}),
    ("/auth/users/{user}/edit", {"name": "X", "role": "admin", "language": "id", "is_active": "y"}),
    ("/admin/elections/new", {"name": "E", "slug": "e-new", "timezone": "Asia/Jakarta", "template": "pilkada"}),
    ("/admin/elections/{election}/edit", {"name": "E", "slug": "e-edit", "timezone": "Asia/Jakarta"}),
    ("/admin/elections/{election}/stages/new", {"code": "baru", "name": "Baru", "phase": "preparation"}),
    ("/admin/stages/{stage}/edit", {"code": "ubah", "name": "Ubah", "phase": "preparation"}),
    ("/admin/stages/{stage}/move", {"direction": "up"}),
]


@pytest.mark.parametrize("role", [None, "staff", "manager"])
@pytest.mark.parametrize(("template", "data"), POSTS, ids=[p[0] for p in POSTS])
def test_admin_posts_are_refused_to_lower_roles_and_change_nothing(client, auth, role, template, data):
    from coordapp.auth.models import User
    from coordapp.elections.models import Election, Stage

    election = factories.make_election()
    other = factories.make_user("staff", name="Unchanged")
    db.session.commit()
    stage = election.stages[3]
    path = template.format(user=other.id, election=election.id, stage=stage.id)
    if role:
        auth.as_role(role)
    response = client.post(path, data=data)
    assert response.status_code == (302 if role is None else 403)
    db.session.expire_all()
    assert db.session.get(User, other.id).role == "staff"
    assert db.session.get(User, other.id).name == "Unchanged"
    assert db.session.execute(db.select(db.func.count()).select_from(Election)).scalar() == 1
    assert db.session.get(Election, election.id).slug == election.slug
    assert db.session.get(Stage, stage.id).code == "badan_adhoc" and db.session.get(Stage, stage.id).position == 4
    assert db.session.execute(db.select(User).filter_by(email="x@kpu.example.org")).first() is None


@pytest.mark.parametrize("role", [None, *ROLES])
def test_logout_is_for_logged_in_users(client, auth, role):
    if role:
        auth.as_role(role)
    response = client.post("/auth/logout")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


@pytest.mark.parametrize("role", [None, *ROLES])
def test_language_switch_is_open_to_everyone(client, auth, role):
    if role:
        auth.as_role(role)
    assert client.post("/language", data={"language": "en", "next": "/healthz"}).headers["Location"] == "/healthz"


@pytest.mark.parametrize("role", [None, *ROLES])
def test_password_change_is_for_logged_in_users(client, auth, role):
    if role:
        auth.as_role(role)
    response = client.post("/auth/password", data={})
    assert response.status_code == (302 if role is None else 422)
