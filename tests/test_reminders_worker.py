"""A real Celery worker sends the outbox; faults: SMTP refusals, broker down, worker killed mid-batch.

The broker is Celery's filesystem transport locally and Redis when REDIS_URL is set (CI):
there a dead Redis fails these tests instead of skipping them.
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from celery.contrib.testing.worker import start_worker

from coordapp.extensions import db
from coordapp.reminders import outbox, sweep
from coordapp.reminders.models import ReminderDelivery
from tests import factories

pytestmark = pytest.mark.worker
MONDAY_9 = datetime(2020, 10, 5, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
ROOT = Path(__file__).resolve().parent.parent


def due_contacts(n: int) -> list:
    election = factories.make_election(with_stages=False, name="Pilkada Kota Tangerang Selatan 2020")
    contacts = []
    for i in range(n):
        contact = factories.make_contact(email=f"penghubung{i:03d}@example.org")
        issue = factories.make_issue(election, due_date=date(2020, 10, 1))
        issue.contacts.append(contact)
        contacts.append(contact)
    db.session.commit()
    return contacts


def statuses() -> Counter:
    db.session.expire_all()
    return Counter(db.session.execute(db.select(ReminderDelivery.status)).scalars())


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def purge(celery) -> None:
    """Drop messages other tests left on the shared queue."""
    celery.control.purge()


def exactly_one_each(smtp_server, contacts) -> Counter:
    per_recipient = Counter(m.rcpt_tos[0] for m in smtp_server.messages)
    assert {c.email for c in contacts} == set(per_recipient)
    return per_recipient


def test_worker_sends_the_sweeps_deliveries_through_the_broker(smtp_app, smtp_server):
    celery = smtp_app.extensions["celery"]
    purge(celery)
    contacts = due_contacts(5)
    with start_worker(celery, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30):
        result = sweep.run_sweep(MONDAY_9)
        assert result.handed_over == 5
        assert wait_until(lambda: statuses()["sent"] == 5, 60), statuses()
    assert set(exactly_one_each(smtp_server, contacts).values()) == {1}


def test_smtp_refusing_with_421_and_451_for_a_while_delivers_once_after_recovery(smtp_app, smtp_server):
    """Fault: the SMTP server answers 421/451 to the first 6 messages. Figure: 4 recipients, 4 emails, 10 attempts."""
    celery = smtp_app.extensions["celery"]
    purge(celery)
    contacts = due_contacts(4)
    smtp_server.handler.fail_next(6, "421 4.7.0 Service not available, try again", "451 4.3.0 Local error")
    with start_worker(celery, pool="solo", perform_ping_check=False, loglevel="ERROR", shutdown_timeout=30):
        sweep.run_sweep(MONDAY_9)
        assert wait_until(lambda: statuses()["sent"] == 4, 120), statuses()
    assert set(exactly_one_each(smtp_server, contacts).values()) == {1}
    attempts = db.session.execute(db.select(db.func.sum(ReminderDelivery.attempts))).scalar()
    assert smtp_server.handler.refusals == 6 and attempts == 4 + 6


def test_broker_down_during_a_sweep_loses_nothing_and_sends_after_it_returns(smtp_app, smtp_server, database_url):
    """Fault: the broker is unreachable during the sweep. Figure: 6 rows kept pending, 6 emails after it returns."""
    from tests.conftest import _make_app

    contacts = due_contacts(6)
    down = _make_app(
        database_url,
        CELERY={
            **smtp_app.config["CELERY"],
            "broker_url": "redis://127.0.0.1:1/0",
            "broker_transport_options": {},
            "broker_connection_retry": False,
            "broker_connection_max_retries": 1,
        },
        **smtp_server.mail_config(),
    )
    with down.app_context():
        down.extensions["celery"].conf.task_publish_retry_policy = {
            "max_retries": 1,
            "interval_start": 0,
            "interval_step": 0.1,
            "interval_max": 0.1,
        }
        result = sweep.run_sweep(MONDAY_9)
        assert len(result.created) == 6 and result.handed_over == 0
        db.session.remove()
    smtp_app.extensions["celery"].set_default()
    assert statuses() == Counter({"pending": 6})
    celery = smtp_app.extensions["celery"]
    purge(celery)
    with start_worker(celery, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30):
        again = sweep.run_sweep(MONDAY_9)  # the next beat: nothing new, the 6 stale rows handed over
        assert again.created == [] and len(again.requeued) == 6
        assert wait_until(lambda: statuses()["sent"] == 6, 60), statuses()
    assert set(exactly_one_each(smtp_server, contacts).values()) == {1}


def _worker_process(database_url: str, smtp_port: int, queue: str) -> subprocess.Popen:
    env = dict(
        os.environ,
        REMINDERS_TEST_DATABASE_URL=database_url,
        REMINDERS_TEST_SMTP_PORT=str(smtp_port),
        REMINDER_LEASE_SECONDS="3",
        PYTHONPATH=str(ROOT),
    )
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tests.reminders_worker_app",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def test_worker_killed_mid_batch_of_100_and_restarted_every_recipient_gets_one(smtp_app, smtp_server, database_url):
    """Fault: SIGKILL of a real `celery worker` process while it sends 100 digests.

    Figure: 100 recipients -> 100 distinct emails, each with one Message-ID. A task sends a batch
    and commits once at its end: the emails of the batch the kill cut short were accepted by the
    server but never recorded, so they are sent again, with the same Message-ID. The solo worker
    has one batch in flight, so at most one batch is sent twice: at most 100 + batch size messages.
    """
    smtp_app.config.update(REMINDER_LEASE_SECONDS=3, REMINDER_REQUEUE_SECONDS=2)
    celery = smtp_app.extensions["celery"]
    purge(celery)
    contacts = due_contacts(100)
    smtp_server.handler.delay = 0.04
    assert sweep.run_sweep(MONDAY_9).handed_over == 100
    worker = _worker_process(database_url, smtp_server.port, celery.conf.task_default_queue)
    try:
        assert wait_until(lambda: len(smtp_server.messages) >= 30, 120), "worker never got going"
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
        killed_at = len(smtp_server.messages)
        assert killed_at < 100, "the batch finished before the kill"
        time.sleep(3.5)  # the dead worker's lease runs out
        sweep.run_sweep(MONDAY_9)  # the next beat hands over what the dead worker held or never got to
        worker = _worker_process(database_url, smtp_server.port, celery.conf.task_default_queue)
        assert wait_until(lambda: statuses()["sent"] == 100, 180), statuses()
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(30)
    per_recipient = exactly_one_each(smtp_server, contacts)
    message_ids = {}
    for message in smtp_server.messages:
        message_ids.setdefault(message.rcpt_tos[0], set()).add(message.message["Message-ID"])
    assert all(len(ids) == 1 for ids in message_ids.values())
    assert sum(per_recipient.values()) <= 100 + outbox.batch_size()
    print(
        f"killed after {killed_at} of 100; received {sum(per_recipient.values())} messages, "
        f"{len(message_ids)} distinct recipients, all sent: {statuses()}"
    )
