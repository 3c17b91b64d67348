"""Sessions end after the idle timeout (remember-me too) and after the absolute limit; recent sign-ins are listed."""

from datetime import timedelta

import pytest

from coordapp.auth import sessions
from coordapp.auth.security_log import SecurityEvent
from coordapp.core.time import utcnow
from coordapp.extensions import db
from tests import factories
from tests.conftest import AuthActions


class FrozenClock:
    """utcnow() of the session rules, moved by hand."""

    def __init__(self):
        self.now = utcnow()

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    frozen = FrozenClock()
    monkeypatch.setattr(sessions, "utcnow", frozen)
    return frozen


def test_a_session_ends_after_thirty_idle_minutes(app, client, auth, clock):
    user = auth.as_role("staff")
    clock.advance(minutes=29)
    assert client.get("/auth/account").status_code == 200  # activity renews it
    clock.advance(minutes=29)
    assert client.get("/auth/account").status_code == 200
    clock.advance(minutes=31)
    response = client.get("/auth/account")
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sesi Anda berakhir karena tidak ada aktivitas." in page
    assert client.get("/auth/account").status_code == 302
    assert (
        db.session.execute(db.select(SecurityEvent).filter_by(event="session_timeout")).scalar_one().user_id == user.id
    )


def test_the_idle_timeout_is_configurable(make_app, clock):
    app = make_app(SESSION_IDLE_MINUTES=5)
    client = app.test_client()
    AuthActions(client).as_role("staff")
    clock.advance(minutes=6)
    assert client.get("/auth/account").status_code == 302


def test_an_active_session_still_ends_after_twelve_hours(app, client, auth, clock):
    auth.as_role("staff")
    for _ in range(24):
        clock.advance(minutes=29)
        client.get("/auth/account")
    clock.advance(minutes=29)
    assert client.get("/auth/account").status_code == 302


def test_remember_me_keeps_the_idle_rule(app, clock):
    user = factories.make_user("staff")
    db.session.commit()
    client = app.test_client()
    AuthActions(client).login(user, remember="y")
    remember = client.get_cookie("remember_token")
    assert remember is not None and remember.expires is not None
    assert remember.expires - utcnow() <= timedelta(minutes=31)  # the cookie lasts the idle timeout, not 14 days
    client.get("/auth/account")
    clock.advance(minutes=31)
    assert client.get("/auth/account").status_code == 302


def test_the_account_page_lists_recent_sign_ins_and_signs_out_everywhere(app, client, auth):
    user = auth.as_role("staff")
    other = app.test_client()
    AuthActions(other).login(user)
    page = client.get("/auth/account", headers={"User-Agent": "Mozilla/5.0 (Test)"}).get_data(as_text=True)
    assert "Riwayat masuk terakhir" in page and "127.0.0.1" in page
    assert "Keluar dari semua perangkat" in page
    client.post("/auth/logout")
    assert other.get("/auth/account").status_code == 302
