"""Send one outbox row: claim it, drop what no longer applies, render, send over SMTP, record.

A row is claimed with ``UPDATE ... SET status='sending' WHERE id=? AND status='pending'``
(or a 'sending' row whose lease ran out: its worker died). The Message-ID is fixed at
the first claim, so the rare resend after a worker died between the SMTP answer and the
commit carries the same Message-ID and mail systems treat it as one message.
"""

import logging
import time
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr
from smtplib import SMTPException

from flask import current_app
from flask_mailman import EmailMultiAlternatives
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import selectinload

from coordapp.commitments.models import Commitment
from coordapp.core.time import utcnow
from coordapp.core.urls import external_url
from coordapp.extensions import db, mail
from coordapp.issues.models import UNRESOLVED, Issue
from coordapp.issues.services import add_follow_up
from coordapp.reminders import meeting_emails
from coordapp.reminders.emails import render_delivery
from coordapp.reminders.links import new_reply_token
from coordapp.reminders.models import MEETING_KINDS, ReminderDelivery, ReplyToken

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
    cfg = current_app.config
    return (id(current_app._get_current_object()), cfg["MAIL_BACKEND"], cfg["MAIL_SERVER"], cfg["MAIL_PORT"])


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
        try:
            kept[0].close()
        except Exception:  # noqa: BLE001 - a broken connection is being thrown away anyway
            pass


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


def _still_relevant(delivery: ReminderDelivery, now: datetime) -> bool:
    """Drop issues that no longer apply; tell whether anything is left to send."""
    if delivery.kind in MEETING_KINDS:
        return meeting_emails.still_relevant(delivery, now)
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


def _reply_link(delivery: ReminderDelivery, now: datetime) -> str | None:
    if delivery.kind not in CONTACT_KINDS:
        return None
    token, token_hash = new_reply_token()
    days = current_app.config.get("REPLY_TOKEN_DAYS", 14)
    db.session.add(
        ReplyToken(
            delivery=delivery,
            contact=delivery.contact,
            token_hash=token_hash,
            issues=list(delivery.issues),
            expires_dt=now + timedelta(days=days),
        )
    )
    return external_url("reminders.reply", token=token)


def build_message(delivery: ReminderDelivery, now: datetime) -> EmailMultiAlternatives:
    """Render a delivery into an email to its one recipient (creating its reply or RSVP link)."""
    if delivery.kind in MEETING_KINDS:
        rendered = meeting_emails.render(delivery, now, rsvp_url=meeting_emails.rsvp_link(delivery, now))
    else:
        rendered = render_delivery(delivery, now, reply_url=_reply_link(delivery, now))
    headers = {"Message-ID": delivery.message_id or _message_id(delivery.id), "Auto-Submitted": "auto-generated"}
    if rendered.unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{rendered.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    reply_to = current_app.config.get("MAIL_REPLY_TO")
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


def _record_sent(delivery: ReminderDelivery, now: datetime) -> None:
    delivery.status, delivery.sent_dt, delivery.last_error = "sent", now, ""
    if delivery.kind == "reply_notice" or delivery.kind in MEETING_KINDS:
        return
    author = {"author_contact": delivery.contact} if delivery.contact else {"author_user": delivery.user}
    for issue in delivery.issues:
        add_reminder_entry(issue, delivery.recipient_email, delivery.subject, **author)


def add_reminder_entry(issue: Issue, recipient_email: str, subject: str, **author):
    """Write "reminder sent" on an issue's timeline: to whom, and the email's subject."""
    return add_follow_up(issue, kind="reminder", body=f"{recipient_email}: {subject}", **author)


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
    if not _still_relevant(delivery, now):
        delivery.status, delivery.last_error = "cancelled", ""
        db.session.commit()
        return "cancelled"
    try:
        message = build_message(delivery, now)
        connection().send_messages([message])
    except RETRYABLE as exc:
        drop_connection()
        _record_failure(delivery_id, exc, last_try)
        raise
    except Exception as exc:  # a bug, not the network: never retried, visible in the outbox
        _record_failure(delivery_id, exc, last_try=True)
        raise
    _record_sent(delivery, utcnow())
    db.session.commit()
    return "sent"


def send_many(ids: list[int]) -> int:
    """Send deliveries in this process over one connection; failures stay in the outbox. Returns the number sent."""
    sent = 0
    try:
        for delivery_id in ids:
            try:
                sent += send(delivery_id, last_try=True) == "sent"
            except RETRYABLE as exc:
                log.warning("delivery %s failed: %s", delivery_id, exc)
    finally:
        drop_connection()
    return sent
