"""Session invalidation: logout, password change and deactivation end every copy of a session."""

import pytest

from coordapp.auth.models import User
from coordapp.extensions import db
from tests import factories
from tests.conftest import AuthActions

REMEMBER = "remember_token"


def _logged_in_client(app, user, remember: bool = False):
    client = app.test_client()
    extra = {"remember": "y"} if remember else {}
    assert AuthActions(client).login(user, **extra).status_code == 302
    return client


def _is_logged_in(client) -> bool:
    return client.get("/auth/account").status_code == 200


def _with_only_cookie(app, name: str, value: str):
    """A new browser that holds nothing but one cookie (a remember cookie saved earlier)."""
    client = app.test_client()
    client.set_cookie(name, value)
    return client


def test_logout_on_one_device_logs_out_every_other_device(app):
    user = factories.make_user("staff")
    db.session.commit()
    laptop, phone = _logged_in_client(app, user), _logged_in_client(app, user)
    assert _is_logged_in(laptop) and _is_logged_in(phone)
    AuthActions(laptop).logout()
    assert not _is_logged_in(laptop)
    assert not _is_logged_in(phone)
    assert phone.get("/").headers["Location"].startswith("/auth/login")


def test_a_copied_session_cookie_stops_working_after_logout(app):
    user = factories.make_user("staff")
    db.session.commit()
    client = _logged_in_client(app, user)
    stolen = client.get_cookie("session").value
    AuthActions(client).logout()
    assert not _is_logged_in(_with_only_cookie(app, "session", stolen))


def test_remember_cookie_logs_in_a_new_browser_session(app):
    user = factories.make_user("staff")
    db.session.commit()
    client = _logged_in_client(app, user, remember=True)
    saved = client.get_cookie(REMEMBER)
    assert saved is not None and saved.http_only
    assert _is_logged_in(_with_only_cookie(app, REMEMBER, saved.value))


def test_without_remember_no_remember_cookie_is_set(app):
    user = factories.make_user("staff")
    db.session.commit()
    assert _logged_in_client(app, user).get_cookie(REMEMBER) is None


def test_logout_ends_the_remember_cookie_everywhere(app):
    user = factories.make_user("staff")
    db.session.commit()
    desktop = _logged_in_client(app, user, remember=True)
    saved = desktop.get_cookie(REMEMBER).value
    other = _logged_in_client(app, user)
    AuthActions(other).logout()
    assert not _is_logged_in(_with_only_cookie(app, REMEMBER, saved))
    assert not _is_logged_in(desktop)


def test_logout_deletes_the_remember_cookie_from_the_browser(app):
    user = factories.make_user("staff")
    db.session.commit()
    client = _logged_in_client(app, user, remember=True)
    AuthActions(client).logout()
    assert client.get_cookie(REMEMBER) is None


def _change_password(client, current: str, new: str, confirm: str | None = None):
    return client.post(
        "/auth/password",
        data={
            "pw-current_password": current,
            "pw-new_password": new,
            "pw-confirm": new if confirm is None else confirm,
        },
    )


@pytest.mark.parametrize(
    ("current", "new", "confirm", "error"),
    [
        ("not my password", "a brand new passphrase", None, "Kata sandi saat ini salah."),
        (factories.PASSWORD, "short", None, "Gunakan minimal 12 karakter."),
        (factories.PASSWORD, "a brand new passphrase", "a brand new passphrasf", "Kedua kata sandi tidak sama."),
    ],
)
def test_a_refused_password_change_says_why_and_changes_nothing(app, current, new, confirm, error):
    user = factories.make_user("staff")
    db.session.commit()
    client, elsewhere = _logged_in_client(app, user), _logged_in_client(app, user)
    response = _change_password(client, current, new, confirm)
    assert response.status_code == 422
    assert error in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash == factories._password_hash()
    assert _is_logged_in(client) and _is_logged_in(elsewhere)


def test_password_change_logs_out_other_devices_and_keeps_this_one(app):
    user = factories.make_user("staff")
    db.session.commit()
    here = _logged_in_client(app, user, remember=True)
    elsewhere = _logged_in_client(app, user, remember=True)
    old_remember = elsewhere.get_cookie(REMEMBER).value
    response = _change_password(here, factories.PASSWORD, "a brand new passphrase")
    assert response.status_code == 302
    assert "Kata sandi Anda telah diganti" in here.get(response.headers["Location"]).get_data(as_text=True)
    assert _is_logged_in(here)
    assert not _is_logged_in(elsewhere)
    assert not _is_logged_in(_with_only_cookie(app, REMEMBER, old_remember))
    # the device that changed the password keeps a working remember cookie
    assert _is_logged_in(_with_only_cookie(app, REMEMBER, here.get_cookie(REMEMBER).value))
    db.session.expire_all()
    stored = db.session.get(User, user.id).password_hash
    assert stored.startswith("$argon2id$") and stored != factories._password_hash()
    assert AuthActions(app.test_client()).login(user, password="a brand new passphrase").status_code == 302
    assert AuthActions(app.test_client()).login(user).status_code == 422


def test_deactivating_a_user_ends_their_sessions(app):
    admin = factories.make_user("admin")
    user = factories.make_user("staff")
    db.session.commit()
    victim = _logged_in_client(app, user, remember=True)
    saved = victim.get_cookie(REMEMBER).value
    admin_client = _logged_in_client(app, admin)
    response = admin_client.post(
        f"/auth/users/{user.id}/edit", data={"name": user.name, "role": "staff", "language": "id"}
    )  # is_active unticked
    assert response.status_code == 302
    assert not _is_logged_in(victim)
    assert not _is_logged_in(_with_only_cookie(app, REMEMBER, saved))
    assert AuthActions(app.test_client()).login(user).status_code == 422


def test_a_role_change_takes_effect_on_the_users_open_sessions(app):
    admin = factories.make_user("admin")
    user = factories.make_user("admin")
    db.session.commit()
    demoted = _logged_in_client(app, user)
    assert demoted.get("/auth/users").status_code == 200
    admin_client = _logged_in_client(app, admin)
    admin_client.post(
        f"/auth/users/{user.id}/edit", data={"name": user.name, "role": "staff", "language": "id", "is_active": "y"}
    )
    assert demoted.get("/auth/users").status_code in (302, 403)
    relogged = _logged_in_client(app, user)
    assert relogged.get("/auth/users").status_code == 403
