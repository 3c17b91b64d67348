"""The sweep: plan, write the outbox in one transaction, commit, then hand the new rows to the workers.

Writing and handing over are the outbox's (``outbox.write``, ``outbox.hand_over``).

The database is the source of truth; the broker only carries ids. The unique key
(recipient, kind, window) turns a second or concurrent sweep into a no-op, and rows that
were never handed over (broker down) or whose worker died are handed over again.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select

from coordapp.core.services import record_gauge
from coordapp.core.time import to_local, utcnow
from coordapp.extensions import db
from coordapp.reminders import outbox
from coordapp.reminders.facts import load_facts
from coordapp.reminders.models import ReminderDelivery
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


def run_sweep(now: datetime | None = None, *, send: Callable[[list[int]], int] | None = None) -> SweepResult:
    """Plan at now, write the outbox and commit, then hand new and stale rows to send (default: the broker)."""
    clock = utcnow()
    started = time.monotonic()
    now = now or clock
    result = SweepResult(planned=plan(now))
    result.created = outbox.write(result.planned, clock)
    db.session.commit()
    result.requeued = [i for i in stale_ids(clock) if i not in set(result.created)]
    ids = result.created + result.requeued
    result.handed_over = send(ids) if send else outbox.hand_over(ids, clock)
    record_gauge("sweep_duration_seconds", time.monotonic() - started)
    return result
