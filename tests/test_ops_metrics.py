"""/metrics: Prometheus text for the token's bearer or a loopback caller; it moves when requests and sweeps run."""

import re
import threading
from datetime import timedelta
from pathlib import Path

import yaml
from prometheus_client.parser import text_string_to_metric_families

from coordapp.core.models import OpsGauge
from coordapp.core.services import record_gauge
from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.mailin import quarantine, services
from coordapp.reminders.sweep import run_sweep
from tests import factories
from tests.test_mailin_intake import DOMAIN, deliver, fixture, linked

ALERTS = Path(__file__).resolve().parent.parent / "deploy" / "prometheus-alerts.yml"
TOKEN = "s3cret-metrics-token"
OUTSIDE = {"REMOTE_ADDR": "203.0.113.7"}


def _samples(response) -> dict:
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def test_metrics_parse_and_show_outbox_worker_and_requests(app, client):
    factories.make_delivery(created_dt=utcnow() - timedelta(minutes=30))
    factories.make_delivery(status="failed")
    db.session.commit()
    client.get("/healthz")
    samples = _samples(client.get("/metrics"))
    assert samples[("coordapp_outbox_rows", (("status", "pending"),))] == 1
    assert samples[("coordapp_outbox_rows", (("status", "failed"),))] == 1
    assert 29 * 60 < samples[("coordapp_outbox_oldest_pending_age_seconds", ())] < 31 * 60
    assert samples[("coordapp_worker_heartbeat_age_seconds", ())] == float("inf")
    assert samples[("coordapp_backup_age_seconds", ())] == float("inf")
    key = ("coordapp_http_requests_total", (("method", "GET"), ("route", "/healthz"), ("status", "200")))
    assert samples[key] == 1


def test_metrics_move_when_a_sweep_runs(app, client):
    before = _samples(client.get("/metrics"))
    assert before[("coordapp_sweep_age_seconds", ())] == float("inf")
    run_sweep(send=lambda ids: len(ids))
    after = _samples(client.get("/metrics"))
    assert after[("coordapp_sweep_age_seconds", ())] < 60
    assert after[("coordapp_sweep_duration_seconds", ())] > 0


def test_two_processes_recording_the_same_gauge_at_once_both_succeed(app):
    """Fault: two sweeps finish together and both store their duration (CI once saw a duplicate key).

    Each round races on a gauge not stored yet (both threads find no row), then on one that is.
    """
    rounds, errors, barrier = 30, [], threading.Barrier(2)

    def record(value):
        with app.app_context():
            try:
                for round_ in range(rounds):
                    barrier.wait()
                    record_gauge(f"race_{round_ // 2}", value)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                barrier.abort()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=record, args=(value,)) for value in (1.5, 2.5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    stored = db.session.execute(db.select(OpsGauge.name, OpsGauge.value)).all()
    assert len(stored) == rounds // 2 and {value for _, value in stored} <= {1.5, 2.5}


# The issue's list: requests and latency per route, outbox by status and oldest pending, sweep,
# worker heartbeat, backup, mail-in.
ISSUE_FIGURES = {
    "coordapp_http_requests_total",
    "coordapp_http_request_duration_seconds_count",
    "coordapp_http_request_duration_seconds_bucket",
    "coordapp_outbox_rows",
    "coordapp_outbox_oldest_pending_age_seconds",
    "coordapp_sweep_duration_seconds",
    "coordapp_worker_heartbeat_age_seconds",
    "coordapp_backup_age_seconds",
    "coordapp_mailin_messages_processed_total",
    "coordapp_mailin_replies_recorded_total",
    "coordapp_mailin_auto_replies_total",
    "coordapp_mailin_bounces_total",
    "coordapp_mailin_quarantined_total",
    "coordapp_mailin_messages",
}


def test_metrics_serve_every_figure_the_issue_lists(app, client):
    client.get("/healthz")
    served = {name for name, _ in _samples(client.get("/metrics"))}
    assert served >= ISSUE_FIGURES, sorted(ISSUE_FIGURES - served)


def _mailin(samples: dict) -> dict:
    quarantined = {state: samples[("coordapp_mailin_quarantined_total", (("state", state),))] for state in QUARANTINE}
    return {
        "processed": samples[("coordapp_mailin_messages_processed_total", ())],
        "recorded": samples[("coordapp_mailin_replies_recorded_total", ())],
        "auto_reply": samples[("coordapp_mailin_auto_replies_total", ())],
        "bounce": samples[("coordapp_mailin_bounces_total", ())],
        "waiting": samples[("coordapp_mailin_messages", (("status", "received"),))],
        **quarantined,
    }


QUARANTINE = ("held", "assigned", "discarded")


def test_mailin_counters_move_when_messages_are_processed(app, client):
    app.config["MAIL_REPLY_DOMAIN"] = DOMAIN
    token, _, issues = linked(n=1)
    assert set(_mailin(_samples(client.get("/metrics"))).values()) == {0}
    deliver(fixture("gmail_id.eml", token))
    deliver(fixture("autoreply_id.eml", token))
    deliver(fixture("bounce_dsn.eml"))
    held = deliver(fixture("gmail_en.eml", "A" * 43))  # a token nobody issued
    dropped = deliver(fixture("outlook_en.eml", "B" * 43))
    services.store(fixture("thunderbird_id.eml", token), [])  # received, the worker has not run yet
    db.session.commit()
    after = _mailin(_samples(client.get("/metrics")))
    assert after == {
        "processed": 5,
        "recorded": 1,
        "auto_reply": 1,
        "bounce": 1,
        "waiting": 1,
        "held": 2,
        "assigned": 0,
        "discarded": 0,
    }
    quarantine.discard(dropped)
    quarantine.assign(held, issues[0], factories.make_user("staff"))
    db.session.commit()
    moved = _mailin(_samples(client.get("/metrics")))
    assert (moved["held"], moved["assigned"], moved["discarded"], moved["processed"]) == (0, 1, 1, 5)


def test_metrics_refused_from_outside_without_the_token(app, client):
    response = client.get("/metrics", environ_base=OUTSIDE)
    assert response.status_code == 403
    assert "coordapp_outbox_rows" not in response.get_data(as_text=True)


def test_metrics_need_the_token_once_it_is_set(app, client):
    app.config["METRICS_TOKEN"] = TOKEN
    assert client.get("/metrics").status_code == 403  # loopback is not enough any more
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    response = client.get("/metrics", environ_base=OUTSIDE, headers={"Authorization": f"Bearer {TOKEN}"})
    assert "coordapp_outbox_rows" in response.get_data(as_text=True)


def test_the_alert_rules_name_only_figures_metrics_serves(app, client):
    rules = yaml.safe_load(ALERTS.read_text())["groups"][0]["rules"]
    assert {rule["alert"] for rule in rules} >= {
        "CoordAppWorkerSilent",
        "CoordAppOutboxBacklogGrowing",
        "CoordAppDeliveriesFailing",
        "CoordAppNoRecentBackup",
    }
    served = {name for name, _ in _samples(client.get("/metrics"))}
    named = {name for rule in rules for name in re.findall(r"\bcoordapp_[a-z_]+", rule["expr"])}
    assert named and named <= served
