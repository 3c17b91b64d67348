"""`flask --app wsgi backup` and `flask --app wsgi restore ARCHIVE [--check]`."""

import click
from flask.cli import with_appcontext
from flask_migrate import upgrade

from coordapp.core import backup
from coordapp.extensions import db


@click.command("backup")
@click.option("--to", "folder", type=click.Path(file_okay=False), help="Folder for the archive (default: BACKUP_DIR).")
@click.option("--keep", type=int, default=None, help="Keep only this many newest archives (0: keep all).")
@with_appcontext
def backup_command(folder: str | None, keep: int | None) -> None:
    """Write a dated archive of the database and instance files with a manifest."""
    try:
        archive = backup.create_backup(folder or backup.backup_folder())
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {archive}")
    if keep:
        for old in backup.prune_backups(archive.parent, keep):
            click.echo(f"deleted {old}")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@click.option("--check", is_flag=True, help="Restore into a scratch database and compare; touch nothing live.")
@with_appcontext
def restore_command(archive: str, check: bool) -> None:
    """Restore ARCHIVE into the empty configured database, then migrate it to head."""
    db.session.remove()
    db.engine.dispose()
    try:
        manifest = backup.check_backup(archive) if check else backup.restore_backup(archive)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    total = sum(manifest["counts"].values())
    click.echo(
        f"{'checked' if check else 'restored'} {archive}: revision {manifest['revision']}, "
        f"{len(manifest['counts'])} tables, {total} rows, {len(manifest['files'])} files match the manifest"
    )
    if not check and manifest["revision"] is not None:
        upgrade(directory=str(backup.MIGRATIONS))
        click.echo("migrated to head")
