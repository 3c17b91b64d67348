"""CSRF protection: a POST without the page's token is refused and changes nothing."""

import re

from coordapp.auth.models import User
from coordapp.extensions import db
from tests import factories

TOKEN = re.compile(r'name="(?:[a-z]+-)?csrf_token"[^>]*value="([^"]+)"')


def _token(client, path: str) -> str:
    match = TOKEN.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def _login(client, user):
    token = _token(client, "/auth/login")
    response = client.post(
        "/auth/login", data={"email": user.email, "password": factories.PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    return response


def test_every_form_of_the_foundation_pages_carries_a_token(csrf_app):
    admin = factories.make_user("admin")
    election = factories.make_election()
    db.session.commit()
    client = csrf_app.test_client()
    login_page = client.get("/auth/login").get_data(as_text=True)
    assert login_page.count('method="post"') == len(TOKEN.findall(login_page)) >= 2  # login and language
    _login(client, admin)
    for path in (
        "/",
        "/auth/account",
        "/auth/users",
        "/auth/users/new",
        f"/auth/users/{admin.id}/edit",
        "/admin/elections",
        "/admin/elections/new",
        f"/admin/elections/{election.id}/stages",
        f"/admin/stages/{election.stages[0].id}/edit",
    ):
        page = client.get(path).get_data(as_text=True)
        assert page.count('method="post"') == len(TOKEN.findall(page)), path


def test_login_without_token_is_refused(csrf_app):
    user = factories.make_user("staff")
    db.session.commit()
    client = csrf_app.test_client()
    response = client.post("/auth/login", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 400
    assert client.get("/auth/account").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_dt is None


def test_login_with_a_token_of_another_session_is_refused(csrf_app):
    user = factories.make_user("staff")
    db.session.commit()
    foreign = _token(csrf_app.test_client(), "/auth/login")
    client = csrf_app.test_client()
    client.get("/auth/login")
    response = client.post(
        "/auth/login", data={"email": user.email, "password": factories.PASSWORD, "csrf_token": foreign}
    )
    assert response.status_code == 400


def test_login_with_the_token_works(csrf_app):
    user = factories.make_user("staff")
    db.session.commit()
    client = csrf_app.test_client()
    _login(client, user)
    assert client.get("/auth/account").status_code == 200


def test_logout_without_token_is_refused(csrf_app):
    user = factories.make_user("staff")
    db.session.commit()
    client = csrf_app.test_client()
    _login(client, user)
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/auth/account").status_code == 200
    db.session.expire_all()
    assert db.session.get(User, user.id).session_version == user.session_version
    token = _token(client, "/auth/account")
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/auth/account").status_code == 302


def test_language_switch_without_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/language", data={"language": "en"})
    assert response.status_code == 400
    assert client.get_cookie("lang") is None
    assert "Masuk ke CoordApp" in client.get("/auth/login").get_data(as_text=True)
    token = _token(client, "/auth/login")
    assert client.post("/language", data={"language": "en", "csrf_token": token}).status_code == 302
    assert "Log in to CoordApp" in client.get("/auth/login").get_data(as_text=True)


def test_admin_form_without_token_is_refused(csrf_app):
    admin = factories.make_user("admin")
    db.session.commit()
    client = csrf_app.test_client()
    _login(client, admin)
    data = {"email": "baru@kpu.example.org", "name": "Pengguna Baru", "role": "manager", "language": "id"}
    response = client.post("/auth/users/new", data=data)
    assert response.status_code == 400
    assert db.session.execute(db.select(User).filter_by(email="baru@kpu.example.org")).first() is None
    data["csrf_token"] = _token(client, "/auth/users/new")
    assert client.post("/auth/users/new", data=data).status_code == 302
    assert db.session.execute(db.select(User).filter_by(email="baru@kpu.example.org")).scalar_one().role == "manager"


def test_stage_move_without_token_is_refused(csrf_app):
    admin = factories.make_user("admin")
    election = factories.make_election()
    db.session.commit()
    first, second = election.stages[0].id, election.stages[1].id
    client = csrf_app.test_client()
    _login(client, admin)
    assert client.post(f"/admin/stages/{second}/move", data={"direction": "up"}).status_code == 400
    db.session.expire_all()
    assert [s.id for s in election.stages[:2]] == [first, second]


def test_password_change_without_token_is_refused(csrf_app):
    user = factories.make_user("staff")
    db.session.commit()
    client = csrf_app.test_client()
    _login(client, user)
    data = {
        "pw-current_password": factories.PASSWORD,
        "pw-new_password": "another long passphrase",
        "pw-confirm": "another long passphrase",
    }
    assert client.post("/auth/password", data=data).status_code == 400
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash == factories._password_hash()
    data["pw-csrf_token"] = _token(client, "/auth/account")
    assert client.post("/auth/password", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash != factories._password_hash()


def test_the_csrf_error_page_explains_what_to_do_in_the_readers_language(csrf_app):
    client = csrf_app.test_client()
    data = {"email": "a@kpu.example.org", "password": "whatever it is"}
    indonesian = client.post("/auth/login", data=data)
    english = client.post("/auth/login", data=data, headers={"Accept-Language": "en"})
    assert indonesian.status_code == english.status_code == 400
    assert "Formulir kedaluwarsa atau tidak berasal dari situs ini." in indonesian.get_data(as_text=True)
    assert "The form expired or did not come from this site." in english.get_data(as_text=True)
