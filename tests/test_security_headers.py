"""Security headers on every response; secure cookies and a required secret key in production."""

import pytest

from coordapp.config import build_config
from coordapp.extensions import db
from tests import factories
from tests.conftest import AuthActions


def _csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


def _assert_hardened(response):
    csp = _csp(response)
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert csp["script-src"] == "script-src 'self'"
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    assert csp["object-src"] == "object-src 'none'"
    assert "*" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin", "no-referrer")


@pytest.mark.parametrize(
    "path", ["/auth/login", "/", "/healthz", "/static/css/app.css", "/static/js/app.js", "/no-such-page", "/auth/users"]
)
def test_anonymous_responses_carry_the_security_headers(client, path):
    _assert_hardened(client.get(path))


@pytest.mark.parametrize(
    "path", ["/", "/auth/account", "/auth/users", "/admin/elections", "/admin/elections/999999/stages"]
)
def test_logged_in_responses_carry_the_security_headers(client, auth, path):
    auth.as_role("admin")
    _assert_hardened(client.get(path))


def test_error_and_post_responses_carry_the_security_headers(client, auth):
    _assert_hardened(client.post("/auth/login", data={"email": "x@kpu.example.org", "password": "wrong password"}))
    _assert_hardened(client.post("/healthz"))  # 405
    auth.as_role("staff")
    _assert_hardened(client.get("/auth/users"))  # 403
    _assert_hardened(auth.logout())  # redirect


def test_pages_with_personal_data_are_not_cached(client, auth):
    auth.as_role("staff")
    assert client.get("/auth/account").headers["Cache-Control"] == "no-store"


def test_no_page_has_inline_script_or_style_attributes(client, auth):
    auth.as_role("admin")
    for path in ("/auth/login", "/", "/auth/account", "/auth/users", "/admin/elections/new"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page and "<script " not in page.replace('<script src="', "")
        assert " onclick=" not in page and " style=" not in page, path


def test_development_cookies_are_httponly_and_samesite(client, auth):
    auth.as_role("staff", language="id")
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


@pytest.fixture
def production_env(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-production-secret-key-for-the-test")


def test_production_config_marks_every_cookie_secure(production_env, tmp_path):
    config = build_config(str(tmp_path))
    assert config["APP_ENV"] == "production"
    assert config["SECRET_KEY"] == "a-long-production-secret-key-for-the-test"
    for name in ("SESSION_COOKIE", "REMEMBER_COOKIE"):
        assert config[f"{name}_SECURE"] is True
        assert config[f"{name}_HTTPONLY"] is True
        assert config[f"{name}_SAMESITE"] == "Lax"
    assert not (tmp_path / "secret_key").exists()  # the key comes from the environment, not a file


def test_development_config_keeps_cookies_usable_over_plain_http(monkeypatch, tmp_path):
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.delenv("SECURE_COOKIES", raising=False)
    config = build_config(str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["SESSION_COOKIE_HTTPONLY"] is True


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    (tmp_path / "secret_key").write_text("a key a developer left behind")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        build_config(str(tmp_path))


def test_development_generates_a_secret_key_once_and_keeps_it(monkeypatch, tmp_path):
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = build_config(str(tmp_path))["SECRET_KEY"]
    assert len(first) >= 32
    assert build_config(str(tmp_path))["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # readable by the owner only


def test_a_production_app_sends_secure_cookies(production_env, make_app):
    app = make_app()
    user = factories.make_user("staff")
    db.session.commit()
    client = app.test_client()
    response = AuthActions(client).login(user, remember="y")
    cookies = {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_token"):
        assert "; Secure" in cookies[name] and "; HttpOnly" in cookies[name] and "SameSite=Lax" in cookies[name]
    language = client.post("/language", data={"language": "en"}).headers.getlist("Set-Cookie")
    assert any(c.startswith("lang=") and "; Secure" in c for c in language)


def test_a_production_app_sends_hsts_over_https(production_env, make_app):
    client = make_app().test_client()
    response = client.get("/auth/login", base_url="https://coordapp.example.org")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
