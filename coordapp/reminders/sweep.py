"""The sweep: plan, write the outbox in one transaction, commit, then hand the new rows to the workers.

The database is the source of truth; the broker only carries ids. The unique key
(recipient, kind, window) turns a second or concurrent sweep into a no-op, and rows that
were never handed over (broker down) or whose worker died are handed over again.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from coordapp.core.time import to_local, utcnow
from coordapp.extensions import db
from coordapp.reminders.facts import load_facts
from coordapp.reminders.models import ReminderDelivery, delivery_commitments, delivery_issues
from coordapp.reminders.planner import PlannedDelivery, plan_meeting_reminders, plan_reminders
from coordapp.reminders.policy import indonesian_holidays, load_policy

log = logging.getLogger(__name__)


@dataclass
class SweepResult:
    """What one sweep planned, wrote and handed over."""

    planned: list[PlannedDelivery] = field(default_factory=list)
    created: list[int] = field(default_factory=list)
    requeued: list[int] = field(default_factory=list)
    handed_over: int = 0


def plan(now: datetime) -> list[PlannedDelivery]:
    """Return the deliveries due at now, changing nothing."""
    policy = load_policy()
    facts = load_facts(policy, now)
    years = {to_local(now).year}
    holidays = indonesian_holidays(*years)
    digests = plan_reminders(
        facts.issues,
        facts.contacts,
        policy,
        now,
        holidays,
        owners=facts.owners,
        managers=facts.managers,
        history=facts.history,
        commitments=facts.commitments,
    )
    meetings = plan_meeting_reminders(
        facts.meetings,
        facts.contacts,
        policy,
        now,
        holidays,
        policy.meeting_reminder_days,
        taken=facts.meeting_reminders_taken,
    )
    return digests + meetings


def _insert_ignoring_duplicates(rows: list[dict]):
    """Build INSERT ... ON CONFLICT DO NOTHING RETURNING for the outbox on SQLite or PostgreSQL."""
    dialect = db.session.get_bind().dialect.name
    construct = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = ReminderDelivery.__table__
    return (
        construct(table)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["recipient_email", "kind", "window_key"])
        .returning(table.c.id, table.c.recipient_email, table.c.kind, table.c.window_key)
    )


def write_outbox(planned: list[PlannedDelivery], now: datetime) -> list[int]:
    """Insert the planned deliveries and their issues; existing keys are left alone. Returns the new ids."""
    if not planned:
        return []
    by_key = {(p.recipient_email, p.kind, p.window_key): p for p in planned}
    created = {}
    chunk = 500
    for start in range(0, len(planned), chunk):
        rows = [
            {
                "recipient_email": p.recipient_email,
                "kind": p.kind,
                "window_key": p.window_key,
                "contact_id": p.contact_id,
                "user_id": p.user_id,
                "meeting_id": p.meeting_id,
                "language": p.language,
                "status": "pending",
                "attempts": 0,
                "last_error": "",
                "subject": "",
                "created_dt": now,
            }
            for p in planned[start : start + chunk]
        ]
        for row in db.session.execute(_insert_ignoring_duplicates(rows)):
            created[row.id] = by_key[(row.recipient_email, row.kind, row.window_key)]
    links = [{"delivery_id": did, "issue_id": iid} for did, p in created.items() for iid in p.issue_ids]
    if links:
        db.session.execute(delivery_issues.insert(), links)
    agreed = [{"delivery_id": did, "commitment_id": cid} for did, p in created.items() for cid in p.commitment_ids]
    if agreed:
        db.session.execute(delivery_commitments.insert(), agreed)
    return sorted(created)


def stale_ids(clock: datetime) -> list[int]:
    """Return rows nobody is working on: pending and not handed over lately, or claimed past their lease."""
    requeue = timedelta(seconds=current_app.config.get("REMINDER_REQUEUE_SECONDS", 900))
    lease = timedelta(seconds=current_app.config.get("REMINDER_LEASE_SECONDS", 600))
    d = ReminderDelivery
    return list(
        db.session.execute(
            select(d.id)
            .where(
                or_(
                    and_(d.status == "pending", or_(d.enqueued_dt.is_(None), d.enqueued_dt < clock - requeue)),
                    and_(d.status == "sending", d.claimed_dt < clock - lease),
                )
            )
            .order_by(d.id)
        ).scalars()
    )


def hand_over(ids: list[int], clock: datetime) -> int:
    """Enqueue send_delivery for each id; stop at the first broker failure (the next sweep retries)."""
    from coordapp.reminders.tasks import send_delivery

    done = []
    for delivery_id in ids:
        try:
            send_delivery.delay(delivery_id)
        except Exception as exc:  # noqa: BLE001 - any broker failure: the rows stay pending for the next sweep
            log.warning("broker unavailable, %d deliveries wait for the next sweep: %s", len(ids) - len(done), exc)
            break
        done.append(delivery_id)
    if done:
        db.session.execute(
            update(ReminderDelivery)
            .where(ReminderDelivery.id.in_(done))
            .values(enqueued_dt=clock)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    return len(done)


def run_sweep(now: datetime | None = None, *, send: Callable[[list[int]], int] | None = None) -> SweepResult:
    """Plan at now, write the outbox and commit, then hand new and stale rows to send (default: the broker)."""
    clock = utcnow()
    now = now or clock
    result = SweepResult(planned=plan(now))
    result.created = write_outbox(result.planned, clock)
    db.session.commit()
    result.requeued = [i for i in stale_ids(clock) if i not in set(result.created)]
    ids = result.created + result.requeued
    result.handed_over = send(ids) if send else hand_over(ids, clock)
    return result
