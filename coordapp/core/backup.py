"""Backup and restore: one dated archive holding the database, the instance files and a manifest.

The manifest names the schema revision, the row count of every table and the SHA-256 of every
file in the archive. SQLite is copied with its online backup API; PostgreSQL is dumped with
``pg_dump`` (custom format) in the snapshot the row counts were taken in, so both agree while
the app keeps writing. A restore checks the manifest before it touches anything.
"""

import datetime as dt
import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import current_app

MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
FILES_FOLDER = "files"  # in the instance folder and in the archive
PREFIX = "coordapp-backup-"
MIGRATIONS = Path(__file__).resolve().parent.parent.parent / "migrations"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


def backup_folder() -> Path:
    """Return where backups go unless told otherwise: BACKUP_DIR, else <instance>/backups."""
    return Path(current_app.config.get("BACKUP_DIR") or Path(current_app.instance_path) / "backups")


def files_root() -> Path:
    """Return the folder of the app's file store (FILES_FOLDER, by default <instance>/files)."""
    return Path(current_app.config.get("FILES_FOLDER") or Path(current_app.instance_path) / FILES_FOLDER)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _scripts() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


def head_revision() -> str:
    """Return the newest schema revision this version of CoordApp knows."""
    return _scripts().get_current_head()


def _revision(conn) -> str | None:
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def table_counts(conn) -> dict[str, int]:
    """Count the rows of every table the database has (alembic_version aside)."""
    names = sorted(set(sa.inspect(conn).get_table_names()) - {"alembic_version"})
    return {name: conn.execute(sa.select(sa.func.count()).select_from(sa.table(name))).scalar() for name in names}


def _libpq_url(url: sa.engine.URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _search_path(url: sa.engine.URL) -> str | None:
    options = url.query.get("options", "")
    if isinstance(options, tuple):
        options = " ".join(options)
    for part in options.split():
        if part.startswith("-csearch_path="):
            return part.split("=", 1)[1]
    return None


def _dump_sqlite(url: sa.engine.URL, target: Path) -> tuple[str | None, dict[str, int]]:
    source = sqlite3.connect(url.database, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()
    engine = sa.create_engine(f"sqlite:///{target}")
    try:
        with engine.connect() as conn:
            return _revision(conn), table_counts(conn)
    finally:
        engine.dispose()


def _dump_postgres(url: sa.engine.URL, target: Path) -> tuple[str | None, dict[str, int]]:
    if shutil.which("pg_dump") is None:
        raise BackupError("pg_dump is not installed: install the PostgreSQL client (postgresql-client) to back up.")
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                snapshot = conn.execute(sa.text("SELECT pg_export_snapshot()")).scalar()
                revision, counts = _revision(conn), table_counts(conn)
                command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"]
                if schema := _search_path(url):
                    command.append(f"--schema={schema}")
                done = subprocess.run(
                    [*command, "--file", str(target), _libpq_url(url)], capture_output=True, text=True
                )
                if done.returncode:
                    raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    finally:
        engine.dispose()
    return revision, counts


def create_backup(folder: str | Path) -> Path:
    """Write a dated archive of the database and the instance files into folder; return its path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    url = sa.engine.make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    now = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory(prefix="coordapp-backup-") as work:
        work = Path(work)
        if url.get_backend_name() == "sqlite":
            member = SQLITE_MEMBER
            revision, counts = _dump_sqlite(url, work / member)
        elif url.get_backend_name() == "postgresql":
            member = PG_MEMBER
            revision, counts = _dump_postgres(url, work / member)
        else:
            raise BackupError(f"Cannot back up a {url.get_backend_name()} database.")
        members = {member: work / member}
        files = files_root()
        if files.is_dir():
            for path in sorted(p for p in files.rglob("*") if p.is_file()):
                members[f"{FILES_FOLDER}/{path.relative_to(files).as_posix()}"] = path
        manifest = {
            "format": 1,
            "created": now.isoformat(timespec="seconds"),
            "database": url.get_backend_name(),
            "revision": revision,
            "counts": counts,
            "files": {name: _sha256(path) for name, path in members.items()},
        }
        archive = folder / f"{PREFIX}{now:%Y%m%dT%H%M%S%fZ}.tar.gz"
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            for name, path in members.items():
                tar.add(path, arcname=name, recursive=False)
        partial.rename(archive)
    return archive


def list_backups(folder: str | Path) -> list[Path]:
    """Return the archives in folder, newest first."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{PREFIX}*.tar.gz"), reverse=True)


def prune_backups(folder: str | Path, keep: int) -> list[Path]:
    """Delete all but the newest keep archives in folder; return the deleted ones."""
    old = list_backups(folder)[max(keep, 1) :]
    for path in old:
        path.unlink()
    return old


