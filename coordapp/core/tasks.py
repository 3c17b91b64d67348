"""Worker heartbeat (proves a worker consumes the queue and can write to the database); the daily backup."""

import logging
import socket

from celery import shared_task
from flask import current_app

from coordapp.core import backup, services

log = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def heartbeat(hostname: str | None = None) -> None:
    """Record that a worker is alive."""
    services.record_heartbeat(hostname or socket.gethostname())


@shared_task(bind=True, ignore_result=True)
def daily_backup(self) -> None:
    """Write a backup archive into the backup folder and keep the newest BACKUP_KEEP."""
    try:
        archive = backup.create_backup(backup.backup_folder())
    except backup.BackupError as exc:
        log.error("task=daily_backup task_id=%s outcome=failed error=%s", self.request.id, exc)
        raise
    pruned = backup.prune_backups(archive.parent, current_app.config["BACKUP_KEEP"])
    log.info("task=daily_backup task_id=%s outcome=ok archive=%s pruned=%d", self.request.id, archive.name, len(pruned))
