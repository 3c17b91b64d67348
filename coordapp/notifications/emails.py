"""Notification emails: one per notification ("immediate") or one digest a day ("daily"), through the outbox.

The outbox (coordapp.reminders.outbox) asks here, through core.lookups, whether a row still has
something to say and how it reads. Each email is in its user's language and holds only the
notifications that user may still read (an inactive user gets nothing), with links into the app.
"""

from datetime import datetime, timedelta

from flask import render_template
from flask_babel import force_locale, ngettext
from sqlalchemy import select

from coordapp.auth.models import User
from coordapp.core.time import local_today
from coordapp.core.urls import external_url
from coordapp.core.validation import one_line
from coordapp.extensions import db
from coordapp.notifications import services, texts
from coordapp.notifications.models import Notification
from coordapp.reminders import outbox
from coordapp.reminders.emails import Rendered
from coordapp.reminders.models import ReminderDelivery

DIGEST_TIMEZONE = "Asia/Jakarta"  # a digest's day (its key) is the commission's local day


def notifications_of(delivery) -> list[Notification]:
    """Return the notifications a notice or digest row reports that its user may still read."""
    user = delivery.user
    if user is None:
        return []
    if delivery.kind == "notice":
        found = db.session.get(Notification, int(delivery.window_key.rpartition("-")[2]))
        rows = [found] if found is not None and found.read_dt is None else []  # read in the app: no need to mail it
    else:
        rows = list(
            db.session.execute(
                select(Notification)
                .where(Notification.digest_delivery_id == delivery.id)
                .order_by(Notification.created_dt, Notification.id)
            ).scalars()
        )
    return [n for n in rows if services.may_read(user, n)]


def still_relevant(delivery) -> bool:
    """Tell whether a notice or digest row still has a notification for its user."""
    return bool(notifications_of(delivery))


def render(delivery, now: datetime) -> Rendered:
    """Render a notice or a digest in its user's language."""
    rows = notifications_of(delivery)
    with force_locale(delivery.language or "id"):
        items = [
            {
                "text": texts.text(n),
                "excerpt": texts.excerpt(n),
                "url": external_url("notifications.open", notification_id=n.id),
            }
            for n in rows
        ]
        if delivery.kind == "notice":
            subject = one_line(items[0]["text"])[:250]
        else:
            subject = ngettext("%(num)d new item in your inbox", "%(num)d new items in your inbox", len(items))
        context = {
            "delivery": delivery,
            "recipient": delivery.user,
            "items": items,
            "subject": subject,
            "elections": "",
            "inbox_url": external_url("notifications.inbox"),
            "account_url": external_url("auth.account"),
        }
        text = render_template("email/notice.txt", **context)
        html = render_template("email/notice.html", **context)
    return Rendered(subject=subject, text=text, html=html)


def _mailed_one_by_one(user, notifications) -> set[int]:
    """Return the ids of these notifications that already have their own email row."""
    keys = {f"notice-{n.id}": n.id for n in notifications}
    if not keys:
        return set()
    rows = db.session.execute(
        select(ReminderDelivery.window_key).where(
            ReminderDelivery.recipient_email == user.email,
            ReminderDelivery.kind == "notice",
            ReminderDelivery.window_key.in_(keys),
        )
    ).scalars()
    return {keys[key] for key in rows}


def queue_daily_digests(now: datetime) -> list[int]:
    """Write today's digest row for each "daily" user with notifications not yet mailed (the last day's).

    The row's key is the local day: a second run the same day adds nothing; each notification goes
    into one digest (``digest_delivery_id``). Returns the new rows' ids, handed over after the commit.
    """
    day = local_today(DIGEST_TIMEZONE)
    since = now - timedelta(days=1)
    users = db.session.execute(
        select(User).where(User.email_notifications == "daily", User.is_active.is_(True)).order_by(User.id)
    ).scalars()
    created = []
    for user in users:
        waiting = list(
            db.session.execute(
                select(Notification).where(
                    Notification.user_id == user.id,
                    Notification.digest_delivery_id.is_(None),
                    Notification.created_dt >= since,
                    Notification.created_dt <= now,
                )
            ).scalars()
        )
        mailed = _mailed_one_by_one(user, waiting)  # before the user chose the digest: not twice
        waiting = [n for n in waiting if n.id not in mailed and services.may_read(user, n)]
        if not waiting:
            continue
        delivery_id = outbox.add(
            db.session,
            kind="notice_digest",
            email=user.email,
            window_key=f"digest-{day.isoformat()}",
            issue_ids=sorted({n.issue_id for n in waiting if n.issue_id}),
            language=user.language,
            user_id=user.id,
        )
        if delivery_id is not None:
            for n in waiting:
                n.digest_delivery_id = delivery_id
            created.append(delivery_id)
    return created
