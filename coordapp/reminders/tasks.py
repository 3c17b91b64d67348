"""Celery tasks: thin wrappers around the sweep and the outbox."""

from smtplib import SMTPException

from celery import shared_task

from coordapp.core.tasklog import note
from coordapp.reminders import outbox
from coordapp.reminders import sweep as sweeps

MAX_RETRIES = 6
# Redis redelivers an unacknowledged message after its visibility timeout (1 h by default):
# no retry countdown may come near it, or the retry would be delivered twice.
RETRY_BACKOFF_MAX = 600


@shared_task(ignore_result=True)
def sweep() -> None:
    """Plan due reminders, write them to the outbox and hand them to the workers."""
    result = sweeps.run_sweep()
    note(
        planned=len(result.planned),
        created=len(result.created),
        requeued=len(result.requeued),
        handed_over=result.handed_over,
        delivery_ids=result.created + result.requeued,
    )


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
    """Send one reminder delivery, if nobody else has claimed it (its line: delivery_id, attempt, outcome)."""
    note(attempt=self.request.retries + 1)
    note(outcome=outbox.send(delivery_id, last_try=self.request.retries >= self.max_retries))
