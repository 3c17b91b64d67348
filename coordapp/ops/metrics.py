"""Prometheus figures: requests per route (counted in this process) and the system's state (read at scrape time).

Request counts are per process: with several gunicorn workers, each scrape sees the one that
answered (Prometheus sums across scrapes by rate()). Outbox, worker, sweep, mail-in and backup
figures come from the database and the backup folder, so every process reports the same.
"""

import time

from flask import Flask, current_app, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func

from coordapp.core.backup import backup_folder, list_backups
from coordapp.core.models import OpsGauge, WorkerHeartbeat
from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.ops.mailin_metrics import collect_mailin
from coordapp.reminders.models import DELIVERY_STATUSES, ReminderDelivery


class StateCollector:
    """Figures read from the database and the backup folder when /metrics is scraped."""

    def __init__(self, app: Flask):
        self.app = app

    def collect(self):
        """Yield the outbox, worker, sweep, backup and mail-in figures."""
        now = utcnow()
        rows = dict(
            db.session.execute(db.select(ReminderDelivery.status, func.count()).group_by(ReminderDelivery.status)).all()
        )
        outbox = GaugeMetricFamily("coordapp_outbox_rows", "Outbox rows by status.", labels=["status"])
        for status in DELIVERY_STATUSES:
            outbox.add_metric([status], rows.get(status, 0))
        yield outbox
        oldest = db.session.execute(
            db.select(ReminderDelivery.created_dt)
            .where(ReminderDelivery.status == "pending")
            .order_by(ReminderDelivery.created_dt)
            .limit(1)
        ).scalar()
        yield GaugeMetricFamily(
            "coordapp_outbox_oldest_pending_age_seconds",
            "Age of the oldest pending outbox row (0 when none is pending).",
            value=(now - oldest).total_seconds() if oldest else 0,
        )
        seen = db.session.execute(
            db.select(WorkerHeartbeat.seen_dt).order_by(WorkerHeartbeat.seen_dt.desc()).limit(1)
        ).scalar()
        yield GaugeMetricFamily(
            "coordapp_worker_heartbeat_age_seconds",
            "Seconds since a worker last ran the heartbeat task (+Inf when none ever did).",
            value=(now - seen).total_seconds() if seen else float("inf"),
        )
        sweep = db.session.get(OpsGauge, "sweep_duration_seconds")
        yield GaugeMetricFamily(
            "coordapp_sweep_duration_seconds", "Duration of the last reminder sweep.", value=sweep.value if sweep else 0
        )
        yield GaugeMetricFamily(
            "coordapp_sweep_age_seconds",
            "Seconds since the last reminder sweep ended (+Inf when none did).",
            value=(now - sweep.updated_dt).total_seconds() if sweep else float("inf"),
        )
        newest = list_backups(backup_folder())
        yield GaugeMetricFamily(
            "coordapp_backup_age_seconds",
            "Seconds since the newest backup archive was written (+Inf when there is none).",
            value=time.time() - newest[0].stat().st_mtime if newest else float("inf"),
        )
        yield from collect_mailin()
        db.session.rollback()


def _start() -> None:
    g.metrics_started = time.perf_counter()


def _observe(response):
    started = g.pop("metrics_started", None)
    if started is not None:
        route = request.url_rule.rule if request.url_rule else "unmatched"
        registry = current_app.extensions["metrics"]
        registry["requests"].labels(request.method, route, str(response.status_code)).inc()
        registry["latency"].labels(request.method, route).observe(time.perf_counter() - started)
    return response


def init_app(app: Flask) -> None:
    """Give the app its own registry (tests build many apps) and measure every request."""
    registry = CollectorRegistry()
    app.extensions["metrics"] = {
        "registry": registry,
        "requests": Counter(
            "coordapp_http_requests",
            "HTTP requests by route and status.",
            ["method", "route", "status"],
            registry=registry,
        ),
        "latency": Histogram(
            "coordapp_http_request_duration_seconds",
            "Request latency by route.",
            ["method", "route"],
            registry=registry,
        ),
    }
    registry.register(StateCollector(app))
    app.before_request(_start)
    app.after_request(_observe)
