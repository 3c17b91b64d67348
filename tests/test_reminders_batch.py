"""Batch sending to a real SMTP server (aiosmtpd): one claim and one commit per batch, each email once."""

import threading
from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import event

from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.reminders import batch, outbox, sweep
from coordapp.reminders.models import ReminderDelivery, ReplyToken
from coordapp.stakeholders.models import Contact
from tests import factories
from tests.querycount import count_queries

MONDAY_9 = datetime(2020, 10, 5, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def planned(n: int) -> tuple[list, list[int]]:
    """n contacts, each responsible for an overdue issue; the sweep's rows, not sent yet."""
    election = factories.make_election(with_stages=False)
    contacts = []
    for i in range(n):
        contact = factories.make_contact(email=f"penghubung{i:03d}@example.org")
        issue = factories.make_issue(election, due_date=date(2020, 10, 1))
        issue.contacts.append(contact)
        contacts.append(contact)
    db.session.commit()
    return contacts, sweep.run_sweep(MONDAY_9, send=lambda ids: 0).created


def statuses() -> Counter:
    db.session.expire_all()
    return Counter(db.session.execute(db.select(ReminderDelivery.status)).scalars())


def test_a_batch_sends_each_row_once_with_its_message_id_and_timeline_entry(smtp_app, smtp_server):
    contacts, ids = planned(5)
    assert batch.send_many(ids, batch=2) == 5
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == sorted(c.email for c in contacts)
    rows = db.session.execute(db.select(ReminderDelivery)).scalars().all()
    assert {r.status for r in rows} == {"sent"} and {r.attempts for r in rows} == {1}
    assert {m.message["Message-ID"].strip() for m in smtp_server.messages} == {r.message_id for r in rows}
    assert len({r.message_id for r in rows}) == 5
    assert all(f"reminder-{r.id}@" in r.message_id for r in rows)
    issue = rows[0].issues[0]
    assert [f.kind for f in issue.follow_ups] == ["reminder"]
    assert batch.send_many(ids) == 0  # sent rows are never claimed again
    assert len(smtp_server.messages) == 5


def test_a_batch_claims_and_commits_once_not_per_email(smtp_app, smtp_server):
    _, ids = planned(12)
    commits = []

    def committed(connection):
        commits.append(connection)

    event.listen(db.engine, "commit", committed)  # a real COMMIT, not a savepoint's release
    try:
        with count_queries() as counted:
            assert batch.send_batch(ids)["sent"] == 12
    finally:
        event.remove(db.engine, "commit", committed)
    assert len(commits) == 2  # the claim, then the whole batch: not two per email
    claims = [s for s in counted.statements if s.startswith("UPDATE reminder_deliveries") and "coalesce" in s]
    assert len(claims) == 1  # one claim for the twelve rows
    assert len(smtp_server.messages) == 12


def test_two_senders_over_the_same_rows_send_each_email_exactly_once(smtp_app, smtp_server):
    """Fault: two workers get the same ids at once. Figure: 2 senders x 40 rows -> 40 emails, one per recipient."""
    contacts, ids = planned(40)
    barrier, sent, errors = threading.Barrier(2), [], []

    def sender(order):
        with smtp_app.app_context():
            try:
                barrier.wait()
                sent.append(batch.send_many(order, batch=10))
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=sender, args=(o,)) for o in (ids, list(reversed(ids)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert sum(sent) == 40
    per_recipient = Counter(m.rcpt_tos[0] for m in smtp_server.messages)
    assert set(per_recipient) == {c.email for c in contacts} and set(per_recipient.values()) == {1}
    assert statuses() == Counter({"sent": 40})


def test_a_refusal_fails_only_its_row_and_the_rest_of_the_batch_is_sent(smtp_app, smtp_server):
    contacts, ids = planned(4)
    smtp_server.handler.fail_next(1, "451 4.3.0 Local error")
    assert batch.send_batch(ids, last_try=False)["sent"] == 3
    assert statuses() == Counter({"sent": 3, "pending": 1})  # pending: the sweep hands it over again
    failed = db.session.execute(db.select(ReminderDelivery).filter_by(status="pending")).scalar_one()
    assert "451" in failed.last_error
    tokens = db.select(db.func.count()).select_from(ReplyToken).filter_by(delivery_id=failed.id)
    assert db.session.execute(tokens).scalar() == 0  # its reply link was rolled back with it
    assert batch.send_batch([failed.id])["sent"] == 1
    assert failed.attempts == 2 and len(smtp_server.messages) == 4


def test_a_permanent_refusal_marks_the_row_failed_and_the_address_bounced(smtp_app, smtp_server):
    contacts, ids = planned(3)
    smtp_server.handler.fail_next(1, "550 5.1.1 No such user")
    outcome = batch.send_batch(ids, last_try=False)
    assert outcome["sent"] == 2 and outcome["failed"] == 1
    row = db.session.execute(db.select(ReminderDelivery).filter_by(status="failed")).scalar_one()
    assert db.session.get(Contact, row.contact_id).bounced_dt is not None
    assert len(smtp_server.messages) == 2


def test_rows_another_sender_holds_are_skipped(smtp_app, smtp_server):
    _, ids = planned(3)
    assert batch.claim_many(ids[:1], utcnow()) == ids[:1]  # a live worker holds the first
    outcome = batch.send_batch(ids)
    assert outcome["skipped"] == 1 and outcome["sent"] == 2
    assert len(smtp_server.messages) == 2


def test_the_send_task_retries_only_the_refused_row_and_sends_each_email_once(smtp_app, smtp_server):
    contacts, ids = planned(3)
    smtp_server.handler.fail_next(1, "451 4.3.0 Local error")
    smtp_app.extensions["celery"].tasks["coordapp.reminders.tasks.send_batch"].apply(args=[ids])
    per_recipient = Counter(m.rcpt_tos[0] for m in smtp_server.messages)
    assert set(per_recipient) == {c.email for c in contacts} and set(per_recipient.values()) == {1}
    rows = db.session.execute(db.select(ReminderDelivery).order_by(ReminderDelivery.id)).scalars().all()
    assert [r.status for r in rows] == ["sent"] * 3
    assert [r.attempts for r in rows] == [2, 1, 1]  # the first was refused, then retried alone
    assert smtp_server.handler.refusals == 1


def test_rows_are_handed_over_in_batches_already_committed_so_a_quick_worker_finds_them_free(smtp_app, monkeypatch):
    """A worker claiming at once skips rows still locked by the sweep's update: the update commits first."""
    smtp_app.config["REMINDER_SEND_BATCH"] = 2
    _, ids = planned(5)
    seen = []

    def enqueue(chunk):
        with db.engine.connect() as other:  # what a worker's connection sees right now
            marked = other.execute(
                db.select(ReminderDelivery.id).where(
                    ReminderDelivery.id.in_(chunk), ReminderDelivery.enqueued_dt.is_not(None)
                )
            ).scalars()
            seen.append((list(chunk), sorted(marked)))

    monkeypatch.setattr(outbox, "_enqueue", enqueue)
    assert outbox.hand_over(ids, utcnow()) == 5
    assert [chunk for chunk, _ in seen] == [ids[0:2], ids[2:4], ids[4:5]]
    assert all(chunk == marked for chunk, marked in seen)
