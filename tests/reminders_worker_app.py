"""Celery app for the `celery worker` subprocess of the reminders fault tests.

Target of `celery -A tests.reminders_worker_app worker`: the database, SMTP port and
short lease times come from the environment the test gives it.
"""

import os

from coordapp import create_app

flask_app = create_app(
    {
        "SQLALCHEMY_DATABASE_URI": os.environ["REMINDERS_TEST_DATABASE_URL"],
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": int(os.environ["REMINDERS_TEST_SMTP_PORT"]),
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "BASE_URL": "https://coord.example.org",
        "REMINDER_LEASE_SECONDS": int(os.environ.get("REMINDER_LEASE_SECONDS", "3")),
    },
    testing=True,
)
celery_app = flask_app.extensions["celery"]
