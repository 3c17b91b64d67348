"""Every security event lands in the log with time, user, address and browser; admins filter and export it."""

import csv
import io
from datetime import timedelta

import pytest

from coordapp.auth.security_log import SecurityEvent, purge_old_events, record
from coordapp.core.time import utcnow
from coordapp.extensions import db
from tests import factories
from tests.accounts_support import STRONG
from tests.conftest import AuthActions

UA = {"User-Agent": "Mozilla/5.0 (X11; Linux) Firefox/140.0"}


def _events(**match) -> list[SecurityEvent]:
    db.session.expire_all()
    return db.session.execute(db.select(SecurityEvent).filter_by(**match).order_by(SecurityEvent.id)).scalars().all()


def test_each_account_event_is_logged_with_address_and_browser(app):
    admin, staff = factories.make_user("admin"), factories.make_user("staff")
    db.session.commit()
    browser, admin_browser = app.test_client(), app.test_client()
    env = {"REMOTE_ADDR": "192.0.2.44"}
    browser.post("/auth/login", data={"email": staff.email, "password": "wrong guess!!"}, headers=UA, environ_base=env)
    browser.post(
        "/auth/login", data={"email": staff.email, "password": factories.PASSWORD}, headers=UA, environ_base=env
    )
    browser.get("/auth/users", headers=UA, environ_base=env)  # staff may not: access denied
    browser.post(
        "/auth/password",
        data={"pw-current_password": factories.PASSWORD, "pw-new_password": STRONG, "pw-confirm": STRONG},
        headers=UA,
        environ_base=env,
    )
    browser.post("/auth/logout", headers=UA, environ_base=env)
    AuthActions(admin_browser).login(admin)
    admin_browser.post(
        f"/auth/users/{staff.id}/edit", data={"name": staff.name, "role": "manager", "language": "id", "is_active": "y"}
    )
    admin_browser.post(f"/auth/users/{staff.id}/edit", data={"name": staff.name, "role": "manager", "language": "id"})
    mine = [e.event for e in _events(user_id=staff.id)]
    assert mine == [
        "login_failure",
        "login_success",
        "access_denied",
        "password_change",
        "logout",
        "role_change",
        "deactivation",
    ]
    failure = _events(user_id=staff.id)[0]
    assert (failure.ip, failure.user_agent, failure.email) == ("192.0.2.44", UA["User-Agent"], staff.email)
    assert failure.created_dt > utcnow() - timedelta(minutes=1)
    assert _events(event="access_denied")[0].detail == "GET /auth/users"
    assert _events(event="role_change")[0].detail == "staff -> manager"


def test_a_failure_for_an_unknown_account_is_logged_with_the_address_typed(app, client):
    client.post("/auth/login", data={"email": "Nobody@KPU.example.org", "password": "whatever it is"})
    (event,) = _events(event="login_failure")
    assert event.user_id is None and event.email == "nobody@kpu.example.org"


def test_the_admin_page_filters_and_exports_neutralised_csv(app, client, auth):
    auth.as_role("admin")
    record("login_failure", email="=cmd|' /c calc'!a0@x.org", detail="@SUM(1)")
    record("login_failure", email="siti@kpu.example.org")
    db.session.commit()
    page = client.get("/audit/security?event=login_failure&email=siti").get_data(as_text=True)
    assert "siti@kpu.example.org" in page and "calc" not in page
    assert "Gagal masuk" in page
    export = client.get("/audit/security.csv?event=login_failure")
    assert export.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Waktu", "Peristiwa", "Akun (email)"]
    cells = [cell for row in rows[1:] for cell in row]
    assert "'=cmd|' /c calc'!a0@x.org" in cells and "'@SUM(1)" in cells
    assert not any(cell.startswith(("=", "@")) for cell in cells)


@pytest.mark.parametrize("query", ["event=nonsense", "date_from=2020-13-45", "date_from=2020-02-02&date_to=2020-01-01"])
def test_a_hand_edited_filter_is_a_clear_422(client, auth, query):
    auth.as_role("admin")
    response = client.get(f"/audit/security?{query}")
    assert response.status_code == 422
    assert "Perbaiki isian yang ditandai." in response.get_data(as_text=True)


@pytest.mark.parametrize(("role", "status"), [(None, 302), ("staff", 403), ("manager", 403), ("admin", 200)])
@pytest.mark.parametrize("path", ["/audit/security", "/audit/security.csv"])
def test_only_admins_read_the_security_log(client, auth, role, status, path):
    if role:
        auth.as_role(role)
    assert client.get(path).status_code == status


def test_old_events_are_purged_after_the_retention_period(app):
    record("login_success", email="old@kpu.example.org", now=utcnow() - timedelta(days=400))
    record("login_success", email="new@kpu.example.org")
    db.session.commit()
    assert purge_old_events() == 1
    db.session.commit()
    assert [e.email for e in _events()] == ["new@kpu.example.org"]
    result = app.test_cli_runner().invoke(args=["purge-security-log"])
    assert result.exit_code == 0 and "Deleted 0 security events." in result.output
