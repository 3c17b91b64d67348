"""The outbox: write rows and hand them to the workers (after commit); send one row: claim it,
drop what no longer applies, render, send over SMTP, record.

A row is claimed with ``UPDATE ... SET status='sending' WHERE id=? AND status='pending'``
(or a 'sending' row whose lease ran out: its worker died). The Message-ID is fixed at
the first claim, so the rare resend after a worker died between the SMTP answer and the
commit carries the same Message-ID and mail systems treat it as one message.
"""

import contextlib
import logging
import threading
import time
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr
from smtplib import SMTPDataError, SMTPException, SMTPRecipientsRefused

from celery import current_app as celery_current_app
from flask import current_app
from flask_mailman import EmailMultiAlternatives
from sqlalchemy import and_, event, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from coordapp.audit.services import acting_as
from coordapp.commitments.models import Commitment
from coordapp.core import lookups
from coordapp.core.tasklog import error_label
from coordapp.core.time import utcnow
from coordapp.core.urls import external_url
from coordapp.extensions import db, mail
from coordapp.issues.models import UNRESOLVED, Issue
from coordapp.issues.services import add_follow_up
from coordapp.reminders import meeting_emails
from coordapp.reminders.emails import render_delivery
from coordapp.reminders.links import new_reply_token, reply_address, unsubscribe_token
from coordapp.reminders.models import (
    MEETING_KINDS,
    NOTICE_KINDS,
    ReminderDelivery,
    ReplyToken,
    delivery_commitments,
    delivery_issues,
)
from coordapp.reminders.planner import PlannedDelivery
from coordapp.stakeholders.models import Contact
from coordapp.stakeholders.services import mark_bounced

log = logging.getLogger(__name__)
RETRYABLE = (SMTPException, OSError)
CONTACT_KINDS = ("digest", "assignment")
IDLE_SECONDS = 60  # reopen a kept SMTP connection idle longer than this (servers drop idle ones)

_kept: dict = {}


class CalendarEmail(EmailMultiAlternatives):
    """An email whose text/calendar alternative carries its iTIP method, so calendars show a meeting request."""

    calendar_method = "REQUEST"

    def _create_mime_attachment(self, content, mimetype):
        part = super()._create_mime_attachment(content, mimetype)
        if mimetype == "text/calendar":
            part.set_param("method", self.calendar_method)
        return part


def _connection_key() -> tuple:
    cfg = current_app.config  # one connection per thread: an SMTP session cannot be shared
    app = id(current_app._get_current_object())
    return (app, threading.get_ident(), cfg["MAIL_BACKEND"], cfg["MAIL_SERVER"], cfg["MAIL_PORT"])


def connection():
    """Return this process's open mail connection, opening (or reopening an idle) one when needed."""
    key = _connection_key()
    kept = _kept.get(key)
    if kept and time.monotonic() - kept[1] > IDLE_SECONDS:
        drop_connection()
        kept = None
    if kept is None:
        conn = mail.get_connection(fail_silently=False)
        conn.open()
        kept = [conn, time.monotonic()]
        _kept[key] = kept
    kept[1] = time.monotonic()
    return kept[0]


def drop_connection() -> None:
    """Close this process's mail connection (after an error, or when done)."""
    kept = _kept.pop(_connection_key(), None)
    if kept:
        with contextlib.suppress(Exception):  # a broken connection is being thrown away anyway
            kept[0].close()


def _message_id(delivery_id: int) -> str:
    domain = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1].rpartition("@")[2] or "coordapp.local"
    return make_msgid(idstring=f"reminder-{delivery_id}", domain=domain)


