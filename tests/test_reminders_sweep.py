"""The sweep: facts in a fixed number of queries, one outbox row per recipient and window, idempotent."""

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.issues.services import add_follow_up, change_status
from coordapp.reminders import outbox, sweep
from coordapp.reminders.models import ReminderDelivery
from tests import factories
from tests.querycount import count_queries

MONDAY_9 = datetime(2020, 10, 5, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def due_issue(election, contacts=(), **overrides):
    values = {"due_date": date(2020, 10, 1)}
    values.update(overrides)
    issue = factories.make_issue(election, **values)
    issue.contacts.extend(contacts)
    return issue


def rows(**filters):
    db.session.expire_all()
    query = db.select(ReminderDelivery).filter_by(**filters).order_by(ReminderDelivery.recipient_email)
    return db.session.execute(query).scalars().all()


def sent_mail() -> list:
    """Return the messages the in-memory mail backend received."""
    return getattr(current_app.extensions["mailman"], "outbox", [])


def send_in_process(ids):
    return outbox.send_many(ids)


def test_sweep_writes_one_digest_per_contact_and_sends_it(app):
    election = factories.make_election()
    alice, bob = factories.make_contact(), factories.make_contact()
    due_issue(election, [alice, bob])
    due_issue(election, [alice])
    db.session.commit()
    result = sweep.run_sweep(MONDAY_9, send=send_in_process)
    assert len(result.created) == 2 and result.handed_over == 2
    sent = rows(kind="digest")
    assert [(d.recipient_email, len(d.issues), d.status) for d in sent] == [
        (alice.email, 2, "sent"),
        (bob.email, 1, "sent"),
    ]
    assert sorted(m.to[0] for m in sent_mail()) == sorted([alice.email, bob.email])


def test_second_sweep_sends_nothing(app):
    election = factories.make_election()
    due_issue(election, [factories.make_contact()])
    db.session.commit()
    sweep.run_sweep(MONDAY_9, send=send_in_process)
    again = sweep.run_sweep(MONDAY_9 + timedelta(hours=2), send=send_in_process)
    assert again.created == [] and again.handed_over == 0
    assert len(sent_mail()) == 1


def test_next_working_day_repeats_only_after_the_interval(app):
    election = factories.make_election()
    due_issue(election, [factories.make_contact()])
    db.session.commit()
    sweep.run_sweep(MONDAY_9, send=send_in_process)
    assert sweep.run_sweep(MONDAY_9 + timedelta(days=1), send=send_in_process).created == []  # normal: every 3 days
    assert len(sweep.run_sweep(MONDAY_9 + timedelta(days=3), send=send_in_process).created) == 1
    assert len(sent_mail()) == 2


def test_sweep_reads_a_fixed_number_of_queries_whatever_the_number_of_issues(app):
    def sweep_queries(n_issues):
        election = factories.make_election(with_stages=False)
        owner = factories.make_user("staff")
        for _ in range(n_issues):
            due_issue(election, [factories.make_contact(), factories.make_contact()], owner=owner)
        db.session.commit()
        with count_queries() as counter:
            sweep.plan(MONDAY_9)
        db.session.rollback()
        return counter.count

    assert sweep_queries(3) == sweep_queries(30)


def test_contacts_who_are_off_unsubscribed_or_inactive_get_nothing(app):
    election = factories.make_election()
    off = factories.make_contact(reminder_mode="off")
    gone = factories.make_contact(unsubscribed_dt=utcnow())
    inactive = factories.make_contact(is_active=False)
    immediate = factories.make_contact(reminder_mode="immediate")
    due_issue(election, [off, gone, inactive, immediate])
    db.session.commit()
    assert [p.recipient_email for p in sweep.plan(MONDAY_9)] == [immediate.email]


def test_owner_digest_and_escalation_after_three_unanswered_reminder_days(app):
    election = factories.make_election()
    owner, manager = factories.make_user("staff"), factories.make_user("manager")
    contact = factories.make_contact()
    due_issue(election, [contact], owner=owner, priority="critical")  # daily, escalates after 2
    db.session.commit()
    first = sweep.run_sweep(MONDAY_9, send=send_in_process)
    assert sorted(p.kind for p in first.planned) == ["digest", "staff_digest"]
    second = sweep.run_sweep(MONDAY_9 + timedelta(days=1), send=send_in_process)
    assert sorted(p.kind for p in second.planned) == ["digest", "staff_digest"]
    third = sweep.run_sweep(MONDAY_9 + timedelta(days=2), send=send_in_process)
    assert [(p.kind, p.recipient_email) for p in third.planned if p.kind == "escalation"] == [
        ("escalation", manager.email)
    ]
    # the escalation resets the count: the next day is not escalated again
    fourth = sweep.run_sweep(MONDAY_9 + timedelta(days=3), send=send_in_process)
    assert "escalation" not in {p.kind for p in fourth.planned}


def test_a_stakeholder_reply_resets_the_unanswered_count(app):
    election = factories.make_election()
    factories.make_user("manager")
    contact = factories.make_contact()
    issue = due_issue(election, [contact], priority="critical")
    db.session.commit()
    sweep.run_sweep(MONDAY_9, send=send_in_process)
    sweep.run_sweep(MONDAY_9 + timedelta(days=1), send=send_in_process)
    add_follow_up(issue, kind="stakeholder_reply", body="Sedang kami proses.", author_contact=contact)
    db.session.commit()
    planned = sweep.plan(MONDAY_9 + timedelta(days=2))
    assert "escalation" not in {p.kind for p in planned}


def test_done_report_stops_contact_reminders_until_staff_move_the_issue(app):
    election = factories.make_election()
    staff = factories.make_user("staff")
    contact = factories.make_contact()
    issue = due_issue(election, [contact], priority="critical")
    reported = datetime(2020, 10, 1, 3, 0, tzinfo=UTC)
    add_follow_up(
        issue,
        kind="stakeholder_reply",
        body="Selesai.",
        author_contact=contact,
        action_done_dt=reported,
        created_dt=reported,
    )
    db.session.commit()
    assert sweep.plan(MONDAY_9) == []
    change_status(issue, "waiting", author_user=staff).created_dt = reported + timedelta(days=1)
    db.session.commit()
    assert [p.recipient_email for p in sweep.plan(MONDAY_9)] == [contact.email]


def test_an_issue_resolved_while_pending_is_dropped_and_an_empty_digest_cancelled(app):
    election = factories.make_election()
    contact = factories.make_contact()
    first, second = due_issue(election, [contact]), due_issue(election, [contact])
    other = factories.make_contact()
    third = due_issue(election, [other])
    db.session.commit()
    result = sweep.run_sweep(MONDAY_9, send=lambda ids: 0)
    for issue in (first, third):
        issue.status = "resolved"
    db.session.commit()
    for delivery_id in result.created:
        outbox.send(delivery_id)
    kept, cancelled = rows(recipient_email=contact.email)[0], rows(recipient_email=other.email)[0]
    assert kept.status == "sent" and [i.id for i in kept.issues] == [second.id]
    assert cancelled.status == "cancelled"
    assert [m.to for m in sent_mail()] == [[contact.email]]


def test_unsubscribing_while_pending_cancels_the_delivery(app):
    election = factories.make_election()
    contact = factories.make_contact()
    due_issue(election, [contact])
    db.session.commit()
    created = sweep.run_sweep(MONDAY_9, send=lambda ids: 0).created
    contact.unsubscribed_dt = utcnow()
    db.session.commit()
    assert outbox.send(created[0]) == "cancelled"
    assert sent_mail() == []


def test_sending_writes_a_reminder_entry_on_each_issue_timeline(app):
    election = factories.make_election()
    contact = factories.make_contact()
    issue = due_issue(election, [contact])
    db.session.commit()
    sweep.run_sweep(MONDAY_9, send=send_in_process)
    db.session.expire_all()
    entries = [f for f in issue.follow_ups if f.kind == "reminder"]
    assert len(entries) == 1 and entries[0].author_contact_id is None and entries[0].author_user_id is None
    assert entries[0].author_name == "CoordApp" and entries[0].body == f"{contact.name} ({contact.organization.label})"
    assert issue.first_response_dt is None  # a reminder is not a response


def test_two_sweeps_at_once_create_each_delivery_once(app):
    """Fault: two beats fire together. Figure: 2 threads x 20 recipients -> 20 rows, 20 emails."""
    election = factories.make_election()
    contacts = [factories.make_contact() for _ in range(20)]
    for contact in contacts:
        due_issue(election, [contact])
    db.session.commit()
    barrier, results, errors = threading.Barrier(2), [], []

    def run():
        with app.app_context():
            try:
                barrier.wait()
                results.append(sweep.run_sweep(MONDAY_9, send=send_in_process))
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(len(r.created) for r in results) == 20
    assert len(rows(kind="digest")) == 20
    assert sorted(m.to[0] for m in sent_mail()) == sorted(c.email for c in contacts)


def test_rows_never_handed_over_are_handed_over_by_the_next_sweep(app):
    election = factories.make_election()
    due_issue(election, [factories.make_contact()])
    db.session.commit()
    first = sweep.run_sweep(MONDAY_9, send=lambda ids: 0)  # e.g. the broker was down
    second = sweep.run_sweep(MONDAY_9, send=send_in_process)
    assert second.created == [] and second.requeued == first.created
    assert len(sent_mail()) == 1


def test_rows_handed_over_recently_are_not_handed_over_twice(app):
    election = factories.make_election()
    due_issue(election, [factories.make_contact()])
    db.session.commit()
    created = sweep.run_sweep(MONDAY_9, send=lambda ids: 0).created
    outbox.hand_over(created, utcnow())
    assert sweep.stale_ids(utcnow()) == []
    assert sweep.stale_ids(utcnow() + timedelta(minutes=16)) == created


def test_a_claimed_row_past_its_lease_is_taken_again(app):
    election = factories.make_election()
    due_issue(election, [factories.make_contact()])
    db.session.commit()
    (delivery_id,) = sweep.run_sweep(MONDAY_9, send=lambda ids: 0).created
    assert outbox.claim(delivery_id, utcnow() - timedelta(minutes=30))  # a worker took it, then died
    assert outbox.send(delivery_id) == "sent"
    assert rows()[0].attempts == 2
    assert outbox.send(delivery_id) == "skipped"
    assert len(sent_mail()) == 1


def test_dry_run_plan_changes_nothing(app):
    election = factories.make_election()
    due_issue(election, [factories.make_contact()])
    db.session.commit()
    assert len(sweep.plan(MONDAY_9)) == 1
    db.session.rollback()
    assert rows() == []


def test_resolved_issue_in_inactive_election_is_not_loaded(app):
    active = factories.make_election()
    old = factories.make_election(is_active=False)
    contact = factories.make_contact()
    due_issue(old, [contact])
    due_issue(active, [contact], status="resolved")
    db.session.commit()
    assert sweep.plan(datetime(2020, 10, 5, 2, 0, tzinfo=UTC)) == []
