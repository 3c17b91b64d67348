"""Language and time zone: per user, per browser, by switch; times shown in Asia/Jakarta."""

from datetime import UTC, datetime

import pytest

from coordapp.auth.models import User
from coordapp.extensions import db
from tests import factories
from tests.conftest import AuthActions


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("id", "id"),
        ("id-ID,id;q=0.9,en;q=0.5", "id"),
        ("fr", "id"),
        ("", "id"),
        ("fr;q=1.0,en;q=0.5", "en"),
    ],
)
def test_anonymous_visitors_get_their_browsers_language(client, accept, expected):
    page = client.get("/auth/login", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert f'<html lang="{expected}">' in page
    assert ("Log in to CoordApp" if expected == "en" else "Masuk ke CoordApp") in page


def test_a_users_language_setting_beats_the_browser(client, auth):
    factories.make_election()
    db.session.commit()
    auth.as_role("manager", language="en")
    page = client.get("/", headers={"Accept-Language": "id"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "Meetings" in page and "Open issues" in page
    assert "Rapat" not in page


def test_an_indonesian_user_gets_indonesian_in_an_english_browser(client, auth):
    factories.make_election()
    db.session.commit()
    auth.as_role("manager", language="id")
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="id">' in page and "Kendala terbuka" in page


def test_the_switch_sets_a_cookie_that_beats_the_browser(client):
    client.post("/language", data={"language": "en", "next": "/auth/login"})
    assert client.get_cookie("lang").value == "en"
    assert "Log in to CoordApp" in client.get("/auth/login", headers={"Accept-Language": "id"}).get_data(as_text=True)
    client.post("/language", data={"language": "id"})
    assert "Masuk ke CoordApp" in client.get("/auth/login", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_the_switch_ignores_an_unknown_language(client):
    response = client.post("/language", data={"language": "xx", "next": "/auth/login"})
    assert response.status_code == 302 and client.get_cookie("lang") is None


def test_the_switch_is_one_click_on_every_page(client, auth):
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'action="/language?next=/auth/login"' in page and 'name="language" value="en"' in page
    auth.as_role("staff")
    page = client.get("/auth/account").get_data(as_text=True)
    assert 'action="/language?next=/auth/account"' in page


def test_switching_while_logged_in_saves_the_users_setting(app, client, auth):
    user = auth.as_role("staff", language="id")
    client.post("/language", data={"language": "en", "next": "/"})
    db.session.expire_all()
    assert db.session.get(User, user.id).language == "en"
    other_device = app.test_client()
    AuthActions(other_device).login(user)
    assert '<html lang="en">' in other_device.get("/auth/account").get_data(as_text=True)


def test_the_switch_goes_back_to_the_page_but_never_off_site(client):
    assert client.post("/language?next=/auth/login", data={"language": "en"}).headers["Location"] == "/auth/login"
    assert client.post("/language?next=//evil.example", data={"language": "en"}).headers["Location"] == "/"


def test_form_errors_follow_the_readers_language(client, auth):
    auth.as_role("staff", language="en")
    response = client.post(
        "/auth/password",
        data={"pw-current_password": factories.PASSWORD, "pw-new_password": "short", "pw-confirm": "short"},
    )
    assert "Use at least 12 characters." in response.get_data(as_text=True)


def test_times_are_shown_in_asia_jakarta(client, auth):
    auth.as_role("admin", language="id")
    factories.make_user("staff", name="Tamu", last_login_dt=datetime(2020, 12, 8, 20, 30, tzinfo=UTC))
    db.session.commit()
    page = client.get("/auth/users").get_data(as_text=True)
    assert "9 Des 2020 03.30" in page  # 20:30 UTC is 03:30 the next morning in WIB (UTC+7)
    client.post("/language", data={"language": "en"})
    assert "Dec 9, 2020, 3:30" in client.get("/auth/users").get_data(as_text=True)


def test_a_user_who_never_logged_in_is_shown_as_such(client, auth):
    auth.as_role("admin", language="id")
    factories.make_user("staff", name="Belum Pernah")
    db.session.commit()
    assert "belum pernah" in client.get("/auth/users").get_data(as_text=True)
