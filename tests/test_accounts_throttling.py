"""Throttling slows a guesser's address, never the owner elsewhere; the owner hears about repeated failures."""

from datetime import timedelta

from coordapp.auth import throttle
from coordapp.auth.security_log import SecurityEvent
from coordapp.core.time import utcnow
from coordapp.extensions import db
from tests import factories
from tests.accounts_support import STRONG, deliver, post_from

ATTACKER, OWNER = "198.51.100.66", "203.0.113.10"


def _login(client, ip, email, password="wrong guess, again"):
    return post_from(client, ip, "/auth/login", email=email, password=password)


def test_the_owner_signs_in_from_another_address_while_the_attacker_is_throttled(app, client):
    user = factories.make_user("staff")
    db.session.commit()
    statuses = [_login(client, ATTACKER, user.email).status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
    blocked = _login(client, ATTACKER, user.email, password=factories.PASSWORD)
    assert blocked.status_code == 429  # even the right password, from the guessing address
    assert "Terlalu banyak percobaan gagal dari alamat ini." in blocked.get_data(as_text=True)
    assert int(blocked.headers["Retry-After"]) >= 1
    owner = app.test_client()
    assert _login(owner, OWNER, user.email, password=factories.PASSWORD).status_code == 302
    assert "login_throttled" in db.session.execute(db.select(SecurityEvent.event)).scalars().all()


def test_the_delay_grows_with_each_failure_and_ends(app):
    now = utcnow()
    for n in range(6):
        db.session.add(
            SecurityEvent(
                event="login_failure", email="a@kpu.example.org", ip=ATTACKER, created_dt=now - timedelta(seconds=6 - n)
            )
        )
    db.session.commit()
    waits = throttle.wait_seconds("a@kpu.example.org", ATTACKER, now=now)
    assert 4 <= waits <= 8  # 6 failures, 3 free: 2**3 s after the last one
    assert throttle.wait_seconds("a@kpu.example.org", OWNER, now=now) == 0
    assert throttle.wait_seconds("a@kpu.example.org", ATTACKER, now=now + timedelta(minutes=16)) == 0


def test_one_address_guessing_many_accounts_is_slowed_too(app, client):
    for n in range(10):
        _login(client, ATTACKER, f"guess{n}@kpu.example.org")
    assert _login(client, ATTACKER, "another@kpu.example.org").status_code == 429
    assert _login(client, OWNER, "another@kpu.example.org").status_code == 422


def test_the_owner_is_told_by_email_after_repeated_failures_once_an_hour(smtp_app, smtp_server):
    user = factories.make_user("staff", email="siti@kpu.example.org", language="en")
    db.session.commit()
    client = smtp_app.test_client()
    for n in range(8):
        _login(client, f"10.4.{n}.1", user.email)
    deliver()
    (notice,) = smtp_server.handler.to(user.email)
    assert notice.message["Subject"] == "Failed sign-in attempts on your CoordApp account"
    assert "Your account is not locked" in notice.message.get_body(preferencelist=("plain",)).get_content()


def test_the_current_password_check_is_throttled_like_the_login(app, client, auth):
    user = auth.as_role("staff")
    data = {"pw-current_password": "not my password", "pw-new_password": STRONG, "pw-confirm": STRONG}
    statuses = [client.post("/auth/password", data=data).status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
    right = client.post("/auth/password", data={**data, "pw-current_password": factories.PASSWORD})
    assert right.status_code == 429  # the wait applies to the right password too
    events = db.session.execute(db.select(SecurityEvent.event).filter_by(user_id=user.id)).scalars().all()
    assert events.count("password_check_failure") == 3
