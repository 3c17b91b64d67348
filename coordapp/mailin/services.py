"""Mail-in: keep a received message first, then turn it into a reply, a bounce, a counted auto-reply or quarantine.

``receive`` is the one way in (the SMTP/LMTP server and the IMAP fetch both call it): it stores the
raw bytes, keyed by Message-ID so a message delivered or fetched twice is one row, commits, and
hands the row to a task. ``process`` reads it: the reply+TOKEN address (not the From header) says
whose reply it is, and the reply link's own rules (find_reply_token, record_reply) decide what it
may open; a reply it cannot place waits in quarantine for staff.
"""

import hashlib
import logging
from datetime import datetime, timedelta

from celery import current_app as celery_current_app
from flask import current_app
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from coordapp.audit.services import acting_as
from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.mailin import attachments, parsing
from coordapp.mailin.models import InboundMessage
from coordapp.reminders.replies import LinkGone, answerable, find_reply_token, record_reply
from coordapp.stakeholders.services import contact_with_email, mark_bounced

log = logging.getLogger(__name__)
PROCESS_TASK = "coordapp.mailin.tasks.process_message"


class MessageTooLarge(ValueError):
    """A message over MAILIN_MAX_BYTES: refused before anything is stored."""


def message_key(raw: bytes) -> str:
    """Return the key that makes a message one row: its Message-ID, or a hash of its bytes when it has none."""
    message = parsing.parse(raw)
    message_id = str(message.get("Message-ID", "")).strip()
    return message_id[:255] if message_id else f"<sha256-{hashlib.sha256(raw).hexdigest()}@mailin>"


def store(raw: bytes, recipients: list[str], sender: str = "") -> tuple[int, bool]:
    """Store a raw message once (in the session's transaction); return its row id and whether it is new."""
    if len(raw) > current_app.config["MAILIN_MAX_BYTES"]:
        raise MessageTooLarge(len(raw))
    key = message_key(raw)
    existing = db.session.execute(db.select(InboundMessage.id).filter_by(message_key=key)).scalar_one_or_none()
    if existing is not None:
        return existing, False
    message = parsing.parse(raw)
    sender = parsing.sender_address(message) or sender  # the From header reads better than the envelope's
    subject = str(message.get("Subject", ""))[:300]
    row = InboundMessage(
        message_key=key, raw=raw, recipients="\n".join(recipients), sender=sender[:254], subject=subject
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # the same message arrived at the same moment through another way in
        return db.session.execute(db.select(InboundMessage.id).filter_by(message_key=key)).scalar_one(), False
    return row.id, True


def receive(raw: bytes, recipients: list[str], sender: str = "") -> int:
    """Store a received message, commit, and hand it to a worker (once); return its row id."""
    row_id, is_new = store(raw, recipients, sender)
    db.session.commit()
    if is_new:
        try:
            celery_current_app.tasks[PROCESS_TASK].delay(row_id)
        except Exception as exc:  # noqa: BLE001 - stored and committed: `mail-in process` picks it up later
            log.warning("broker unavailable, inbound message %s waits: %s", row_id, exc)
    return row_id


def process(row_id: int, now: datetime | None = None) -> str:
    """Process one stored message if still waiting (the caller commits); return its status."""
    now = now or utcnow()
    claimed = db.session.execute(
        update(InboundMessage)
        .where(InboundMessage.id == row_id, InboundMessage.status == "received")
        .values(status="processing")
        .execution_options(synchronize_session=False)
    ).rowcount
    row = db.session.get(InboundMessage, row_id, populate_existing=True)
    if not claimed:  # processed already, or another worker holds it until its commit
        return row.status if row else "missing"
    try:
        with db.session.begin_nested():  # a failure half-way (a file that cannot be written) records nothing
            status, reason = _decide(row, parsing.parse(row.raw), now)
    except Exception:  # noqa: BLE001 - a message nobody can read goes to staff, never back to the sender
        log.exception("inbound message %s could not be read", row_id)
        status, reason = "quarantined", "unreadable"
    row.status, row.reason = status, reason
    row.processed_dt = now
    return row.status


def _decide(row: InboundMessage, message, now: datetime) -> tuple[str, str]:
    failed = parsing.bounces(message)
    if failed is not None:
        return "bounce", f"{record_bounces(failed, now)} contacts"
    if parsing.is_auto_reply(message):
        return "auto_reply", ""
    if _over_sender_limit(row, now):
        return "quarantined", "rate_limited"
    raw_token = parsing.reply_token(
        parsing.addresses_of(message, row.recipients.splitlines()), current_app.config.get("MAIL_REPLY_DOMAIN")
    )
    if raw_token is None:
        return "quarantined", "unknown"
    try:
        token = find_reply_token(raw_token, now)
    except LinkGone as gone:
        return "quarantined", gone.reason
    row.contact_id = token.contact_id
    row.is_sender_mismatch = parsing.sender_address(message) != token.contact.email.lower()
    body = parsing.visible_reply(parsing.body_text(message))
    if not body:
        return "quarantined", "empty"
    open_ids = [issue.id for issue in answerable(token)]
    named = [i for i in open_ids if i in parsing.issue_numbers(body, str(message.get("Subject", "")))]
    entries = record_reply(token, named or open_ids, [], body, now)
    with acting_as(None, label=token.contact.email):
        attachments.keep(message, entries, row, now)
    return "recorded", ""


def record_bounces(failed: list[parsing.Bounce], now: datetime) -> int:
    """Mark the contacts whose address bounced (their reminders pause); return how many were found."""
    found = 0
    with acting_as(None, label="mail-in"):
        for bounce in failed:
            contact = contact_with_email(bounce.address)
            if contact is not None:
                mark_bounced(contact, bounce.reason, now)
                found += 1
        db.session.flush()
    return found


def waiting() -> list[int]:
    """Return the ids of stored messages not processed yet (a broker that was down, a worker that died)."""
    return list(db.session.execute(db.select(InboundMessage.id).filter_by(status="received")).scalars())


def _over_sender_limit(row: InboundMessage, now: datetime) -> bool:
    """Tell whether the sender sent more than MAILIN_SENDER_PER_HOUR messages in the hour before this one."""
    limit = current_app.config.get("MAILIN_SENDER_PER_HOUR", 30)
    recent = db.session.execute(
        db.select(db.func.count())
        .select_from(InboundMessage)
        .where(
            InboundMessage.sender == row.sender,
            InboundMessage.id != row.id,
            InboundMessage.received_dt > now - timedelta(hours=1),
        )
    ).scalar_one()
    return recent >= limit


def waiting_since(age: timedelta, now: datetime) -> list[int]:
    """Return the ids of messages still waiting after age (their task was lost): the beat hands them over again."""
    stmt = db.select(InboundMessage.id).where(
        InboundMessage.status == "received", InboundMessage.received_dt < now - age
    )
    return list(db.session.execute(stmt).scalars())


def auto_reply_count() -> int:
    """Return how many auto-replies mail-in has ignored."""
    return db.session.execute(
        db.select(db.func.count()).select_from(InboundMessage).filter_by(status="auto_reply")
    ).scalar_one()
