"""Migrations: upgrade to head, downgrade to base and up again; the models match the migrations.

Runs on a fresh SQLite file, and on PostgreSQL (a schema of its own) when DATABASE_URL is set.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from coordapp import create_app
from coordapp.config import build_config
from coordapp.extensions import db
from tests.conftest import app_config, postgres_schema

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = str(ROOT / "migrations")


def _head() -> str:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return ScriptDirectory.from_config(config).get_current_head()


@pytest.fixture(params=["sqlite", "postgresql"] if os.environ.get("DATABASE_URL") else ["sqlite"])
def fresh_database(request, tmp_path):
    """A database URL nobody has used: a new SQLite file, or a new PostgreSQL schema dropped after."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    with postgres_schema(os.environ["DATABASE_URL"], "mig") as url:
        yield url


@pytest.fixture
def migration_app(fresh_database):
    app = create_app(app_config(fresh_database), testing=True)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def _revision() -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _model_differences() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_downgrade_upgrade(migration_app):
    assert _tables() == set()
    upgrade(directory=MIGRATIONS)
    assert _revision() == _head()
    assert _tables() == set(db.metadata.tables)
    downgrade(directory=MIGRATIONS, revision="base")
    assert _revision() is None
    assert _tables() == set()
    upgrade(directory=MIGRATIONS)
    assert _revision() == _head()
    assert _tables() == set(db.metadata.tables)


# SQLite cannot reflect expression indexes, so autogenerate skips them there (and warns);
# test_expression_indexes_exist_as_the_models_declare_them checks them instead.
EXPRESSION_INDEX_WARNINGS = (
    pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index"),
    pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index"),
)


@EXPRESSION_INDEX_WARNINGS[0]
@EXPRESSION_INDEX_WARNINGS[1]
def test_the_models_match_the_migrations(migration_app):
    upgrade(directory=MIGRATIONS)
    differences = _model_differences()
    assert differences == [], "models and migrations differ (edit the migration to match):\n" + "\n".join(
        map(str, differences)
    )


def _index_sql() -> dict[str, str]:
    """Return each index of the issues table with its definition, as the database holds it."""
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'issues'"
            )
        else:
            rows = conn.exec_driver_sql(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'issues' "
                "AND schemaname = current_schema()"
            )
        return {name: " ".join((sql or "").split()) for name, sql in rows}


def test_expression_indexes_exist_as_the_models_declare_them(migration_app):
    """The median indexes hold the duration expression the queries order by (models: issues/models.py)."""
    upgrade(directory=MIGRATIONS)
    indexes = _index_sql()
    declared = {index.name: index for index in db.metadata.tables["issues"].indexes}
    for name in (
        "ix_issues_response",
        "ix_issues_response_by_stage",
        "ix_issues_resolution",
        "ix_issues_resolution_by_stage",
    ):
        assert name in declared and name in indexes, name
        end = "first_response_dt" if "response" in name else "resolved_dt"
        expression = (
            f"(julianday({end}) - julianday(created_dt))"
            if db.engine.dialect.name == "sqlite"
            else f"EXTRACT(epoch FROM ({end} - created_dt))"
        )
        assert expression in indexes[name], indexes[name]
        assert ("stage_id" in indexes[name]) == name.endswith("_by_stage")


def test_the_upgraded_database_takes_real_rows(migration_app):
    """The migrated schema (not create_all) accepts what the app writes: constraints and defaults line up."""
    from tests import factories

    upgrade(directory=MIGRATIONS)
    election = factories.make_election()
    factories.make_issue(election, stage=election.stages[11])
    factories.make_meeting(election, stage=election.stages[11])
    factories.make_user("admin")
    db.session.commit()
    assert len(election.stages) == 20


def test_flask_db_commands_on_a_fresh_sqlite_file(tmp_path):
    """What a newcomer runs: `flask --app wsgi db upgrade`, then `db check` finds nothing to do."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "COORDAPP_INSTANCE": str(tmp_path)}
    env.pop("REDIS_URL", None)
    flask = [sys.executable, "-m", "flask", "--app", "wsgi", "db"]
    upgraded = subprocess.run([*flask, "upgrade"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert upgraded.returncode == 0, upgraded.stderr
    checked = subprocess.run([*flask, "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No new upgrade operations detected." in checked.stdout + checked.stderr


def test_sqlite_connections_enforce_foreign_keys_use_wal_and_wait_for_locks(tmp_path):
    app = create_app(app_config(f"sqlite:///{tmp_path / 'pragmas.db'}"), testing=True)
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        db.engine.dispose()


@pytest.mark.parametrize(
    "given",
    ["postgres://u:p@db:5432/coord", "postgresql://u:p@db:5432/coord", "postgresql+psycopg://u:p@db:5432/coord"],
)
def test_postgresql_urls_use_psycopg_3(monkeypatch, tmp_path, given):
    monkeypatch.setenv("DATABASE_URL", given)
    assert build_config(str(tmp_path))["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db:5432/coord"


def test_the_embedded_default_lives_in_the_instance_folder(monkeypatch, tmp_path):
    for name in ("DATABASE_URL", "REDIS_URL", "MAIL_SERVER"):
        monkeypatch.delenv(name, raising=False)
    config = build_config(str(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'coordapp.db'}"
    assert config["CELERY"]["broker_url"] == "filesystem://"
    assert config["CELERY"]["broker_transport_options"]["data_folder_in"].startswith(str(tmp_path))
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert (config["MAIL_BACKEND"], config["MAIL_FILE_PATH"]) == ("coordapp.core.mailfiles", str(tmp_path / "mail"))


def test_redis_url_moves_the_broker_and_the_rate_limits_to_redis(monkeypatch, tmp_path):
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/0")
    config = build_config(str(tmp_path))
    assert config["CELERY"]["broker_url"] == "redis://cache:6379/0"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/0"
