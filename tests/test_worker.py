"""A real Celery worker consumes the app's broker and writes to the database.

Locally the broker is the embedded filesystem transport in the test instance folder; in CI
(REDIS_URL set) it is Redis, and a Redis that does not answer is a failure, not a skip.
"""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker

from coordapp.core.models import WorkerHeartbeat
from coordapp.core.tasks import heartbeat
from coordapp.extensions import db
from tests.conftest import TEST_QUEUE, delete_test_queue

pytestmark = pytest.mark.worker


def _broker_answers(celery) -> None:
    try:
        with celery.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=5)
    except Exception as exc:  # noqa: BLE001 - any failure to reach the broker fails the test
        pytest.fail(f"broker {celery.conf.broker_url} does not answer: {exc!r}")


def _heartbeat_of(hostname: str) -> WorkerHeartbeat | None:
    db.session.rollback()  # a fresh snapshot: the worker commits in its own session
    return db.session.execute(db.select(WorkerHeartbeat).filter_by(hostname=hostname)).scalar_one_or_none()


@pytest.fixture
def celery(app):
    celery = app.extensions["celery"]
    celery.conf.worker_enable_remote_control = False  # no pidbox queues left behind in a shared Redis
    _broker_answers(celery)
    delete_test_queue(celery)  # messages other tests enqueued are not this worker's to run
    yield celery
    delete_test_queue(celery)


def test_the_broker_is_the_configured_one(celery):
    if os.environ.get("REDIS_URL"):
        assert celery.conf.broker_url == os.environ["REDIS_URL"]
    else:
        assert celery.conf.broker_url == "filesystem://"
        assert celery.conf.broker_transport_options["data_folder_in"].startswith(os.environ["COORDAPP_INSTANCE"])
    assert celery.conf.task_default_queue == TEST_QUEUE


def test_a_real_worker_runs_the_heartbeat_task_and_writes_to_the_database(celery):
    assert _heartbeat_of("worker-under-test") is None
    with start_worker(celery, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"):
        celery.tasks[heartbeat.name].delay("worker-under-test")
        deadline = time.monotonic() + 20
        row = _heartbeat_of("worker-under-test")
        while row is None and time.monotonic() < deadline:
            time.sleep(0.2)
            row = _heartbeat_of("worker-under-test")
    assert row is not None, "the worker did not run the task within 20 s"
    assert row.seen_dt.tzinfo is not None


def test_the_heartbeat_task_updates_its_row_instead_of_adding_one(celery):
    with start_worker(celery, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"):
        task = celery.tasks[heartbeat.name]
        task.delay("twice")
        deadline = time.monotonic() + 20
        while _heartbeat_of("twice") is None and time.monotonic() < deadline:
            time.sleep(0.2)
        first = _heartbeat_of("twice").seen_dt
        task.delay("twice")
        while _heartbeat_of("twice").seen_dt == first and time.monotonic() < deadline + 20:
            time.sleep(0.2)
    rows = db.session.execute(db.select(WorkerHeartbeat).filter_by(hostname="twice")).scalars().all()
    assert len(rows) == 1 and rows[0].seen_dt > first
