"""Celery wired to Flask (the Flask docs pattern): tasks run inside the app context, each logs one line."""

from datetime import timedelta

from celery import Celery, Task
from celery.schedules import crontab
from celery.signals import after_setup_logger, after_setup_task_logger
from flask import Flask

from coordapp.core.logredact import redact_handlers
from coordapp.core.tasklog import run_logged

BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "coordapp.core.tasks.heartbeat", "schedule": timedelta(minutes=1)},
    "reminders-sweep": {"task": "coordapp.reminders.tasks.sweep", "schedule": timedelta(minutes=5)},
    "account-emails": {"task": "coordapp.auth.tasks.send_waiting_account_emails", "schedule": timedelta(minutes=5)},
    "mailin-resume": {"task": "coordapp.mailin.tasks.resume_waiting", "schedule": timedelta(minutes=5)},
    # 06:30 and 07:00 in Jakarta: commitments due today reach the inbox before the morning's digest.
    "commitments-due": {
        "task": "coordapp.notifications.tasks.notify_commitments_due",
        "schedule": crontab(hour=23, minute=30),
    },
    "inbox-daily-digest": {
        "task": "coordapp.notifications.tasks.send_daily_digests",
        "schedule": crontab(hour=0, minute=0),
    },
    # 02:00 in Jakarta (the schedule's clock is UTC): the quietest hour of an election day.
    "daily-backup": {"task": "coordapp.core.tasks.daily_backup", "schedule": crontab(hour=19, minute=0)},
}


@after_setup_logger.connect
@after_setup_task_logger.connect
def _redact_worker_logs(logger=None, **kwargs) -> None:
    """The worker's and beat's log handlers mask email addresses (Celery logs a failed task's exception text)."""
    redact_handlers(logger)


def celery_init_app(app: Flask) -> Celery:
    """Create the Celery app for this Flask app and keep it in app.extensions['celery']."""

    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return run_logged(self, args, kwargs)  # one line per run: task id, ids, outcome

    celery = Celery(app.name, task_cls=FlaskTask)
    celery.config_from_object({"beat_schedule": BEAT_SCHEDULE, **app.config["CELERY"]})
    celery.set_default()
    app.extensions["celery"] = celery
    return celery
