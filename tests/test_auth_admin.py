"""Admin pages for users: create, change role, deactivate; bad input is refused on the form."""

import pytest

from coordapp.auth.models import User
from coordapp.extensions import db
from tests import factories
from tests.conftest import AuthActions


def _users() -> list[User]:
    db.session.expire_all()
    return db.session.execute(db.select(User).order_by(User.id)).scalars().all()


def _new_user_form(**overrides) -> dict:
    return {"email": "dewi@kpu.example.org", "name": "Dewi Lestari", "role": "manager", "language": "en", **overrides}


def test_users_page_lists_users_with_role_and_state(client, auth):
    auth.as_role("admin", name="Admin Satu")
    factories.make_user("manager", name="Manajer Dua", is_active=False)
    db.session.commit()
    page = client.get("/auth/users").get_data(as_text=True)
    assert "Admin Satu" in page and "Manajer Dua" in page
    assert "Manajer" in page and "Dinonaktifkan" in page


def test_create_user_invites_without_a_password(app, client, auth):
    auth.as_role("admin")
    response = client.post("/auth/users/new", data=_new_user_form())
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Undangan dikirim ke dewi@kpu.example.org." in page
    assert "Diundang, email sedang dikirim" in page
    created = _users()[-1]
    assert (created.email, created.name, created.role, created.language) == (
        "dewi@kpu.example.org",
        "Dewi Lestari",
        "manager",
        "en",
    )
    assert created.password_hash == ""  # nothing to guess or to show: the user chooses it from the email
    assert AuthActions(app.test_client()).login("dewi@kpu.example.org", password="").status_code == 422


def test_create_user_stores_the_email_in_lower_case(client, auth):
    auth.as_role("admin")
    client.post("/auth/users/new", data=_new_user_form(email="Dewi.Lestari@KPU.example.org"))
    assert _users()[-1].email == "dewi.lestari@kpu.example.org"


@pytest.mark.parametrize(
    ("field", "overrides", "error"),
    [
        ("email", {"email": "not-an-email"}, None),
        ("email", {"email": ""}, None),
        ("name", {"name": ""}, None),
        ("role", {"role": "superuser"}, None),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_kept(client, auth, field, overrides, error):
    auth.as_role("admin")
    before = len(_users())
    data = _new_user_form(**overrides)
    response = client.post("/auth/users/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page  # the error sits next to its field
    if error:
        assert error in page
    assert 'value="Dewi Lestari"' in page or field == "name"
    if field != "email":
        assert f'value="{data["email"]}"' in page
    assert len(_users()) == before


def test_duplicate_email_is_refused_next_to_the_field(client, auth):
    auth.as_role("admin")
    factories.make_user("staff", email="dewi@kpu.example.org", name="The first Dewi")
    db.session.commit()
    before = len(_users())
    response = client.post("/auth/users/new", data=_new_user_form(email="DEWI@kpu.example.org"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="email-error"' in page and "Pengguna dengan email ini sudah ada." in page
    assert 'value="Dewi Lestari"' in page
    assert len(_users()) == before


def test_change_a_users_role(client, auth):
    auth.as_role("admin")
    user = factories.make_user("staff")
    db.session.commit()
    page = client.get(f"/auth/users/{user.id}/edit").get_data(as_text=True)
    assert user.email in page
    response = client.post(
        f"/auth/users/{user.id}/edit", data={"name": user.name, "role": "manager", "language": "id", "is_active": "y"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).role == "manager"
    assert f"Pengguna {user.email} disimpan." in client.get("/auth/users").get_data(as_text=True)


def test_deactivate_and_reactivate_a_user(app, client, auth):
    auth.as_role("admin")
    user = factories.make_user("staff")
    db.session.commit()
    client.post(f"/auth/users/{user.id}/edit", data={"name": user.name, "role": "staff", "language": "id"})
    db.session.expire_all()
    assert db.session.get(User, user.id).is_active is False
    assert AuthActions(app.test_client()).login(user).status_code == 422
    client.post(
        f"/auth/users/{user.id}/edit", data={"name": user.name, "role": "staff", "language": "id", "is_active": "y"}
    )
    db.session.expire_all()
    assert db.session.get(User, user.id).is_active is True
    assert AuthActions(app.test_client()).login(user).status_code == 302


@pytest.mark.parametrize(
    "change", [{"role": "manager", "is_active": "y"}, {"role": "staff", "is_active": "y"}, {"role": "admin"}]
)
def test_an_admin_cannot_demote_or_deactivate_themselves(client, auth, change):
    me = auth.as_role("admin", name="Saya Admin")
    response = client.post(f"/auth/users/{me.id}/edit", data={"name": "Nama Baru", "language": "id", **change})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Anda tidak dapat mencabut hak administrator Anda sendiri." in page
    db.session.expire_all()
    me = db.session.get(User, me.id)
    assert (me.role, me.is_active, me.name) == ("admin", True, "Saya Admin")
    assert client.get("/auth/users").status_code == 200


def test_an_admin_may_rename_themselves(client, auth):
    me = auth.as_role("admin")
    response = client.post(
        f"/auth/users/{me.id}/edit", data={"name": "Nama Baru", "role": "admin", "language": "en", "is_active": "y"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, me.id).name == "Nama Baru"
    assert client.get("/auth/users").status_code == 200  # renaming does not log me out


def test_editing_an_unknown_user_is_404(client, auth):
    auth.as_role("admin")
    assert client.get("/auth/users/999999/edit").status_code == 404


def test_account_page_changes_name_and_language(client, auth):
    user = auth.as_role("staff", language="id")
    page = client.get("/auth/account").get_data(as_text=True)
    assert "Akun saya" in page and user.email in page
    response = client.post("/auth/account", data={"name": "Nama Saya", "language": "en"})
    assert response.status_code == 302
    assert "Your settings are saved." in client.get("/auth/account").get_data(as_text=True)
    db.session.expire_all()
    assert (db.session.get(User, user.id).name, db.session.get(User, user.id).language) == ("Nama Saya", "en")


def test_account_page_refuses_an_empty_name(client, auth):
    user = auth.as_role("staff")
    response = client.post("/auth/account", data={"name": "", "language": "xx"})
    assert response.status_code == 422
    assert 'id="name-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).name == user.name
