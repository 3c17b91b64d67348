"""The app under benchmark: the real app on the benchmark database, plus a baseline route.

The baseline (`/_bench/ping`) is registered only here. It carries an access rule like every
route, and runs one trivial query, so its time is what any logged-in page costs before
the page's own work.
"""

import gc
import os

import sqlalchemy as sa
from flask import Blueprint, Flask
from sqlalchemy import text

from coordapp import create_app
from coordapp.auth.access import login_required
from coordapp.extensions import db

SCHEMA = "bench"
REMINDERS_SCHEMA = "bench_reminders"
HERE = os.path.dirname(os.path.abspath(__file__))
SQLITE_FILE = os.path.join(HERE, "bench.db")
REMINDERS_SQLITE_FILE = os.path.join(HERE, "reminders.db")

baseline = Blueprint("bench", __name__, url_prefix="/_bench")


@baseline.get("/ping")
@login_required
def ping():
    """Answer after one trivial query: the cost of the app itself."""
    db.session.execute(text("SELECT 1")).scalar_one()
    return "ok"


def schema_url(base: str, schema: str) -> str:
    """Return base (a PostgreSQL URL) with schema first on the search path, for psycopg 3."""
    url = sa.engine.make_url(base)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


def database_url() -> str:
    """Return the benchmark database: schema `bench` of DATABASE_URL (PostgreSQL), else bench/bench.db."""
    base = os.environ.get("DATABASE_URL")
    return schema_url(base, SCHEMA) if base else f"sqlite:///{SQLITE_FILE}"


def _remove_sqlite_files(*files: str) -> None:
    for name in files or (SQLITE_FILE, REMINDERS_SQLITE_FILE):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(name + suffix):
                os.remove(name + suffix)


def _in_admin_schema(url: str, *statements: str) -> None:
    admin = sa.create_engine(schema_url(url, "public"))
    with admin.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    admin.dispose()


def prepare_database(url: str, fresh: bool, schema: str = SCHEMA) -> None:
    """Make room for the data: a new SQLite file or PostgreSQL schema when fresh, else keep what is there."""
    if not url.startswith("postgresql"):
        if fresh:
            _remove_sqlite_files(SQLITE_FILE)
        return
    drop = [f"DROP SCHEMA IF EXISTS {schema} CASCADE"] if fresh else []
    _in_admin_schema(url, *drop, f"CREATE SCHEMA IF NOT EXISTS {schema}")


def drop_database(url: str) -> None:
    """Remove the benchmark data: the SQLite files, or the PostgreSQL schemas."""
    if url.startswith("postgresql"):
        _in_admin_schema(
            url, f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE", f"DROP SCHEMA IF EXISTS {REMINDERS_SCHEMA} CASCADE"
        )
    else:
        _remove_sqlite_files()


def make_app(url: str) -> Flask:
    """Build the real app on the benchmark database, with the baseline route."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    app.register_blueprint(baseline)
    gc.freeze()  # as wsgi.py does for the served app
    return app


def served_app() -> Flask:
    """The app `bench/load.py` serves with gunicorn: the benchmark database named by BENCH_DATABASE_URL."""
    import logging

    logging.getLogger("coordapp.request").disabled = True  # one line per request would flood the load run
    return make_app(os.environ["BENCH_DATABASE_URL"])