def unpack(archive: str | Path, into: Path) -> dict:
    """Extract archive into a folder and check it against its manifest; return the manifest."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(into, filter="data")
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise BackupError(f"The archive cannot be read: {exc}") from exc
    try:
        manifest = json.loads((into / MANIFEST).read_text())
        files = manifest["files"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BackupError("The archive has no valid manifest.") from exc
    for name, expected in files.items():
        path = into / name
        if not path.is_file() or _sha256(path) != expected:
            raise BackupError(f"The archive is damaged: {name} does not match its manifest.")
    revision = manifest.get("revision")
    scripts = _scripts()
    if revision is not None and not _known(scripts, revision):
        raise BackupError(
            f"The archive comes from schema revision {revision}, which this version of CoordApp does not know "
            f"(its newest is {scripts.get_current_head()}): upgrade CoordApp first."
        )
    if manifest.get("database") not in ("sqlite", "postgresql"):
        raise BackupError("The archive's manifest names no database this version can restore.")
    return manifest


def _known(scripts: ScriptDirectory, revision: str) -> bool:
    try:
        return scripts.get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown id
        return False


def _tables(url: sa.engine.URL) -> set[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


def _load_database(manifest: dict, unpacked: Path, url: sa.engine.URL) -> None:
    """Put the archive's database into the empty database at url."""
    backend = url.get_backend_name()
    if backend != manifest["database"]:
        raise BackupError(f"The archive holds a {manifest['database']} database; the target is {backend}.")
    if _tables(url):
        raise BackupError("The target database is not empty: restore into an empty or new database.")
    if backend == "sqlite":
        source = sqlite3.connect(unpacked / SQLITE_MEMBER)
        target = sqlite3.connect(url.database)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        return
    if shutil.which("pg_restore") is None:
        raise BackupError("pg_restore is not installed: install the PostgreSQL client (postgresql-client) to restore.")
    if schema := _search_path(url):
        engine = sa.create_engine(url.set(query={}))
        try:
            with engine.begin() as conn:  # pg_restore creates the schema itself
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}"'))
        finally:
            engine.dispose()
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    done = subprocess.run(
        [*command, "--dbname", _libpq_url(url.set(query={})), str(unpacked / PG_MEMBER)], capture_output=True, text=True
    )
    if done.returncode:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")


def _restore_files(unpacked: Path, files: Path) -> int:
    source = unpacked / FILES_FOLDER
    if not source.is_dir():
        return 0
    count = 0
    for path in source.rglob("*"):
        if path.is_file():
            target = files / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            count += 1
    return count


def compare(manifest: dict, url: sa.engine.URL, files: Path, unpacked: Path) -> list[str]:
    """Return the differences between the manifest and a restored database and files folder."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            counts = table_counts(conn)
    finally:
        engine.dispose()
    problems = [
        f"{table}: {manifest['counts'].get(table)} rows in the archive, {counts.get(table)} restored"
        for table in sorted(set(counts) | set(manifest["counts"]))
        if counts.get(table) != manifest["counts"].get(table)
    ]
    for name, expected in manifest["files"].items():
        if name.startswith(FILES_FOLDER + "/"):
            path = files / name[len(FILES_FOLDER) + 1 :]
            if not path.is_file() or _sha256(path) != expected:
                problems.append(f"{name}: missing or different after the restore")
    return problems


def restore_backup(archive: str | Path, url: str | None = None) -> dict:
    """Restore archive into the empty database at url (default: the app's) and the instance files.

    Returns the manifest. The caller runs the migrations up to head afterwards.
    """
    target = sa.engine.make_url(url or current_app.config["SQLALCHEMY_DATABASE_URI"])
    with tempfile.TemporaryDirectory(prefix="coordapp-restore-") as work:
        unpacked = Path(work)
        manifest = unpack(archive, unpacked)
        _load_database(manifest, unpacked, target)
        files = files_root()
        _restore_files(unpacked, files)
        problems = compare(manifest, target, files, unpacked)
    if problems:
        raise BackupError("The restore does not match the archive: " + "; ".join(problems))
    return manifest


def _scratch_url(url: sa.engine.URL, work: Path) -> tuple[sa.engine.URL, object]:
    """Return a scratch database next to url's kind and a function that drops it."""
    if url.get_backend_name() == "sqlite":
        return sa.engine.make_url(f"sqlite:///{work / 'scratch.db'}"), lambda: None
    name = f"coordapp_check_{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S%f}"
    admin = sa.create_engine(url.set(query={}), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name), drop


def check_backup(archive: str | Path) -> dict:
    """Restore archive into a scratch database and folder and compare counts and hashes; the live data is untouched.

    Returns the manifest; raises BackupError on any difference.
    """
    live = sa.engine.make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    with tempfile.TemporaryDirectory(prefix="coordapp-check-") as work:
        work = Path(work)
        unpacked = work / "archive"
        manifest = unpack(archive, unpacked)
        scratch, drop = _scratch_url(live, work)
        try:
            _load_database(manifest, unpacked, scratch)
            files = work / FILES_FOLDER
            _restore_files(unpacked, files)
            problems = compare(manifest, scratch, files, unpacked)
        finally:
            drop()
    if problems:
        raise BackupError("The archive does not restore as its manifest says: " + "; ".join(problems))
    return manifest


def digest_of_first_file(manifest: dict) -> str:
    """Return the SHA-256 of the first stored file the manifest lists (its name in the file store)."""
    name = next(name for name in sorted(manifest["files"]) if name.startswith(FILES_FOLDER + "/"))
    return name.rsplit("/", 1)[1]


def read_manifest(archive: str | Path) -> dict | None:
    """Return the manifest of archive without unpacking the rest (None when it cannot be read)."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            return json.loads(tar.extractfile(MANIFEST).read())
    except (OSError, tarfile.TarError, EOFError, KeyError, AttributeError, ValueError):
        return None


def summaries(folder: str | Path) -> list[dict]:
    """Describe the archives in folder, newest first: name, size, creation time, revision, rows and files."""
    rows = []
    for path in list_backups(folder):
        manifest = read_manifest(path) or {}
        created = manifest.get("created")
        rows.append(
            {
                "name": path.name,
                "size": path.stat().st_size,
                "created": dt.datetime.fromisoformat(created) if created else None,
                "revision": manifest.get("revision"),
                "rows": sum(manifest.get("counts", {}).values()),
                "files": len(manifest.get("files", {})),
                "readable": bool(manifest),
            }
        )
    return rows
