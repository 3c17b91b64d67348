"""Celery tasks of the auth feature: thin wrappers around its services."""

from smtplib import SMTPException

from celery import shared_task

from coordapp.auth import mail
from coordapp.core.tasklog import error_label, note


@shared_task(ignore_result=True)
def send_account_email(email_id: int) -> None:
    """Send one account email (invitation, reset link, notice), if it is still pending."""
    try:
        note(outcome=mail.send(email_id))
    except (SMTPException, OSError) as exc:  # recorded as failed on the row; the user can ask again (a new link)
        note(outcome="failed", error=error_label(exc))


@shared_task(ignore_result=True)
def send_waiting_account_emails() -> None:
    """Send account emails the broker never delivered (beat, every few minutes)."""
    note(sent=mail.send_pending())
