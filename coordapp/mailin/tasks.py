"""Celery task: process one received message (a thin wrapper around the service)."""

from celery import shared_task

from coordapp.extensions import db
from coordapp.mailin import services


@shared_task(ignore_result=True, acks_late=True)
def process_message(row_id: int) -> None:
    """Turn one stored inbound message into a reply, a counted auto-reply or quarantine, once."""
    services.process(row_id)
    db.session.commit()
