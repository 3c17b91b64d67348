"""Login attempts are limited per IP address and per (account, address) (memory locally, Redis in CI)."""

import os

import pytest
from limits import parse

from coordapp.config import build_config
from coordapp.extensions import db, limiter
from tests import factories

# Small limits keep the tests quick (each refused attempt still costs an Argon2 check);
# the production defaults are checked on their own below.
LIMITS = {"LOGIN_RATE_LIMIT_IP": "6 per minute", "LOGIN_RATE_LIMIT_ACCOUNT": "4 per 15 minutes"}


@pytest.fixture
def app(app, make_app):
    """An app on the session database whose login limits are small."""
    return make_app(**LIMITS)


@pytest.fixture
def client(app):
    return app.test_client()


def _limit(app, key: str) -> int:
    return parse(app.config[key]).amount


def test_the_default_limits_stop_guessing_but_not_typos(tmp_path):
    config = build_config(str(tmp_path))
    per_ip, per_account = parse(config["LOGIN_RATE_LIMIT_IP"]), parse(config["LOGIN_RATE_LIMIT_ACCOUNT"])
    assert 5 <= per_account.amount <= per_ip.amount <= 60
    assert per_account.get_expiry() >= 5 * 60


def _attempt(client, email: str, ip: str, password: str = "wrong password!", **headers):
    return client.post(
        "/auth/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip}, headers=headers
    )


def test_the_limiter_uses_redis_when_redis_url_is_set(app):
    storage = type(limiter.storage).__name__
    assert storage == ("RedisStorage" if os.environ.get("REDIS_URL") else "MemoryStorage")


def test_the_account_limit_stops_one_address_but_never_the_owner_elsewhere(app, client):
    user = factories.make_user("staff")
    db.session.commit()
    allowed = _limit(app, "LOGIN_RATE_LIMIT_ACCOUNT")
    for _ in range(allowed):
        _attempt(client, user.email, "10.0.0.1")  # the progressive delay answers 429 before the limit does
    blocked = _attempt(client, user.email, "10.0.0.1", password=factories.PASSWORD)
    assert blocked.status_code == 429  # even the right password, from the guessing address
    assert "Retry-After" in blocked.headers
    # the owner, from their own address, is not locked out
    assert _attempt(client, user.email, "10.9.9.9", password=factories.PASSWORD).status_code == 302


def test_the_account_limit_ignores_the_case_of_the_email(app, make_app):
    app = make_app(LOGIN_FREE_FAILURES=100, LOGIN_FREE_FAILURES_IP=100, **LIMITS)  # only the limiter counts here
    client = app.test_client()
    user = factories.make_user("staff", email="siti@kpu.example.org")
    db.session.commit()
    allowed = _limit(app, "LOGIN_RATE_LIMIT_ACCOUNT")
    spellings = ["siti@kpu.example.org", "SITI@kpu.example.org", " Siti@KPU.example.org "]
    for n in range(allowed):
        assert _attempt(client, spellings[n % 3], "10.1.0.1").status_code == 422
    assert _attempt(client, "sItI@kpu.example.org", "10.1.0.1").status_code == 429
    assert user.id


def test_per_ip_limit_trips_across_accounts(app, client):
    allowed = _limit(app, "LOGIN_RATE_LIMIT_IP")
    for n in range(allowed):
        assert _attempt(client, f"guess{n}@kpu.example.org", "192.0.2.7").status_code == 422
    assert _attempt(client, "guess-last@kpu.example.org", "192.0.2.7").status_code == 429
    # another address still gets in
    user = factories.make_user("staff")
    db.session.commit()
    assert _attempt(client, user.email, "192.0.2.8", password=factories.PASSWORD).status_code == 302


def test_the_429_page_is_in_english_for_an_english_browser(app, client):
    allowed = _limit(app, "LOGIN_RATE_LIMIT_IP")
    for n in range(allowed):
        _attempt(client, f"guess{n}@kpu.example.org", "192.0.2.9")
    blocked = _attempt(client, "x@kpu.example.org", "192.0.2.9", **{"Accept-Language": "en"})
    assert blocked.status_code == 429
    assert "Too many attempts. Wait a moment and try again." in blocked.get_data(as_text=True)
    assert blocked.headers.get("Retry-After")


def test_viewing_the_login_page_is_not_limited(app, client):
    for _ in range(_limit(app, "LOGIN_RATE_LIMIT_IP") + 2):
        assert client.get("/auth/login", environ_base={"REMOTE_ADDR": "192.0.2.10"}).status_code == 200


def test_limits_are_reset_between_tests_part_one(app, client):
    for n in range(_limit(app, "LOGIN_RATE_LIMIT_IP")):
        _attempt(client, f"guess{n}@kpu.example.org", "192.0.2.11")
    assert _attempt(client, "again@kpu.example.org", "192.0.2.11").status_code == 429


def test_limits_are_reset_between_tests_part_two(app, client):
    assert _attempt(client, "again@kpu.example.org", "192.0.2.11").status_code == 422
