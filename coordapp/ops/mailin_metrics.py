"""Mail-in figures for /metrics, counted from the inbound_messages table (the same in every process).

Each message keeps its row and its final status, so counts of rows by status are counters: they
only grow while messages arrive (a row is never deleted). "Processed" is every message past the
worker (not received nor processing); quarantined messages are counted by what became of them.
"""

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from sqlalchemy import func

from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.mailin.models import STATUSES, InboundMessage

WAITING = ("received", "processing")
# The states of a quarantined message: still held, placed on an issue by staff, or dropped by staff.
QUARANTINE_STATES = {"quarantined": "held", "assigned": "assigned", "discarded": "discarded"}


def _counter(name: str, documentation: str, value: int) -> CounterMetricFamily:
    return CounterMetricFamily(name, documentation, value=value)


def collect_mailin():
    """Yield the mail-in counters and gauges from one grouped count (and the age of the oldest waiting message)."""
    rows = dict(
        db.session.execute(db.select(InboundMessage.status, func.count()).group_by(InboundMessage.status)).all()
    )
    by_status = GaugeMetricFamily("coordapp_mailin_messages", "Inbound messages by status.", labels=["status"])
    for status in STATUSES:
        by_status.add_metric([status], rows.get(status, 0))
    yield by_status
    processed = sum(count for status, count in rows.items() if status not in WAITING)
    yield _counter("coordapp_mailin_messages_processed", "Inbound messages the worker has processed.", processed)
    yield _counter(
        "coordapp_mailin_replies_recorded", "Replies mail-in put on issue timelines by itself.", rows.get("recorded", 0)
    )
    yield _counter("coordapp_mailin_auto_replies", "Auto-replies counted and ignored.", rows.get("auto_reply", 0))
    yield _counter("coordapp_mailin_bounces", "Bounce reports that marked contacts.", rows.get("bounce", 0))
    quarantined = CounterMetricFamily(
        "coordapp_mailin_quarantined",
        "Messages ever quarantined, by their state now (held, assigned by staff, discarded by staff).",
        labels=["state"],
    )
    for status, state in QUARANTINE_STATES.items():
        quarantined.add_metric([state], rows.get(status, 0))
    yield quarantined
    oldest = db.session.execute(
        db.select(func.min(InboundMessage.received_dt)).where(InboundMessage.status.in_(WAITING))
    ).scalar()
    yield GaugeMetricFamily(
        "coordapp_mailin_oldest_waiting_age_seconds",
        "Age of the oldest message not processed yet (0 when none waits).",
        value=(utcnow() - oldest).total_seconds() if oldest else 0,
    )
