"""Who may call each meetings route: anonymous visitors, staff, managers, admins."""

import pytest

from coordapp.extensions import db
from coordapp.meetings import ics
from coordapp.meetings.models import Meeting
from tests import factories
from tests.meetings_support import form, full_meeting

LOGIN = "login"  # anonymous: redirected to the login page

# (method, url pattern, data kind, {role: expected status})
MATRIX = [
    ("GET", "/meetings/", None, {None: LOGIN, "staff": 200, "manager": 200, "admin": 200}),
    ("GET", "/meetings/?view=week", None, {None: LOGIN, "staff": 200, "manager": 200, "admin": 200}),
    ("GET", "/meetings/new", None, {None: LOGIN, "staff": 200, "manager": 200, "admin": 200}),
    ("POST", "/meetings/new", "meeting", {None: LOGIN, "staff": 302, "manager": 302, "admin": 302}),
    ("GET", "/meetings/{id}", None, {None: LOGIN, "staff": 200, "manager": 200, "admin": 200}),
    ("GET", "/meetings/{id}/edit", None, {None: LOGIN, "staff": 200, "manager": 200, "admin": 200}),
    ("POST", "/meetings/{id}/edit", "meeting", {None: LOGIN, "staff": 302, "manager": 302, "admin": 302}),
    ("POST", "/meetings/{id}/attendance", "attendance", {None: LOGIN, "staff": 302, "manager": 302, "admin": 302}),
    ("GET", "/meetings/{id}/minutes", None, {None: LOGIN, "staff": 200, "manager": 200, "admin": 200}),
    ("POST", "/meetings/{id}/minutes", "minutes", {None: LOGIN, "staff": 302, "manager": 302, "admin": 302}),
    ("GET", "/meetings/{id}/minutes/{rev}", None, {None: LOGIN, "staff": 200, "manager": 200, "admin": 200}),
    # Sending minutes is for staff; a meeting that has started cannot be cancelled (the fixture's is past).
    ("POST", "/meetings/{id}/minutes/{rev}/send", None, {None: LOGIN, "staff": 302, "manager": 302, "admin": 302}),
    ("POST", "/meetings/{id}/cancel", None, {None: LOGIN, "staff": 422, "manager": 422, "admin": 422}),
    ("POST", "/meetings/{id}/archive", None, {None: LOGIN, "staff": 403, "manager": 302, "admin": 302}),
    ("POST", "/meetings/{id}/restore", None, {None: LOGIN, "staff": 403, "manager": 302, "admin": 302}),
    ("GET", "/meetings/{id}.ics", None, {None: LOGIN, "staff": 200, "manager": 200, "admin": 200}),
    # The feed is opened by calendar apps without a session: the token is the key.
    ("GET", "/meetings/feed/{token}.ics", None, {None: 200, "staff": 200, "manager": 200, "admin": 200}),
    ("GET", "/meetings/feed/{bad_token}.ics", None, {None: 404, "staff": 404, "manager": 404, "admin": 404}),
]
CASES = [(m, url, kind, role, expected) for m, url, kind, roles in MATRIX for role, expected in roles.items()]


@pytest.mark.parametrize(
    "method,url,kind,role,expected", CASES, ids=[f"{m} {u} {r or 'anonymous'}" for m, u, _, r, _ in CASES]
)
def test_access_matrix(client, auth, method, url, kind, role, expected):
    meeting = full_meeting()
    feed_owner = factories.make_user("staff")
    db.session.commit()
    user = auth.as_role(role) if role else None
    values = {
        "id": meeting.id,
        "rev": meeting.minutes_revisions[-1].id,
        "token": ics.feed_token(feed_owner),
        "bad_token": ics.feed_token(feed_owner)[:-2] + "xx",
    }
    data = {
        "meeting": form(meeting.election, title="Rakor logistik"),
        "attendance": {"attended": [str(a.id) for a in meeting.attendees]},
        "minutes": {"body": "Notulen baru.", "base_revision": str(meeting.minutes.id)},
        None: {},
    }[kind]
    response = client.open(url.format(**values), method=method, data=data)
    if expected == LOGIN:
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
        db.session.expire_all()
        assert db.session.get(Meeting, meeting.id).title == "Rakor DPT dan e-KTP"
    else:
        assert response.status_code == expected, (user, response.data[:300])


def test_the_matrix_covers_every_meetings_route(app):
    routes = {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("meetings.")}
    covered = {
        url.split("?")[0]
        .replace("{id}", "<int:meeting_id>")
        .replace("{rev}", "<int:revision_id>")
        .replace("{token}", "<token>")
        .replace("{bad_token}", "<token>")
        for _, url, _, _ in MATRIX
    }
    assert routes == covered


def test_staff_cannot_publish_a_meeting(client, auth):
    auth.as_role("staff")
    election = factories.make_election()
    db.session.commit()
    response = client.post("/meetings/new", data=form(election, is_public="y"))
    assert response.status_code == 302
    meeting = db.session.execute(db.select(Meeting)).scalar_one()
    assert meeting.is_public is False
    assert 'name="is_public"' not in client.get(f"/meetings/{meeting.id}/edit").get_data(as_text=True)


def test_manager_publishes_a_meeting(client, auth):
    auth.as_role("manager")
    election = factories.make_election()
    db.session.commit()
    client.post("/meetings/new", data=form(election, is_public="y"))
    assert db.session.execute(db.select(Meeting)).scalar_one().is_public is True


def test_staff_sees_no_archive_button_and_manager_does(client, auth):
    meeting = full_meeting()
    auth.as_role("staff")
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f"/meetings/{meeting.id}/archive" not in page
    auth.logout()
    auth.as_role("manager")
    assert f"/meetings/{meeting.id}/archive" in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)


def test_forms_need_a_csrf_token(csrf_app):
    election = factories.make_election()
    user = factories.make_user("manager")
    db.session.commit()
    client = csrf_app.test_client()
    import re

    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
        client.get("/auth/login").get_data(as_text=True),
    )
    client.post(
        "/auth/login",
        data={"email": user.email, "password": factories.PASSWORD, "csrf_token": token.group(1) or token.group(2)},
    )
    response = client.post("/meetings/new", data=form(election))
    assert response.status_code in (400, 422)
    assert db.session.execute(db.select(Meeting)).first() is None
