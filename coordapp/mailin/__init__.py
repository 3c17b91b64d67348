"""Inbound email: replies by mail (SMTP/LMTP intake, IMAP fetch), parsing, auto-replies, bounces, quarantine."""

from datetime import timedelta

from flask import Blueprint, Flask

bp = Blueprint("mailin", __name__, url_prefix="/mail-in")
FETCH_TASK = "coordapp.mailin.tasks.fetch_mailbox"


def schedule_fetch(app: Flask) -> None:
    """Put the IMAP fetch on the beat schedule, every MAILIN_IMAP_INTERVAL seconds, when MAILIN_IMAP_URL is set."""
    if not app.config.get("MAILIN_IMAP_URL"):
        return
    conf = app.extensions["celery"].conf
    every = timedelta(seconds=max(int(app.config.get("MAILIN_IMAP_INTERVAL") or 60), 1))
    # A new dict: the schedule the Celery app started from is shared by every app of the process.
    conf.beat_schedule = {**conf.beat_schedule, "mailin-fetch": {"task": FETCH_TASK, "schedule": every}}


def init_app(app: Flask) -> None:
    """Register the blueprint and the `mail-in` CLI group; load the models and tasks; schedule the IMAP fetch."""
    from coordapp.mailin import attachments, models, tasks, views  # noqa: F401
    from coordapp.mailin.cli import mailin_cli

    app.register_blueprint(bp)
    app.cli.add_command(mailin_cli)
    # The issue page shows, with each entry that came by email, its files, refusals and a foreign sender.
    app.add_template_global(attachments.by_email, "email_replies")
    app.add_template_global(attachments.refusal_text, "mail_refusal")
    app.add_template_global(attachments.files_by_entry, "reply_files")  # the reply link's page
    schedule_fetch(app)
