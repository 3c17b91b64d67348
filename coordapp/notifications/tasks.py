"""Celery tasks on the beat schedule: the daily digest of the inbox, and commitments coming due."""

from celery import shared_task

from coordapp.core.tasklog import note
from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.notifications import commitments, emails


@shared_task(ignore_result=True)
def send_daily_digests() -> None:
    """Write one digest row per "daily" user with new notifications; they are sent after the commit."""
    note(digests=len(emails.queue_daily_digests(utcnow())))
    db.session.commit()


@shared_task(ignore_result=True)
def notify_commitments_due() -> None:
    """Tell owners and authors about commitments due today or overdue (once each)."""
    note(notified=commitments.notify_due(utcnow()))
    db.session.commit()
