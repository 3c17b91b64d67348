"""/healthz: JSON with the database, broker and worker state; 503 when the database is gone."""

import os
from datetime import timedelta

from coordapp.core.models import WorkerHeartbeat
from coordapp.core.time import utcnow
from coordapp.extensions import db

UNREACHABLE_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:1/x"


def test_healthz_answers_json_with_database_and_broker_state(client):
    db.session.add(WorkerHeartbeat(hostname="worker-1", seen_dt=utcnow() - timedelta(seconds=30)))
    db.session.commit()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.is_json
    report = response.get_json()
    assert report["status"] == "ok" and report["failing"] == []
    assert report["database"]["ok"] is True
    assert report["database"]["engine"] == ("postgresql" if os.environ.get("DATABASE_URL") else "sqlite")
    assert report["broker"]["ok"] is True
    assert ("redis" if os.environ.get("REDIS_URL") else "filesystem") in report["broker"]["transport"].lower()
    assert report["worker"]["recent"] is True


def test_healthz_is_degraded_when_no_worker_ever_ran(client):
    report = client.get("/healthz").get_json()
    assert report["worker"] == {"last_seen": None, "recent": False}
    assert report["status"] == "degraded" and report["failing"] == ["worker"]


def test_healthz_reports_a_recent_worker(client):
    db.session.add(WorkerHeartbeat(hostname="worker-1", seen_dt=utcnow() - timedelta(minutes=1)))
    db.session.add(WorkerHeartbeat(hostname="worker-2", seen_dt=utcnow() - timedelta(hours=3)))
    db.session.commit()
    worker = client.get("/healthz").get_json()["worker"]
    assert worker["recent"] is True and worker["last_seen"].endswith("+00:00")


def test_healthz_reports_a_worker_gone_quiet(client):
    db.session.add(WorkerHeartbeat(hostname="worker-1", seen_dt=utcnow() - timedelta(hours=3)))
    db.session.commit()
    response = client.get("/healthz")
    report = response.get_json()
    assert report["worker"]["recent"] is False and report["worker"]["last_seen"]
    assert response.status_code == 200  # a quiet worker does not take the web down ...
    assert report["status"] == "degraded" and report["failing"] == ["worker"]  # ... but nobody is told "ok"


def test_healthz_with_a_worker_stopped_for_six_minutes(client):
    db.session.add(WorkerHeartbeat(hostname="worker-1", seen_dt=utcnow() - timedelta(minutes=6)))
    db.session.commit()
    report = client.get("/healthz").get_json()
    assert report["status"] == "degraded" and report["failing"] == ["worker"]


def test_health_command_fails_when_the_required_worker_is_stale(app, runner):
    db.session.add(WorkerHeartbeat(hostname="worker-1", seen_dt=utcnow() - timedelta(minutes=6)))
    db.session.commit()
    assert runner.invoke(args=["health"]).exit_code == 0  # degraded, but nothing required
    result = runner.invoke(args=["health", "--require", "worker"])
    assert result.exit_code == 1 and '"degraded"' in result.output
    db.session.add(WorkerHeartbeat(hostname="worker-2", seen_dt=utcnow()))
    db.session.commit()
    assert runner.invoke(args=["health", "--require", "worker"]).exit_code == 0


def test_healthz_is_503_when_the_database_does_not_answer(make_app):
    client = make_app(SQLALCHEMY_DATABASE_URI=UNREACHABLE_DATABASE).test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    report = response.get_json()
    assert report["status"] == "error"
    assert report["database"]["ok"] is False
    assert report["broker"]["ok"] is True  # the broker is still checked and reported
    body = response.get_data(as_text=True)
    assert "127.0.0.1:1" not in body and "postgres@" not in body  # no connection details on a public page


def test_healthz_reports_a_broker_that_does_not_answer(make_app, app):
    celery = {**app.config["CELERY"], "broker_url": "redis://127.0.0.1:1/0"}
    client = make_app(CELERY=celery).test_client()
    response = client.get("/healthz")
    assert response.status_code == 200  # the web still serves pages; the broker's state is reported
    report = response.get_json()
    assert report["broker"]["ok"] is False and report["database"]["ok"] is True
    assert report["status"] == "degraded" and "broker" in report["failing"]
    assert "127.0.0.1:1" not in response.get_data(as_text=True)


def test_healthz_sets_no_cookie_and_needs_no_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
