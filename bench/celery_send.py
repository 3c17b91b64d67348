"""Sending through real Celery workers: 1, 2 and 4 worker processes drain pending outbox rows.

Each worker count gets rows of its own (copies of the sweep's digests under new window keys), handed
over the way the sweep does it (``outbox.hand_over``: one ``send_batch`` task per batch), to a
``celery -A coordapp.worker worker --concurrency N`` process (the production entry point) on the
app's broker (Redis when REDIS_URL is set, else the filesystem transport) and a queue of its own.
The clock runs from the hand-over to the last row's end; a small warm-up round first waits for the
worker to consume. The SMTP server is the bench's local aiosmtpd (in the bench process). The rows'
window keys are no dates, so the caller deletes them afterwards (the planner reads sent digests' keys).
"""

import dataclasses
import os
import subprocess
import sys
import time
import uuid
from itertools import cycle, islice
from pathlib import Path

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
WORKER_COUNTS = (1, 2, 4)
DONE = ("sent", "failed", "cancelled")


def _copies(planned: list, count: int, label: str) -> list:
    """Return count deliveries cycling through planned, each under a window key of its own."""
    return [
        dataclasses.replace(p, window_key=f"{p.window_key[:40]}/{label}-{n}")
        for n, p in enumerate(islice(cycle(planned), count))
    ]


def _start_worker(app, smtp, queue: str, concurrency: int) -> subprocess.Popen:
    env = dict(
        os.environ,
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        COORDAPP_INSTANCE=app.instance_path,  # the same filesystem broker folder when there is no Redis
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp.port),
        BASE_URL=app.config["BASE_URL"],
        PYTHONPATH=str(ROOT),
    )
    command = [sys.executable, "-m", "celery", "-A", "coordapp.worker", "worker", "--pool=prefork"]
    command += [f"--concurrency={concurrency}", "-Q", queue, "--loglevel=WARNING"]
    command += ["--without-heartbeat", "--without-mingle", "--without-gossip"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, start_new_session=True)


def _delete_queue(celery, queue: str) -> None:
    """Delete the bench's queue and its bindings from the broker (a new name each run)."""
    with celery.connection_for_write() as conn:
        bound = celery.amqp.queues[queue](conn.default_channel)
        bound.declare()
        bound.delete()


def _drain(db, planned: list, count: int, label: str) -> tuple[int, float]:
    """Write count pending rows, hand them over, wait until none is left; return (sent, seconds)."""
    from coordapp.core.time import utcnow
    from coordapp.reminders import outbox
    from coordapp.reminders.models import ReminderDelivery

    ids = outbox.write(_copies(planned, count, label), utcnow())
    db.session.commit()
    started = time.perf_counter()
    outbox.hand_over(ids, utcnow())
    d = ReminderDelivery
    finished = select(func.count()).where(d.id.in_(ids), d.status.in_(DONE))
    deadline = time.monotonic() + 600
    while db.session.execute(finished).scalar() < len(ids) and time.monotonic() < deadline:
        db.session.rollback()
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    sent = db.session.execute(select(func.count()).where(d.id.in_(ids), d.status == "sent")).scalar()
    db.session.rollback()
    return sent, seconds


def measure(base_app, smtp, planned: list, count: int) -> dict:
    """Drain count rows with 1, 2 and 4 Celery worker processes; return emails/s for each."""
    from coordapp import create_app
    from coordapp.extensions import db

    if not planned or count <= 0:
        return {}
    queue = f"bench-reminders-{uuid.uuid4().hex[:8]}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": base_app.config["SQLALCHEMY_DATABASE_URI"],
            "BASE_URL": base_app.config["BASE_URL"],
            "CELERY": {**base_app.config["CELERY"], "task_default_queue": queue},
            **smtp.mail_config(),
        }
    )
    rates, sent_total = {}, 0
    with app.app_context():
        app.extensions["celery"].set_default()
        for workers in WORKER_COUNTS:
            worker = _start_worker(app, smtp, queue, workers)
            try:
                _drain(db, planned, workers, f"warm{workers}")  # the worker is up and consuming before the clock
                sent, seconds = _drain(db, planned, count, f"celery{workers}")
            finally:
                worker.terminate()
                worker.wait(60)
            sent_total += sent
            rates[str(workers)] = round(sent / seconds, 1) if seconds > 0 else None
        db.session.remove()
        _delete_queue(app.extensions["celery"], queue)
    return {"celery_emails_per_count": count, "celery_sent": sent_total, "celery_send_per_second": rates}
