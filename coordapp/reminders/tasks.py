"""Celery tasks: thin wrappers around the sweep and the outbox."""

import logging
from smtplib import SMTPException

from celery import shared_task

from coordapp.reminders import outbox
from coordapp.reminders import sweep as sweeps

log = logging.getLogger(__name__)
MAX_RETRIES = 6
# Redis redelivers an unacknowledged message after its visibility timeout (1 h by default):
# no retry countdown may come near it, or the retry would be delivered twice.
RETRY_BACKOFF_MAX = 600


@shared_task(ignore_result=True)
def sweep() -> None:
    """Plan due reminders, write them to the outbox and hand them to the workers."""
    sweeps.run_sweep()


@shared_task(
    bind=True,
    ignore_result=True,
    acks_late=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    max_retries=MAX_RETRIES,
)
def send_delivery(self, delivery_id: int) -> None:
    """Send one reminder delivery, if nobody else has claimed it."""
    try:
        status = outbox.send(delivery_id, last_try=self.request.retries >= self.max_retries)
    except Exception as exc:
        log.warning(
            "task=send_delivery task_id=%s delivery_id=%s outcome=retry error=%s",
            self.request.id,
            delivery_id,
            type(exc).__name__,
        )
        raise
    log.info("task=send_delivery task_id=%s delivery_id=%s outcome=%s", self.request.id, delivery_id, status)
