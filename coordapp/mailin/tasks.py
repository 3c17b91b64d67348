"""Celery task: process one received message (a thin wrapper around the service)."""

from datetime import timedelta

from celery import shared_task
from flask import current_app

from coordapp.core.tasklog import note
from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.mailin import imap, services


@shared_task(ignore_result=True, acks_late=True)
def process_message(row_id: int) -> None:
    """Turn one stored inbound message into a reply, a counted auto-reply or quarantine, once."""
    note(outcome=services.process(row_id))
    db.session.commit()


@shared_task(ignore_result=True)
def resume_waiting() -> None:
    """Process messages whose task was lost (broker down at intake, worker died), once they waited 5 minutes."""
    row_ids = services.waiting_since(timedelta(minutes=5), utcnow())
    for row_id in row_ids:
        services.process(row_id)
        db.session.commit()
    note(resumed=len(row_ids))


@shared_task(ignore_result=True)
def fetch_mailbox() -> None:
    """Store the unseen messages of the MAILIN_IMAP_URL mailbox (on the beat schedule when it is set)."""
    url = current_app.config.get("MAILIN_IMAP_URL")
    if url:
        result = imap.fetch(url)
        note(stored=result.stored, too_large=result.too_large, failed=result.failed)
