"""Celery tasks: thin wrappers around the sweep and the outbox."""

from smtplib import SMTPException

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval

from coordapp.core.tasklog import note
from coordapp.reminders import batch as batches
from coordapp.reminders import outbox
from coordapp.reminders import sweep as sweeps

MAX_RETRIES = 6
# Redis redelivers an unacknowledged message after its visibility timeout (1 h by default):
# no retry countdown may come near it, or the retry would be delivered twice.
RETRY_BACKOFF_MAX = 600
# Both sending tasks: acknowledged once done (a killed worker's message is delivered again), retried with backoff.
SENDING = {
    "bind": True,
    "ignore_result": True,
    "acks_late": True,
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": True,
    "retry_backoff_max": RETRY_BACKOFF_MAX,
    "max_retries": MAX_RETRIES,
}
COUNTED = ("sent", "pending", "failed", "cancelled", "skipped")  # the statuses a batch's line counts


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


@shared_task(**SENDING)
def send_delivery(self, delivery_id: int) -> None:
    """Send one reminder delivery, if nobody else has claimed it (its line: delivery_id, attempt, outcome).

    Nothing enqueues it any more (the outbox hands rows over in batches, send_batch); it stays for the
    messages a broker still holds from before.
    """
    note(attempt=self.request.retries + 1)
    note(outcome=outbox.send(delivery_id, last_try=self.request.retries >= self.max_retries))


@shared_task(**SENDING)
def send_batch(self, delivery_ids: list[int]) -> None:
    """Send a batch of deliveries over one connection, one commit; retry only the rows refused for now.

    Its line: delivery_ids, attempt, and how many were sent, pending again, failed, cancelled or skipped.
    """
    note(attempt=self.request.retries + 1)
    outcomes = batches.send_batch(delivery_ids, last_try=self.request.retries >= self.max_retries)
    note(**{status: outcomes[status] for status in COUNTED})
    if outcomes.retry_ids:  # the same backoff as autoretry; the rows already sent are not in the retry
        countdown = get_exponential_backoff_interval(1, self.request.retries, RETRY_BACKOFF_MAX, full_jitter=True)
        raise self.retry(args=[outcomes.retry_ids], exc=outcomes.error, countdown=countdown)
