"""Celery tasks of the auth feature: thin wrappers around its services."""

from contextlib import suppress
from smtplib import SMTPException

from celery import shared_task

from coordapp.auth import mail


@shared_task(ignore_result=True)
def send_account_email(email_id: int) -> None:
    """Send one account email (invitation, reset link, notice), if it is still pending."""
    with suppress(SMTPException, OSError):  # recorded as failed on the row; the user can ask again (a new link)
        mail.send(email_id)


@shared_task(ignore_result=True)
def send_waiting_account_emails() -> None:
    """Send account emails the broker never delivered (beat, every few minutes)."""
    mail.send_pending()
