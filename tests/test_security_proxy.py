"""Behind a TLS-terminating proxy the app sees the client's scheme and address only when told to trust it."""

from coordapp import create_app


def _app(database_url, proxies):
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "PROXY_COUNT": proxies}, testing=True)


FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}


def test_hsts_is_sent_behind_a_trusted_proxy(database_url, _schema):
    response = _app(database_url, 1).test_client().get("/auth/login", headers=FORWARDED)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_forwarded_headers_are_ignored_without_a_trusted_proxy(database_url, _schema):
    response = _app(database_url, 0).test_client().get("/auth/login", headers=FORWARDED)
    assert "Strict-Transport-Security" not in response.headers
