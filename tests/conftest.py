"""Test fixtures: an app on a fresh database (SQLite by default, PostgreSQL when DATABASE_URL is set)."""

import os
import shutil
import tempfile
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

# The app reads its instance folder at import of create_app; keep tests out of the developer's instance/.
_INSTANCE = tempfile.mkdtemp(prefix="coordapp-test-")
os.environ["COORDAPP_INSTANCE"] = _INSTANCE
os.environ.pop("APP_ENV", None)

from coordapp import create_app  # noqa: E402
from coordapp.config import build_config  # noqa: E402
from coordapp.extensions import db, limiter  # noqa: E402
from tests import factories  # noqa: E402

# Fixtures kept in their own modules, available to every test; logcheck fails a test that logs an address.
pytest_plugins = ["tests.smtp", "tests.logcheck"]

IN_CI = os.environ.get("CI", "").lower() == "true"
# Several test runs may share one Redis (CI and developers): keep this run's rate-limit
# counters and Celery queue apart from theirs, so nobody resets or consumes another's.
RUN_TAG = uuid.uuid4().hex[:12]
TEST_QUEUE = f"coordapp-test-{RUN_TAG}"


def app_config(database_url: str, **config) -> dict:
    """Return the configuration of a test app on database_url, with overrides."""
    celery = {**build_config(_INSTANCE)["CELERY"], "task_default_queue": TEST_QUEUE}
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "CELERY": celery,
        "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": f"LIMITS-{RUN_TAG}"},
        **config,
    }


def delete_test_queue(celery) -> None:
    """Delete this run's Celery queue with its messages and bindings (the channel must know them)."""
    with celery.connection_for_write() as conn:
        bound = celery.amqp.queues[TEST_QUEUE](conn.default_channel)
        bound.declare()
        bound.delete()


def _postgres_url(base: str, schema: str) -> str:
    url = sa.engine.make_url(base)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


@contextmanager
def postgres_schema(base: str, prefix: str):
    """Yield a URL on a new PostgreSQL schema of its own; drop the schema afterwards."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(_postgres_url(base, "public"))
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _postgres_url(base, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url():
    """Give the session its own database: a fresh PostgreSQL schema, or a SQLite file."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        yield f"sqlite:///{os.path.join(_INSTANCE, 'test.db')}"
        return
    with postgres_schema(base, "test") as url:
        yield url


@pytest.fixture(scope="session")
def _schema(database_url):
    """Create the tables once per session."""
    app = create_app(app_config(database_url), testing=True)
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    yield
    with app.app_context():  # leave nothing of this run in a shared Redis
        limiter.reset()
        delete_test_queue(app.extensions["celery"])
    shutil.rmtree(_INSTANCE, ignore_errors=True)


class FreshContextClient(FlaskClient):
    """Run each request in its own app context, as a server does: fresh g, fresh db session.

    The fixtures keep an app context pushed for the test's own database work; without
    this, requests would share its g (cached current_user, locale) and its session.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def _make_app(database_url: str, **config):
    app = create_app(app_config(database_url, **config), testing=True)
    app.test_client_class = FreshContextClient
    return app


def _empty_tables() -> None:
    db.session.rollback()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def app(database_url, _schema):
    """An app on the session database, emptied after each test."""
    app = _make_app(database_url)
    with app.app_context():
        limiter.reset()
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


@pytest.fixture
def make_app(app, database_url):
    """Build another app on the session database with config overrides (emptied with `app`)."""
    return lambda **config: _make_app(database_url, **config)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    """Log users in and out through the real login form."""

    def __init__(self, client):
        self._client = client

    def login(self, user_or_email, password: str = factories.PASSWORD, **extra):
        email = getattr(user_or_email, "email", user_or_email)
        return self._client.post("/auth/login", data={"email": email, "password": password, **extra})

    def logout(self):
        return self._client.post("/auth/logout")

    def as_role(self, role: str, **overrides):
        """Create a user with role, commit, log them in and return them."""
        user = factories.make_user(role, **overrides)
        db.session.commit()
        response = self.login(user)
        assert response.status_code == 302, response.data[:500]
        return user


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def csrf_app(database_url, _schema):
    """An app with CSRF protection on, as in production."""
    app = _make_app(database_url, WTF_CSRF_ENABLED=True)
    with app.app_context():
        limiter.reset()
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


def require_or_skip(condition: bool, reason: str) -> None:
    """Skip when a local tool is missing; in CI a missing tool is a failure."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium driven by Playwright, started once per test module (browser journeys)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, chromium_available, launch_chromium

    require_or_skip(chromium_available(), f"Debian's Chromium is not installed at {CHROMIUM}")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def site(make_app):
    """The real app with CSRF on, served on the test database (browser journeys)."""
    from tests.browser import live_server

    with live_server(make_app(WTF_CSRF_ENABLED=True)) as url:
        yield url
