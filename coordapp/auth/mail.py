"""Emails about a user's own account: one row each, written in the change's transaction, sent after commit.

The reminders outbox carries digests about issues to contacts and staff; these emails carry a
password link or a security notice to one user, so they have their own small table and task
and go out through the same mailer. The link of an invitation or a reset is made at sending
time: the database never holds a usable token.
"""

import logging
from datetime import timedelta
from types import SimpleNamespace

from celery import current_app as celery_current_app
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_mailman import EmailMultiAlternatives
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from coordapp.auth import tokens
from coordapp.auth.models import AccountEmail, User
from coordapp.core.tasklog import error_label
from coordapp.core.time import to_local, utcnow
from coordapp.core.urls import external_url
from coordapp.extensions import db, mail

log = logging.getLogger(__name__)
KINDS = ("invitation", "password_reset", "password_changed", "failed_logins", "two_factor_changed")
_PENDING_KEY = "account_emails_after_commit"


def queue(user: User, kind: str) -> AccountEmail:
    """Add an email for user to the outbox; it is handed to a worker once the transaction commits."""
    if kind not in KINDS:
        raise ValueError(f"unknown account email {kind!r}")
    row = AccountEmail(user=user, recipient_email=user.email, kind=kind, language=user.language or "id")
    db.session.add(row)
    db.session.flush()
    db.session.info.setdefault(_PENDING_KEY, []).append(row.id)
    return row


def sent_recently(user: User, kind: str, hours: int = 1) -> bool:
    """Tell whether an email of this kind went (or waits) to user in the last hours."""
    since = utcnow() - timedelta(hours=hours)
    stmt = db.select(AccountEmail.id).where(
        AccountEmail.user_id == user.id, AccountEmail.kind == kind, AccountEmail.created_dt > since
    )
    return db.session.execute(stmt.limit(1)).first() is not None


def waiting(kind: str) -> set[int]:
    """Return the ids of users with an email of this kind not sent yet."""
    stmt = db.select(AccountEmail.user_id).where(
        AccountEmail.kind == kind, AccountEmail.status.in_(("pending", "sending"))
    )
    return set(db.session.execute(stmt).scalars())


def cancel_pending(user: User, kind: str) -> None:
    """Cancel the emails of this kind not yet sent to user (a revoked invitation)."""
    db.session.execute(
        update(AccountEmail)
        .where(AccountEmail.user_id == user.id, AccountEmail.kind == kind, AccountEmail.status == "pending")
        .values(status="cancelled")
        .execution_options(synchronize_session=False)
    )


def _link(row: AccountEmail, now) -> str | None:
    if row.kind == "invitation":
        return external_url("auth.accept_invitation", token=tokens.new_token(row.user, tokens.INVITE, now))
    if row.kind == "password_reset":
        return external_url("auth.reset_password", token=tokens.new_token(row.user, tokens.RESET, now))
    return None


def render(row: AccountEmail, now) -> EmailMultiAlternatives:
    """Render one account email in its recipient's language (making its one-time link)."""
    with force_locale(row.language):
        subjects = {
            "invitation": _("You are invited to CoordApp"),
            "password_reset": _("Reset your CoordApp password"),
            "password_changed": _("Your CoordApp password was changed"),
            "failed_logins": _("Failed sign-in attempts on your CoordApp account"),
            "two_factor_changed": _("Two-factor sign-in on your CoordApp account changed"),
        }
        context = {
            "user": row.user,
            "kind": row.kind,
            "subject": subjects[row.kind],
            "link": _link(row, now),
            "when": to_local(now),
            "hours": tokens.lifetime(tokens.INVITE).total_seconds() // 3600,
            "minutes": tokens.lifetime(tokens.RESET).total_seconds() // 60,
            "login_url": external_url("auth.login"),
            "forgot_url": external_url("auth.forgot_password"),
            "delivery": SimpleNamespace(language=row.language),
        }
        text = render_template("email/account.txt", **context)
        html = render_template("email/account.html", **context)
    message = EmailMultiAlternatives(
        subject=context["subject"],
        body=text,
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
        to=[row.recipient_email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    return message


def send(email_id: int) -> str:
    """Send one account email if it is still pending; return its final status ('skipped' when not claimed)."""
    claimed = db.session.execute(
        update(AccountEmail)
        .where(AccountEmail.id == email_id, AccountEmail.status == "pending")
        .values(status="sending", attempts=AccountEmail.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if claimed.rowcount != 1:
        return "skipped"
    row = db.session.get(AccountEmail, email_id)
    now = utcnow()
    try:
        message = render(row, now)
        with mail.get_connection(fail_silently=False) as connection:
            connection.send_messages([message])
    except Exception as exc:
        db.session.rollback()
        row = db.session.get(AccountEmail, email_id)
        row.status, row.last_error = "failed", f"{type(exc).__name__}: {exc}"[:2000]
        db.session.commit()
        raise
    row.status, row.sent_dt, row.last_error = "sent", now, ""
    db.session.commit()
    return "sent"


def send_pending() -> int:
    """Send every pending account email in this process (tests, the command line); return how many went."""
    ids = db.session.execute(db.select(AccountEmail.id).where(AccountEmail.status == "pending")).scalars().all()
    sent = 0
    for email_id in ids:
        try:
            sent += send(email_id) == "sent"
        except Exception as exc:  # noqa: BLE001 - recorded on the row; the others still go
            log.warning("account email %s failed: %s", email_id, error_label(exc))  # the text may quote the address
    return sent


SEND_TASK = "coordapp.auth.tasks.send_account_email"


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    ids = session.info.pop(_PENDING_KEY, None)
    if not ids:
        return
    # By name: the tasks module imports this one (send), so importing the task here would be a cycle.
    send_account_email = celery_current_app.tasks[SEND_TASK]
    for email_id in ids:
        try:
            send_account_email.delay(email_id)
        except Exception as exc:  # noqa: BLE001 - the row is committed and stays pending
            log.warning("broker unavailable, account email %s not handed over: %s", email_id, exc)
            return


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)
