"""Sending the outbox in batches: one claim, one load and one commit per batch, one SMTP connection.

A batch claims its rows with one ``UPDATE ... WHERE id IN (...) AND status='pending'`` (or a
'sending' row whose lease ran out) ``RETURNING id``: only the ids it returns are sent, so two
senders given the same ids send each email once. On PostgreSQL the rows are first locked
``FOR UPDATE SKIP LOCKED``: a concurrent claimer skips the rows another is taking instead of
waiting for them (and never deadlocks). Each email is built and sent inside a savepoint: a
refusal rolls back only that email's reply links and marks only that row (failed, or pending
again for a retry). The batch commits once at its end; a sender that dies before that leaves
its rows 'sending' until their lease runs out, and the resend carries the same Message-ID.
"""

import logging
from collections import Counter
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr
from smtplib import SMTPDataError, SMTPRecipientsRefused

from flask import current_app
from sqlalchemy import String, and_, cast, func, literal, or_, select, update
from sqlalchemy.orm import selectinload

from coordapp.audit.services import acting_as
from coordapp.commitments.models import Commitment
from coordapp.core.tasklog import error_label
from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.issues.models import Issue
from coordapp.reminders import outbox
from coordapp.reminders.models import ReminderDelivery
from coordapp.stakeholders.models import Contact
from coordapp.stakeholders.services import mark_bounced

log = logging.getLogger(__name__)
BATCH = outbox.BATCH  # rows per batch by database (REMINDER_SEND_BATCH overrides it)


class Outcomes(Counter):
    """How many rows of a batch ended in each status, with the rows put back pending for a retry and why."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.retry_ids: list[int] = []  # refused for now: pending again, to be retried (never the sent ones)
        self.error: Exception | None = None  # the last of those refusals


def _message_id(row_id):
    """Return SQL giving a row a Message-ID at its first claim (kept on a resend): unique per batch and row."""
    domain = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1].rpartition("@")[2] or "coordapp.local"
    stem = make_msgid(domain=domain)[1:].partition("@")[0]  # this batch's time.pid.random
    generated = literal(f"<{stem}.reminder-") + cast(row_id, String) + literal(f"@{domain}>")
    return func.coalesce(ReminderDelivery.message_id, generated)


def claim_many(ids: list[int], now: datetime) -> list[int]:
    """Take the rows of ids that nobody else holds for sending, commit, and return the ids taken."""
    if not ids:
        return []
    lease = timedelta(seconds=current_app.config.get("REMINDER_LEASE_SECONDS", 600))
    d = ReminderDelivery
    free = or_(d.status == "pending", and_(d.status == "sending", d.claimed_dt < now - lease))
    lockable = select(d.id).where(d.id.in_(ids), free).order_by(d.id).with_for_update(skip_locked=True)
    result = db.session.execute(
        update(d)
        .where(d.id.in_(lockable.scalar_subquery()), free)
        .values(status="sending", claimed_dt=now, attempts=d.attempts + 1, message_id=_message_id(d.id))
        .returning(d.id)
        .execution_options(synchronize_session=False)
    )
    taken = sorted(result.scalars())
    db.session.commit()
    return taken


def _renew_lease(claimed: list[int]) -> None:
    """Open the batch's transaction by renewing its rows' lease.

    Writing first matters on SQLite: the transaction holds the write lock from its start, so
    none of its later writes has to upgrade a read snapshot another sender may have outdated.
    """
    d = ReminderDelivery
    db.session.execute(
        update(d)
        .where(d.id.in_(claimed), d.status == "sending")
        .values(claimed_dt=utcnow())
        .execution_options(synchronize_session=False)
    )


def _load_many(ids: list[int]) -> list[ReminderDelivery]:
    """Load deliveries with their issues, contacts (and organisations), elections, stages, timelines and commitments.

    A few queries per batch, none per email.
    """
    issues = selectinload(ReminderDelivery.issues)
    commitments = selectinload(ReminderDelivery.commitments)
    return list(
        db.session.execute(
            select(ReminderDelivery)
            .where(ReminderDelivery.id.in_(ids))
            .order_by(ReminderDelivery.id)
            .options(
                selectinload(ReminderDelivery.contact).joinedload(Contact.organization),  # named on each timeline
                selectinload(ReminderDelivery.user),
                issues.selectinload(Issue.contacts),
                issues.selectinload(Issue.follow_ups),
                issues.joinedload(Issue.election),
                issues.joinedload(Issue.stage),
                commitments.joinedload(Commitment.meeting),
                commitments.joinedload(Commitment.election),
            )
        ).scalars()
    )


def _failed(delivery: ReminderDelivery, exc: Exception, last_try: bool) -> str:
    delivery.status = "failed" if last_try else "pending"
    delivery.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    delivery.enqueued_dt = utcnow()
    return delivery.status


def _send_one(delivery: ReminderDelivery, now: datetime, last_try: bool) -> tuple[str, Exception | None]:
    """Send one claimed delivery inside a savepoint; return what became of it, and the error if it failed."""
    if not outbox.still_relevant(delivery, now):
        delivery.status, delivery.last_error = "cancelled", ""
        return "cancelled", None
    savepoint = db.session.begin_nested()
    try:
        message = outbox.build_message(delivery, now)
        outbox.connection().send_messages([message])
    except (SMTPRecipientsRefused, SMTPDataError) as exc:
        savepoint.rollback()
        outbox.drop_connection()
        reason = outbox.permanent_refusal(exc)
        if reason is None or delivery.contact_id is None:
            return _failed(delivery, exc, last_try), exc
        with acting_as(None, label="mail"):  # the address is wrong: retrying cannot help
            mark_bounced(db.session.get(Contact, delivery.contact_id), reason, utcnow())
        return _failed(delivery, exc, last_try=True), exc
    except outbox.RETRYABLE as exc:
        savepoint.rollback()
        outbox.drop_connection()
        log.warning("delivery %s failed: %s", delivery.id, error_label(exc))  # the text may quote the address
        return _failed(delivery, exc, last_try), exc
    except Exception as exc:  # a bug, not the network: never retried, visible in the outbox
        savepoint.rollback()
        log.exception("delivery %s could not be sent", delivery.id)
        return _failed(delivery, exc, last_try=True), exc
    outbox.record_sent(delivery, utcnow())
    savepoint.commit()
    return "sent", None


def send_batch(ids: list[int], *, last_try: bool = True) -> Outcomes:
    """Claim, send and record a batch of deliveries with one commit; return how many ended in each status.

    A retryable failure leaves its row pending unless last_try; those rows are in the result's retry_ids.
    """
    now = utcnow()
    outcomes = Outcomes()
    claimed = claim_many(ids, now)
    outcomes["skipped"] = len(ids) - len(claimed)
    if not claimed:
        return outcomes
    _renew_lease(claimed)
    for delivery in _load_many(claimed):
        status, error = _send_one(delivery, now, last_try)
        outcomes[status] += 1
        if status == "pending":
            outcomes.retry_ids.append(delivery.id)
            outcomes.error = error
    db.session.commit()
    return outcomes


def send_many(ids: list[int], *, batch: int | None = None) -> int:
    """Send deliveries in this process in batches over one connection; failures stay in the outbox.

    Returns the number sent.
    """
    batch = batch or outbox.batch_size()
    sent = 0
    try:
        for start in range(0, len(ids), batch):
            sent += send_batch(ids[start : start + batch], last_try=True)["sent"]
    finally:
        outbox.drop_connection()
    return sent
