"""Worker heartbeat: proves a worker is consuming the queue and can write to the database."""

import socket

from celery import shared_task

from coordapp.core import services


@shared_task(ignore_result=True)
def heartbeat(hostname: str | None = None) -> None:
    """Record that a worker is alive."""
    services.record_heartbeat(hostname or socket.gethostname())
