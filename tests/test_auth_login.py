"""Logging in and out at /auth/login: redirects, errors, fresh sessions, safe `next`."""

import pytest

from coordapp.auth.models import User
from coordapp.extensions import db
from tests import factories


def test_login_redirects_to_the_home_page(client, auth):
    user = factories.make_user("staff")
    db.session.commit()
    response = auth.login(user)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert user.name in client.get("/").get_data(as_text=True)


def test_login_accepts_the_email_in_any_case(client, auth):
    user = factories.make_user("staff", email="ani@kpu.example.org")
    db.session.commit()
    assert auth.login(" ANI@kpu.Example.org ").status_code == 302
    assert client.get("/").status_code == 200
    assert user.id


def test_wrong_password_is_refused_with_a_translated_error_and_the_email_kept(client, auth):
    user = factories.make_user("staff")
    db.session.commit()
    response = auth.login(user, password="not the password at all")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Email atau kata sandi salah, atau akun tidak aktif." in page
    assert f'value="{user.email}"' in page
    assert "not the password at all" not in page  # a password is never echoed back
    assert client.get("/").status_code == 302  # still anonymous


def test_wrong_password_error_in_english_for_an_english_browser(client, auth):
    factories.make_user("staff", email="budi@kpu.example.org")
    db.session.commit()
    response = client.post(
        "/auth/login",
        data={"email": "budi@kpu.example.org", "password": "wrong password!"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert "Wrong email or password, or the account is inactive." in response.get_data(as_text=True)


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(client, auth):
    response = auth.login("nobody@kpu.example.org")
    assert response.status_code == 422
    assert "Email atau kata sandi salah, atau akun tidak aktif." in response.get_data(as_text=True)


def test_inactive_user_is_refused(client, auth):
    user = factories.make_user("manager", is_active=False)
    db.session.commit()
    response = auth.login(user)
    assert response.status_code == 422
    assert "Email atau kata sandi salah, atau akun tidak aktif." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_empty_form_is_refused_next_to_the_fields(client):
    response = client.post("/auth/login", data={"email": "", "password": ""})
    assert response.status_code == 422
    assert response.get_data(as_text=True).count('class="error"') >= 2


def test_login_page_offers_email_and_password_fields(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'name="email"' in page and 'name="password"' in page and 'type="password"' in page


def test_a_logged_in_user_opening_the_login_page_goes_home(client, auth):
    auth.as_role("staff")
    response = client.get("/auth/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/auth/account", "/?election=3", "/admin/elections"])
def test_next_leads_back_to_a_page_of_this_site(client, auth, target):
    user = factories.make_user("admin")
    db.session.commit()
    response = client.post(f"/auth/login?next={target}", data={"email": user.email, "password": factories.PASSWORD})
    assert response.headers["Location"] == target


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example/phish",
        "\\\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "evil.example",
    ],
)
def test_next_never_leads_to_another_site(client, target):
    user = factories.make_user("staff")
    db.session.commit()
    response = client.post("/auth/login", data={"email": user.email, "password": factories.PASSWORD, "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_the_login_redirect_for_a_protected_page_comes_back_to_it(client, auth):
    response = client.get("/auth/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")
    login_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="next" value="/auth/account"' in login_page
    user = factories.make_user("staff")
    db.session.commit()
    back = client.post(response.headers["Location"], data={"email": user.email, "password": factories.PASSWORD})
    assert back.headers["Location"] == "/auth/account"


def test_login_starts_a_fresh_session(client, auth):
    user = factories.make_user("staff")
    db.session.commit()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker before login"
    auth.login(user)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == f"{user.id}:{user.session_version}"


def test_login_records_the_time_and_stores_an_argon2_hash(client, auth):
    user = factories.make_user("staff")
    db.session.commit()
    assert user.last_login_dt is None
    auth.login(user)
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.last_login_dt is not None
    assert user.password_hash.startswith("$argon2id$")
    assert factories.PASSWORD not in user.password_hash


def test_logout_is_a_post_and_leaves_the_user_anonymous(client, auth):
    auth.as_role("staff")
    assert client.get("/auth/logout").status_code == 405  # a link or an <img> cannot log anyone out
    assert client.get("/").status_code == 200
    response = auth.logout()
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    assert "Anda telah keluar." in client.get("/auth/login").get_data(as_text=True)
    assert client.get("/").status_code == 302
