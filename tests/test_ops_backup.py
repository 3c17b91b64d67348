"""`flask --app wsgi backup` / `restore`: an archive taken while the app writes restores whole, or is refused whole.

Runs on SQLite, and on PostgreSQL (a schema of its own, restored into a new database) when DATABASE_URL is set.
"""

import io
import json
import os
import tarfile
import threading
import time
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from coordapp import create_app
from coordapp.celery_app import BEAT_SCHEDULE
from coordapp.core import backup
from coordapp.core.tasks import daily_backup
from coordapp.extensions import db
from coordapp.files.storage import digest, store
from coordapp.issues.models import FollowUp, Issue
from tests import factories
from tests.conftest import FreshContextClient, app_config, postgres_schema

WRITERS = 20
WRITE_SECONDS = 1.5


@pytest.fixture(params=["sqlite", "postgresql"] if os.environ.get("DATABASE_URL") else ["sqlite"])
def databases(request, tmp_path):
    """Yield (live URL, empty target URL): two SQLite files, or a schema and a new database that will receive it."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'live.db'}", f"sqlite:///{tmp_path / 'restored.db'}"
        return
    with postgres_schema(os.environ["DATABASE_URL"], "ops") as live:
        name = f"ops_restore_{uuid.uuid4().hex[:12]}"
        admin = sa.create_engine(sa.engine.make_url(live).set(query={}), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            yield live, sa.engine.make_url(live).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def _app(url: str, files):
    app = create_app(app_config(url, FILES_FOLDER=str(files)), testing=True)
    app.test_client_class = FreshContextClient
    return app


@pytest.fixture
def live(databases, tmp_path):
    """An app on a migrated database with the demo, a staff login and one stored file."""
    app = _app(databases[0], tmp_path / "live-files")
    with app.app_context():
        upgrade(directory=str(backup.MIGRATIONS))
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
        factories.make_user("staff", email="ops.staff@example.org")
        store().put(b"%PDF-1.4 laporan rapat pleno")
        db.session.commit()
        yield app
        db.session.remove()
        db.engine.dispose()


def _write_follow_ups(app, stop: threading.Event, errors: list) -> None:
    with app.app_context():
        issue_id = db.session.execute(db.select(Issue.id).order_by(Issue.id)).scalars().first()
        while not stop.is_set():
            try:
                db.session.add(FollowUp(issue_id=issue_id, body="Tindak lanjut selama backup."))
                db.session.commit()
            except sa.exc.OperationalError:  # SQLite: "database is locked" under 20 writers; try again
                db.session.rollback()
            except Exception as exc:  # noqa: BLE001 - reported by the test
                errors.append(exc)
                return
            time.sleep(0.01)
        db.session.remove()


def _follow_ups() -> int:
    db.session.rollback()  # a fresh snapshot of what the writers committed
    return db.session.scalar(db.select(sa.func.count()).select_from(FollowUp))


def _wait_for_more_follow_ups_than(count: int) -> None:
    """Wait (10 s at most) until the writers have committed beyond count: they write before and after the backup."""
    deadline = time.monotonic() + 10
    while _follow_ups() <= count and time.monotonic() < deadline:
        time.sleep(0.05)


def test_backup_while_writing_restores_identical_into_a_fresh_database(live, databases, tmp_path):
    seeded = _follow_ups()
    stop, errors = threading.Event(), []
    writers = [threading.Thread(target=_write_follow_ups, args=(live, stop, errors)) for _ in range(WRITERS)]
    for thread in writers:
        thread.start()
    try:
        time.sleep(WRITE_SECONDS / 2)
        _wait_for_more_follow_ups_than(seeded)
        archive = backup.create_backup(tmp_path / "backups")
        with tarfile.open(archive) as tar:
            manifest = json.loads(tar.extractfile("manifest.json").read())
        time.sleep(WRITE_SECONDS / 2)
        _wait_for_more_follow_ups_than(manifest["counts"]["follow_ups"])
    finally:
        stop.set()
        for thread in writers:
            thread.join(timeout=10)
    assert not errors
    live_follow_ups = _follow_ups()
    # The archive was taken between writes: it holds some of them, and the writers went on after it.
    assert seeded < manifest["counts"]["follow_ups"] < live_follow_ups

    assert manifest["revision"] == backup.head_revision()
    assert manifest["counts"]["issues"] > 0 and manifest["counts"]["meetings"] > 0
    assert any(name.startswith("files/") for name in manifest["files"])

    restored = _app(databases[1], tmp_path / "restored-files")
    with restored.app_context():
        result = restored.test_cli_runner().invoke(args=["restore", str(archive)])
        assert result.exit_code == 0, result.output
        assert "migrated to head" in result.output
        assert backup.table_counts(db.session.connection()) == manifest["counts"]
        assert (
            store().get(digest(b"%PDF-1.4 laporan rapat pleno")) == b"%PDF-1.4 laporan rapat pleno"
        )  # among the demo's files
        issue_id, title = db.session.execute(db.select(Issue.id, Issue.title).order_by(Issue.id)).first()
        client = restored.test_client()
        client.post("/auth/login", data={"email": "ops.staff@example.org", "password": factories.PASSWORD})
        assert client.get("/issues/").status_code == 200
        page = client.get(f"/issues/{issue_id}")
        assert page.status_code == 200
        assert title in page.get_data(as_text=True)
        assert "Tindak lanjut selama backup." in page.get_data(as_text=True)
        db.session.remove()
        db.engine.dispose()


def test_check_compares_without_touching_the_live_database(live, tmp_path):
    archive = backup.create_backup(tmp_path / "backups")
    before = backup.table_counts(db.session.connection())
    db.session.commit()
    result = live.test_cli_runner().invoke(args=["restore", str(archive), "--check"])
    assert result.exit_code == 0, result.output
    assert "checked" in result.output
    assert backup.table_counts(db.session.connection()) == before


def _rewrite(archive, into, change) -> str:
    """Copy archive with its manifest passed through change(manifest)."""
    target = into / "edited.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as tar:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "manifest.json":
                data = json.dumps(change(json.loads(data))).encode()
                member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
    return str(target)


def _refused(databases, tmp_path, archive: str, message: str) -> None:
    restored = _app(databases[1], tmp_path / "refused-files")
    with restored.app_context():
        result = restored.test_cli_runner().invoke(args=["restore", archive])
        assert result.exit_code == 1
        assert message in result.output
        assert sa.inspect(db.engine).get_table_names() == []
        db.engine.dispose()
    assert not (tmp_path / "refused-files").exists()


def test_corrupted_archive_is_refused_and_nothing_is_touched(live, databases, tmp_path):
    archive = backup.create_backup(tmp_path / "backups")
    damaged = _rewrite(archive, tmp_path, lambda m: {**m, "files": {k: "0" * 64 for k in m["files"]}})
    _refused(databases, tmp_path, damaged, "does not match its manifest")
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[:2000])
    _refused(databases, tmp_path, str(truncated), "cannot be read")


def test_archive_from_a_newer_schema_is_refused(live, databases, tmp_path):
    archive = backup.create_backup(tmp_path / "backups")
    newer = _rewrite(archive, tmp_path, lambda m: {**m, "revision": "9999"})
    _refused(databases, tmp_path, newer, "schema revision 9999")


def test_retention_keeps_the_newest(tmp_path):
    for stamp in ("20260101T000000Z", "20260102T000000Z", "20260103T000000Z"):
        (tmp_path / f"{backup.PREFIX}{stamp}.tar.gz").write_bytes(b"x")
    deleted = backup.prune_backups(tmp_path, keep=2)
    assert [p.name for p in deleted] == [f"{backup.PREFIX}20260101T000000Z.tar.gz"]
    assert len(backup.list_backups(tmp_path)) == 2


def test_the_daily_backup_task_writes_an_archive_and_keeps_the_newest(app, tmp_path):
    app.config.update(BACKUP_DIR=str(tmp_path / "daily"), BACKUP_KEEP=2)
    for stamp in ("20260101T000000Z", "20260102T000000Z"):
        (tmp_path / "daily").mkdir(exist_ok=True)
        (tmp_path / "daily" / f"{backup.PREFIX}{stamp}.tar.gz").write_bytes(b"old")
    daily_backup.apply()
    kept = backup.list_backups(tmp_path / "daily")
    assert len(kept) == 2
    assert kept[0].name > f"{backup.PREFIX}2026010"
    assert kept[1].name.endswith("20260102T000000Z.tar.gz")
    assert BEAT_SCHEDULE["daily-backup"]["task"] == daily_backup.name
