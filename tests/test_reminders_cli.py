"""`flask reminders sweep`: one sweep sent in-process; --dry-run changes nothing."""

from datetime import date

from coordapp.extensions import db
from coordapp.reminders.models import ReminderDelivery
from tests import factories


def overdue_for(n: int):
    election = factories.make_election(name="Pilkada Kota Tangerang Selatan 2020")
    contacts = [factories.make_contact() for _ in range(n)]
    for contact in contacts:
        issue = factories.make_issue(election, due_date=date(2020, 10, 1))
        issue.contacts.append(contact)
    db.session.commit()
    return contacts


def test_dry_run_prints_who_would_get_what_and_changes_nothing(smtp_app, smtp_server):
    contacts = overdue_for(2)
    result = smtp_app.test_cli_runner().invoke(args=["reminders", "sweep", "--dry-run", "--now", "2020-10-05T09:00"])
    assert result.exit_code == 0, result.output
    assert all(c.email in result.output for c in contacts)
    assert "2 deliveries would be created" in result.output
    assert db.session.execute(db.select(ReminderDelivery)).first() is None and smtp_server.messages == []


def test_sweep_sends_in_process_once_and_a_second_run_sends_nothing(smtp_app, smtp_server):
    contacts = overdue_for(3)
    runner = smtp_app.test_cli_runner()
    first = runner.invoke(args=["reminders", "sweep", "--now", "2020-10-05T09:00"])
    assert first.exit_code == 0, first.output
    assert "3 new" in first.output and "3 sent" in first.output
    second = runner.invoke(args=["reminders", "sweep", "--now", "2020-10-05T10:00"])
    assert "0 new" in second.output and "0 sent" in second.output
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == sorted(c.email for c in contacts)


def test_now_outside_the_window_sends_nothing_and_a_bad_now_is_refused(smtp_app, smtp_server):
    overdue_for(1)
    runner = smtp_app.test_cli_runner()
    weekend = runner.invoke(args=["reminders", "sweep", "--now", "2020-10-03T09:00"])
    assert "0 due" in weekend.output and smtp_server.messages == []
    bad = runner.invoke(args=["reminders", "sweep", "--now", "tomorrow"])
    assert bad.exit_code != 0 and "ISO 8601" in bad.output
