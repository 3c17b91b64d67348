"""System checks: worker heartbeats and the health report."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import text

from coordapp.core.models import OpsGauge, WorkerHeartbeat
from coordapp.core.sql import upsert
from coordapp.core.time import utcnow
from coordapp.extensions import db


def record_heartbeat(hostname: str) -> None:
    """Store now as the last time hostname's worker was seen, and commit."""
    row = db.session.execute(db.select(WorkerHeartbeat).filter_by(hostname=hostname)).scalar_one_or_none()
    if row is None:
        row = WorkerHeartbeat(hostname=hostname, seen_dt=utcnow())
        db.session.add(row)
    row.seen_dt = utcnow()
    db.session.commit()


def record_gauge(name: str, value: float) -> None:
    """Store value under name for /metrics, in a transaction of its own (the caller's session is untouched).

    One INSERT ... ON CONFLICT DO UPDATE, so two processes writing the same gauge at once (two sweeps)
    both succeed, the last one's value kept.
    """
    now = utcnow()
    with db.engine.begin() as conn:
        rows = [{"name": name, "value": value, "updated_dt": now}]
        upsert(conn, OpsGauge.__table__, rows, ["name"], lambda excluded: {"value": value, "updated_dt": now})


def _database_state() -> dict:
    try:
        db.session.execute(text("SELECT 1"))
        return {"ok": True, "engine": db.engine.dialect.name}
    except Exception as exc:  # noqa: BLE001 - any failure means the database is not answering
        db.session.rollback()
        return {"ok": False, "error": type(exc).__name__}


def _broker_state() -> dict:
    celery = current_app.extensions["celery"]
    try:
        with celery.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            transport = conn.transport_cls
        return {"ok": True, "transport": str(transport)}
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": type(exc).__name__}


def _worker_state() -> dict:
    try:
        # ORDER BY ... LIMIT 1 rather than max(): the column type then reads the value back aware.
        last = db.session.execute(
            db.select(WorkerHeartbeat.seen_dt).order_by(WorkerHeartbeat.seen_dt.desc()).limit(1)
        ).scalar()
    except Exception:  # noqa: BLE001
        db.session.rollback()
        return {"last_seen": None, "recent": False}
    return {
        "last_seen": last.isoformat() if last else None,
        "recent": bool(last and utcnow() - last < timedelta(minutes=5)),
    }


def health() -> tuple[dict, int]:
    """Report database, broker and worker state and which of them fail; 200 unless the database is gone.

    status is "ok", "degraded" (the web serves, but the broker or the worker is down: no reminder
    goes out) or "error" (no database); "failing" names the components that are down.
    """
    database, broker, worker = _database_state(), _broker_state(), _worker_state()
    failing = [
        name
        for name, ok in (("database", database["ok"]), ("broker", broker["ok"]), ("worker", worker["recent"]))
        if not ok
    ]
    status = "error" if not database["ok"] else "degraded" if failing else "ok"
    report = {"status": status, "database": database, "broker": broker, "worker": worker, "failing": failing}
    return report, 200 if database["ok"] else 503
