"""Every Celery task logs one line: its task id, the delivery/message ids it was given or touched, its outcome.

No address, name or token reaches the line, not even from an SMTP refusal that quotes the address.
"""

import logging
from smtplib import SMTPRecipientsRefused, SMTPResponseException
from unittest import mock

import pytest

from coordapp.auth import mail
from coordapp.core.tasklog import error_label, line
from coordapp.extensions import db
from coordapp.mailin import services as mailin
from coordapp.mailin.models import InboundMessage
from coordapp.reminders import batch
from tests import factories
from tests.test_mailin_intake import DOMAIN, fixture, linked

LOGGER = "coordapp.tasks"
HOST = "worker-host-7.kpu.example"


def _task(app, name: str):
    return app.extensions["celery"].tasks[name]


def _run(app, caplog, name: str, *args) -> str:
    """Run the task the way a worker does (through the app's task class) and return its one line."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger=LOGGER):
        result = _task(app, name).apply(args=args)
    lines = [record.getMessage() for record in caplog.records if record.name == LOGGER]
    assert len(lines) == 1, lines
    assert f"task_id={result.id}" in lines[0]
    return lines[0]


def _heartbeat(app):
    return (HOST,), {"outcome=ok"}


def _backup(app):
    app.config["BACKUP_DIR"] = str(app.config["_TMP"] / "backups")
    return (), {"pruned=0"}


def _sweep(app):
    return (), {"planned=0", "delivery_ids=none", "handed_over=0"}


def _send_delivery(app):
    delivery = factories.make_delivery()
    db.session.commit()
    return (delivery.id,), {f"delivery_id={delivery.id}", "attempt=1", "outcome=cancelled"}


def _send_batch(app):
    first, second = factories.make_delivery(), factories.make_delivery()
    db.session.commit()
    ids = sorted([first.id, second.id])
    return (ids,), {f"delivery_ids={ids[0]},{ids[1]}", "attempt=1", "cancelled=2", "sent=0", "outcome=ok"}


def _send_account_email(app):
    user = factories.make_user("staff")
    row = mail.queue(user, "password_reset")
    db.session.commit()
    return (row.id,), {f"email_id={row.id}", "outcome=sent"}


def _send_waiting(app):
    mail.queue(factories.make_user("staff"), "password_changed")
    db.session.commit()
    return (), {"sent=1"}


def _process_message(app):
    app.config["MAIL_REPLY_DOMAIN"] = DOMAIN
    token, _, _ = linked(n=1)
    row_id, _ = mailin.store(fixture("gmail_id.eml", token), [])
    db.session.commit()
    return (row_id,), {f"row_id={row_id}", "outcome=recorded"}


def _fetch_mailbox(app):
    app.config["MAILIN_IMAP_URL"] = ""  # not configured: the task does nothing and says so by its outcome
    return (), {"outcome=ok"}


def _resume(app):
    return (), {"resumed=0", "outcome=ok"}


def _digests(app):
    return (), {"digests=0", "outcome=ok"}


def _commitments_due(app):
    return (), {"notified=0", "outcome=ok"}


TASKS = {
    "coordapp.notifications.tasks.send_daily_digests": _digests,
    "coordapp.notifications.tasks.notify_commitments_due": _commitments_due,
    "coordapp.core.tasks.heartbeat": _heartbeat,
    "coordapp.core.tasks.daily_backup": _backup,
    "coordapp.reminders.tasks.sweep": _sweep,
    "coordapp.reminders.tasks.send_delivery": _send_delivery,
    "coordapp.reminders.tasks.send_batch": _send_batch,
    "coordapp.auth.tasks.send_account_email": _send_account_email,
    "coordapp.auth.tasks.send_waiting_account_emails": _send_waiting,
    "coordapp.mailin.tasks.process_message": _process_message,
    "coordapp.mailin.tasks.resume_waiting": _resume,
    "coordapp.mailin.tasks.fetch_mailbox": _fetch_mailbox,
}


def test_every_task_of_the_app_is_covered_here(app):
    assert {name for name in app.extensions["celery"].tasks if name.startswith("coordapp.")} == set(TASKS)


@pytest.mark.parametrize("name", sorted(TASKS))
def test_each_task_logs_its_id_its_ids_and_its_outcome(app, caplog, tmp_path, name):
    app.config["_TMP"] = tmp_path
    args, expected = TASKS[name](app)
    text = _run(app, caplog, name, *args)
    assert text.startswith(f"task={name.rsplit('.', 1)[-1]} task_id=")
    assert " outcome=" in text
    assert set(text.split()) >= expected
    assert "@" not in text and HOST not in text  # no address, no host name: strings are never logged


def test_a_processed_message_is_recorded_once_the_line_is_written(app, caplog):
    args, _ = _process_message(app)
    _run(app, caplog, "coordapp.mailin.tasks.process_message", *args)
    assert db.session.get(InboundMessage, args[0]).status == "recorded"


def test_a_failing_task_logs_failed_and_the_error_type_without_its_text(app, caplog):
    delivery = factories.make_delivery()
    db.session.commit()
    boom = RuntimeError(f"cannot reach {delivery.recipient_email}")
    with mock.patch("coordapp.reminders.outbox.send", side_effect=boom):
        caplog.clear()
        with caplog.at_level(logging.INFO, logger=LOGGER):
            _task(app, "coordapp.reminders.tasks.send_delivery").apply(args=[delivery.id])
    [text] = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert [r.levelno for r in caplog.records if r.name == LOGGER] == [logging.ERROR]
    assert text.endswith(f"delivery_id={delivery.id} attempt=1 outcome=failed error=RuntimeError")
    assert delivery.recipient_email not in text


def test_a_retried_send_logs_retry_with_the_smtp_code_only(app, caplog):
    delivery = factories.make_delivery()
    db.session.commit()
    refusal = SMTPResponseException(451, f"4.2.1 {delivery.recipient_email} try later")
    with mock.patch("coordapp.reminders.outbox.send", side_effect=refusal):
        caplog.clear()
        with caplog.at_level(logging.INFO, logger=LOGGER):
            _task(app, "coordapp.reminders.tasks.send_delivery").apply(args=[delivery.id])
    lines = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    outcomes = [text.partition(" attempt=")[2] for text in lines]  # one line per attempt, the same task id
    assert outcomes == [f"{n} outcome=retry error=SMTPResponseException/451" for n in range(1, 7)] + [
        "7 outcome=failed error=SMTPResponseException/451"
    ]
    assert len({text.split()[1] for text in lines}) == 1
    assert all(delivery.recipient_email not in text for text in lines)


def test_a_batch_retried_for_one_refused_row_logs_retry_then_gives_the_refused_row_only(app, caplog):
    sent, refused = factories.make_delivery(), factories.make_delivery()
    db.session.commit()
    calls = []

    def send_batch(ids, *, last_try):
        calls.append(list(ids))
        if last_try:  # the last attempt marks the refused row failed instead of pending
            return batch.Outcomes(sent=len(ids) - 1, failed=1)
        outcomes = batch.Outcomes(sent=len(ids) - 1, pending=1)
        outcomes.retry_ids = [refused.id]
        outcomes.error = SMTPResponseException(451, f"4.2.1 {refused.recipient_email} try later")
        return outcomes

    with mock.patch("coordapp.reminders.batch.send_batch", side_effect=send_batch):
        caplog.clear()
        with caplog.at_level(logging.INFO, logger=LOGGER):
            _task(app, "coordapp.reminders.tasks.send_batch").apply(args=[[sent.id, refused.id]])
    lines = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert calls[0] == [sent.id, refused.id] and calls[1:] == [[refused.id]] * 6  # the sent row is not retried
    assert f"delivery_ids={sent.id},{refused.id} attempt=1 sent=1 pending=1" in lines[0]
    assert lines[0].endswith("outcome=retry error=SMTPResponseException/451")
    assert [text.split("attempt=")[1].split()[0] for text in lines] == [str(n) for n in range(1, 8)]
    assert "sent=0 pending=0 failed=1" in lines[-1] and lines[-1].endswith("outcome=ok")
    assert all(refused.recipient_email not in text for text in lines)


def test_error_labels_and_lines_carry_no_text():
    refused = SMTPRecipientsRefused({"budi@bawaslu.example": (550, b"5.1.1 no such user")})
    assert error_label(refused) == "SMTPRecipientsRefused"
    assert error_label(SMTPResponseException(550, "5.1.1 <budi@bawaslu.example>")) == "SMTPResponseException/550"
    rendered = line("x", "id-1", {"delivery_ids": list(range(30)), "email": "budi@bawaslu.example", "ok": True})
    assert (
        rendered == "task=x task_id=id-1 delivery_ids=" + ",".join(map(str, range(20))) + ",...(30) ok=true outcome=ok"
    )