def claim(delivery_id: int, now: datetime) -> bool:
    """Take a row for sending; False when it is sent, cancelled or another worker holds it."""
    lease = timedelta(seconds=current_app.config.get("REMINDER_LEASE_SECONDS", 600))
    d = ReminderDelivery
    result = db.session.execute(
        update(d)
        .where(d.id == delivery_id, or_(d.status == "pending", and_(d.status == "sending", d.claimed_dt < now - lease)))
        .values(
            status="sending",
            claimed_dt=now,
            attempts=d.attempts + 1,
            message_id=func.coalesce(d.message_id, _message_id(delivery_id)),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def _load(delivery_id: int) -> ReminderDelivery:
    """Load a delivery with its issues, their contacts, election, stage and timeline, in a few queries."""
    issues = selectinload(ReminderDelivery.issues)
    return db.session.execute(
        select(ReminderDelivery)
        .where(ReminderDelivery.id == delivery_id)
        .options(
            issues.selectinload(Issue.contacts),
            issues.selectinload(Issue.follow_ups),
            issues.joinedload(Issue.election),
            issues.joinedload(Issue.stage),
            selectinload(ReminderDelivery.commitments).joinedload(Commitment.meeting),
            selectinload(ReminderDelivery.commitments).joinedload(Commitment.election),
        )
    ).scalar_one()


def still_relevant(delivery: ReminderDelivery, now: datetime) -> bool:
    """Drop issues that no longer apply; tell whether anything is left to send."""
    if delivery.kind in MEETING_KINDS:
        return meeting_emails.still_relevant(delivery, now)
    if delivery.kind in NOTICE_KINDS:
        return bool(lookups.ask(lookups.NOTICE_RELEVANT, delivery, default=False))
    contact = delivery.contact
    if delivery.kind in CONTACT_KINDS and (contact is None or not contact.wants_reminders):
        return False
    if delivery.kind == "reply_notice":
        return bool(delivery.issues)  # a reply is news even when the issue was closed meanwhile
    keep = [i for i in delivery.issues if i.status in UNRESOLVED and not i.is_archived]
    if delivery.kind in CONTACT_KINDS:
        keep = [i for i in keep if contact in i.contacts]
    elif delivery.kind == "staff_digest":
        keep = [i for i in keep if i.owner_id == delivery.user_id]
    if len(keep) != len(delivery.issues):
        delivery.issues = keep
    agreed = [c for c in delivery.commitments if c.status == "open" and c.contact_id == delivery.contact_id]
    if len(agreed) != len(delivery.commitments):
        delivery.commitments = agreed
    return bool(keep) or bool(agreed)


def _reply_token(delivery: ReminderDelivery, now: datetime, issues=None) -> str | None:
    """Store a reply token for a contact's delivery (all its issues, or those given) and return it."""
    if delivery.kind not in CONTACT_KINDS:
        return None
    token, token_hash = new_reply_token()
    days = current_app.config.get("REPLY_TOKEN_DAYS", 14)
    db.session.add(
        ReplyToken(
            delivery=delivery,
            contact=delivery.contact,
            token_hash=token_hash,
            issues=list(delivery.issues if issues is None else issues),
            expires_dt=now + timedelta(days=days),
        )
    )
    return token


def _issue_reply_addresses(delivery: ReminderDelivery, now: datetime) -> dict[int, str]:
    """Give each issue of a contact's digest of several its own reply address (mail-in; empty without a domain)."""
    if delivery.kind not in CONTACT_KINDS or len(delivery.issues) < 2 or not reply_address("x"):
        return {}
    return {issue.id: reply_address(_reply_token(delivery, now, [issue])) for issue in delivery.issues}


def _unsubscribe_link(delivery: ReminderDelivery, now: datetime) -> str | None:
    if delivery.contact is None:
        return None
    return external_url("reminders.unsubscribe_page", token=unsubscribe_token(delivery.contact, now))


def build_message(delivery: ReminderDelivery, now: datetime) -> EmailMultiAlternatives:
    """Render a delivery into an email to its one recipient (creating its reply, RSVP and unsubscribe links)."""
    token = None
    if delivery.kind in NOTICE_KINDS:
        rendered = lookups.ask(lookups.NOTICE_EMAIL, delivery, now)
    elif delivery.kind in MEETING_KINDS:
        rendered = meeting_emails.render(
            delivery,
            now,
            rsvp_url=meeting_emails.rsvp_link(delivery, now),
            unsubscribe_url=_unsubscribe_link(delivery, now),
        )
    else:
        token = _reply_token(delivery, now)
        reply_url = external_url("reminders.reply", token=token) if token else None
        rendered = render_delivery(
            delivery,
            now,
            reply_url=reply_url,
            unsubscribe_url=_unsubscribe_link(delivery, now),
            issue_reply_addresses=_issue_reply_addresses(delivery, now),
        )
    headers = {"Message-ID": delivery.message_id or _message_id(delivery.id), "Auto-Submitted": "auto-generated"}
    if rendered.unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{rendered.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    reply_to = (token and reply_address(token)) or current_app.config.get("MAIL_REPLY_TO")
    calendar = getattr(rendered, "calendar", None)
    message = (CalendarEmail if calendar else EmailMultiAlternatives)(
        subject=rendered.subject,
        body=rendered.text,
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
        to=[delivery.recipient_email],
        reply_to=[reply_to] if reply_to else None,
        headers=headers,
    )
    message.attach_alternative(rendered.html, "text/html")
    if calendar:
        message.calendar_method = rendered.method
        message.attach_alternative(calendar.decode("utf-8"), "text/calendar")
    delivery.subject = rendered.subject[:300]
    return message


def record_sent(delivery: ReminderDelivery, now: datetime) -> None:
    """Mark a delivery sent and write "reminder sent" on each of its issues' timelines."""
    delivery.status, delivery.sent_dt, delivery.last_error = "sent", now, ""
    if delivery.kind == "reply_notice" or delivery.kind in MEETING_KINDS or delivery.kind in NOTICE_KINDS:
        return
    for issue in delivery.issues:
        add_reminder_entry(issue, delivery.contact or delivery.user)


def recipient_label(recipient) -> str:
    """Return how a reminder's recipient is named on a timeline: 'name (organisation)' for a contact."""
    organization = getattr(recipient, "organization", None)
    return f"{recipient.name} ({organization.label})" if organization is not None else recipient.name


def add_reminder_entry(issue: Issue, recipient):
    """Write "reminder sent to <recipient>" on an issue's timeline, by the system (no author), internal.

    The body is the recipient's label; pages show it as "Reminder sent to <label>" in the reader's language.
    """
    contact = recipient if getattr(recipient, "organization", None) is not None else None
    return add_follow_up(issue, kind="reminder", body=recipient_label(recipient), recipient_contact=contact)


def _record_failure(delivery_id: int, exc: Exception, last_try: bool) -> None:
    db.session.rollback()
    db.session.execute(
        update(ReminderDelivery)
        .where(ReminderDelivery.id == delivery_id)
        .values(
            status="failed" if last_try else "pending",
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            enqueued_dt=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def send(delivery_id: int, *, last_try: bool = False) -> str:
    """Send one delivery if it can be claimed; return its final status ('skipped' when not claimed)."""
    now = utcnow()
    if not claim(delivery_id, now):
        return "skipped"
    delivery = _load(delivery_id)
    if not still_relevant(delivery, now):
        delivery.status, delivery.last_error = "cancelled", ""
        db.session.commit()
        return "cancelled"
    try:
        message = build_message(delivery, now)
        connection().send_messages([message])
    except (SMTPRecipientsRefused, SMTPDataError) as exc:
        drop_connection()
        reason = permanent_refusal(exc)
        if reason is None or delivery.contact_id is None:
            _record_failure(delivery_id, exc, last_try)
            raise
        _record_failure(delivery_id, exc, last_try=True)  # the address is wrong: retrying cannot help
        with acting_as(None, label="mail"):
            mark_bounced(db.session.get(Contact, delivery.contact_id), reason, utcnow())
            db.session.commit()
        return "failed"
    except RETRYABLE as exc:
        drop_connection()
        _record_failure(delivery_id, exc, last_try)
        raise
    except Exception as exc:  # a bug, not the network: never retried, visible in the outbox
        _record_failure(delivery_id, exc, last_try=True)
        raise
    record_sent(delivery, utcnow())
    db.session.commit()
    return "sent"


def permanent_refusal(exc: Exception) -> str | None:
    """Return why the server refused the recipient for good (5xx), or None for anything else."""
    if isinstance(exc, SMTPRecipientsRefused):
        codes = list(exc.recipients.values())
        if codes and all(code >= 500 for code, _ in codes):
            return " ".join(
                f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}" for code, text in codes
            )
        return None
    text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {text}" if exc.smtp_code >= 500 and text.startswith("5.1.") else None


def send_many(ids: list[int]) -> int:
    """Send deliveries in this process one by one over one connection; failures stay in the outbox.

    Returns the number sent. ``batch.send_many`` does the same with one claim and one commit per batch.
    """
    sent = 0
    try:
        for delivery_id in ids:
            try:
                sent += send(delivery_id, last_try=True) == "sent"
            except RETRYABLE as exc:
                log.warning("delivery %s failed: %s", delivery_id, error_label(exc))  # the text may quote the address
    finally:
        drop_connection()
    return sent


# Writing rows and handing them over: the only place that does either (the sweep, event
# notices and the admin's "send again" all come here).

SEND_TASK = "coordapp.reminders.tasks.send_batch"
PENDING_KEY = "reminders_enqueue_after_commit"
_CHUNK = 500
# Rows per send task, claimed, loaded and committed together (REMINDER_SEND_BATCH). SQLite has one
# writer: a batch holds the write lock while it sends, so it stays short there (other writers wait).
BATCH = {"postgresql": 50, "sqlite": 10}


def batch_size(session: Session | None = None) -> int:
    """Return how many rows one send task takes: REMINDER_SEND_BATCH, or the database's default."""
    dialect = (session or db.session).get_bind().dialect.name
    return current_app.config.get("REMINDER_SEND_BATCH") or BATCH.get(dialect, 10)


def batches(ids: list[int], size: int) -> list[list[int]]:
    """Cut ids into lists of at most size, in order."""
    return [list(ids[start : start + size]) for start in range(0, len(ids), size)]


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


def _row(delivery: PlannedDelivery, now: datetime, enqueued: bool) -> dict:
    return {
        "recipient_email": delivery.recipient_email,
        "kind": delivery.kind,
        "window_key": delivery.window_key,
        "contact_id": delivery.contact_id,
        "user_id": delivery.user_id,
        "meeting_id": delivery.meeting_id,
        "language": delivery.language,
        "status": "pending",
        "attempts": 0,
        "last_error": "",
        "subject": "",
        "created_dt": now,
        "enqueued_dt": now if enqueued else None,
    }


def write(deliveries: list[PlannedDelivery], now: datetime, *, session=None, enqueued: bool = False) -> list[int]:
    """Insert deliveries and their issues in the session's transaction (keys already there are left alone).

    Returns the new ids. ``enqueued`` marks rows that will be handed over right after the commit.
    """
    connection = (session or db.session).connection()
    by_key = {(d.recipient_email, d.kind, d.window_key): d for d in deliveries}
    created = {}
    for start in range(0, len(deliveries), _CHUNK):
        rows = [_row(d, now, enqueued) for d in deliveries[start : start + _CHUNK]]
        for row in connection.execute(_insert_ignoring_duplicates(rows)):
            created[row.id] = by_key[(row.recipient_email, row.kind, row.window_key)]
    links = [{"delivery_id": did, "issue_id": iid} for did, d in created.items() for iid in d.issue_ids]
    if links:
        connection.execute(delivery_issues.insert(), links)
    agreed = [{"delivery_id": did, "commitment_id": cid} for did, d in created.items() for cid in d.commitment_ids]
    if agreed:
        connection.execute(delivery_commitments.insert(), agreed)
    return sorted(created)


def add(
    session: Session,
    *,
    kind: str,
    email: str,
    window_key: str,
    issue_ids: list[int],
    language: str = "id",
    contact_id: int | None = None,
    user_id: int | None = None,
    meeting_id: int | None = None,
) -> int | None:
    """Insert one outbox row in the session's transaction (nothing when its key exists); hand it over after commit."""
    planned = PlannedDelivery(
        kind=kind,
        recipient_email=email,
        window_key=window_key,
        issue_ids=tuple(issue_ids),
        language=language,
        contact_id=contact_id,
        user_id=user_id,
        meeting_id=meeting_id,
    )
    # handed over right after the commit; if that fails, a sweep resumes it later
    created = write([planned], utcnow(), session=session, enqueued=True)
    for delivery_id in created:
        enqueue_after_commit(session, delivery_id)
    return created[0] if created else None


def _enqueue(ids: list[int]) -> None:
    # By name: the tasks module imports this one (send), so importing the task here would be a cycle.
    celery_current_app.tasks[SEND_TASK].delay(ids)


def _mark_handed_over(ids: list[int], clock: datetime | None) -> None:
    db.session.execute(
        update(ReminderDelivery)
        .where(ReminderDelivery.id.in_(ids))
        .values(enqueued_dt=clock)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def hand_over(ids: list[int], clock: datetime) -> int:
    """Enqueue send_batch for each batch of ids; stop at the first broker failure (the next sweep retries).

    The rows are marked handed over and committed before their batches are enqueued: a worker that
    claims a batch at once must not find its rows locked by this update (it would skip them).
    """
    if not ids:
        return 0
    _mark_handed_over(ids, clock)
    done = 0
    for chunk in batches(ids, batch_size()):
        try:
            _enqueue(chunk)
        except Exception as exc:  # noqa: BLE001 - any broker failure: the rows stay pending for the next sweep
            log.warning("broker unavailable, %d deliveries wait for the next sweep: %s", len(ids) - done, exc)
            _mark_handed_over(ids[done:], None)
            break
        done += len(chunk)
    return done


def enqueue_after_commit(session: Session, delivery_id: int) -> None:
    """Hand a delivery to the workers once the session's transaction has committed (in batches, with the others)."""
    session.info.setdefault(PENDING_KEY, []).append(delivery_id)


def pending_notices(session: Session) -> list[int]:
    """Return the outbox ids this session will enqueue at commit (for tests and the CLI)."""
    return list(session.info.get(PENDING_KEY, []))


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    ids = session.info.pop(PENDING_KEY, None)
    for chunk in batches(ids, batch_size(session)) if ids else ():
        try:
            _enqueue(chunk)
        except Exception as exc:  # noqa: BLE001 - the rows are committed; the next sweep hands them over
            log.warning("broker unavailable, deliveries %s wait for the next sweep: %s", chunk, exc)
            return


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(PENDING_KEY, None)
