"""Worker heartbeat (proves a worker consumes the queue and can write to the database); the daily backup."""

import socket

from celery import shared_task
from flask import current_app

from coordapp.core import backup, services
from coordapp.core.tasklog import note


@shared_task(ignore_result=True)
def heartbeat(hostname: str | None = None) -> None:
    """Record that a worker is alive."""
    services.record_heartbeat(hostname or socket.gethostname())


@shared_task(ignore_result=True)
def daily_backup() -> None:
    """Write a backup archive into the backup folder and keep the newest BACKUP_KEEP."""
    try:
        archive = backup.create_backup(backup.backup_folder())
    except backup.BackupError as exc:
        note(
            error=f"BackupError: {exc}"
        )  # our own words (pg_dump missing, pg_dump's refusal): the operator acts on them
        raise
    pruned = backup.prune_backups(archive.parent, current_app.config["BACKUP_KEEP"])
    note(pruned=len(pruned))
