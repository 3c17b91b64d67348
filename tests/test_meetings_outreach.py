"""Meeting reminders (one, the working day before, never late or for a cancelled meeting) and minutes sent."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from coordapp.extensions import db
from coordapp.meetings import services
from coordapp.reminders import outbox, sweep
from coordapp.reminders.models import ReminderDelivery, SendingWindow
from coordapp.reminders.planner import MeetingFacts, Policy, Recipient, plan_meeting_reminders
from tests import factories

JAKARTA = ZoneInfo("Asia/Jakarta")
# A meeting still to come by the real clock (the outbox checks "not started yet" when it sends).
TUESDAY_9 = datetime(2027, 10, 5, 9, 0, tzinfo=JAKARTA)
MONDAY_10 = datetime(2027, 10, 4, 10, 0, tzinfo=JAKARTA)


def upcoming_meeting():
    """A meeting on Tuesday 5 October 2027, 09:00 WIB, with two invited contacts."""
    meeting = factories.make_meeting(start_dt=TUESDAY_9)
    first, second = factories.make_contact(), factories.make_contact(language="en")
    factories.add_attendee(meeting, contact=first, attended=False)
    factories.add_attendee(meeting, contact=second, attended=False)
    db.session.commit()
    return meeting, first, second


def test_each_invitee_gets_one_reminder_the_working_day_before(smtp_app, smtp_server):
    meeting, first, second = upcoming_meeting()
    sweep.run_sweep(datetime(2027, 10, 1, 10, 0, tzinfo=JAKARTA), send=outbox.send_many)  # Friday: too early
    assert smtp_server.messages == []
    sweep.run_sweep(MONDAY_10, send=outbox.send_many)
    sweep.run_sweep(datetime(2027, 10, 4, 14, 0, tzinfo=JAKARTA), send=outbox.send_many)
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == sorted([first.email, second.email])
    english = smtp_server.handler.to(second.email)[0].message
    assert english["Subject"] == f"Reminder: {meeting.title}"
    assert "/reminders/rsvp/" in english.get_body(("plain",)).get_content()


def test_no_reminder_for_a_cancelled_meeting(smtp_app, smtp_server):
    meeting, _, _ = upcoming_meeting()
    meeting.cancelled_dt = datetime(2027, 10, 1, tzinfo=JAKARTA)
    db.session.commit()
    sweep.run_sweep(MONDAY_10, send=outbox.send_many)
    assert smtp_server.messages == []


def test_no_reminder_once_the_meeting_started(smtp_app, smtp_server):
    upcoming_meeting()
    sweep.run_sweep(datetime(2027, 10, 5, 10, 0, tzinfo=JAKARTA), send=outbox.send_many)
    assert smtp_server.messages == []


def test_a_reminder_waiting_when_the_meeting_is_cancelled_is_dropped(smtp_app, smtp_server):
    meeting, _, _ = upcoming_meeting()
    result = sweep.run_sweep(MONDAY_10, send=lambda ids: 0)
    assert len(result.created) == 2
    meeting.cancelled_dt = datetime(2027, 10, 4, 4, 0, tzinfo=JAKARTA)
    db.session.commit()
    outbox.send_many(result.created)
    assert smtp_server.messages == []
    assert set(db.session.execute(db.select(ReminderDelivery.status)).scalars()) == {"cancelled"}


def test_the_admin_setting_moves_or_stops_the_reminder(smtp_app, smtp_server):
    upcoming_meeting()
    db.session.add(SendingWindow(meeting_reminder_days=0))
    db.session.commit()
    sweep.run_sweep(MONDAY_10, send=outbox.send_many)
    assert smtp_server.messages == []


@pytest.mark.parametrize(
    ("now", "days", "due"),
    [
        (datetime(2020, 10, 2, 9, tzinfo=JAKARTA), 1, True),  # Friday is the working day before Monday 5 Oct
        (datetime(2020, 10, 3, 9, tzinfo=JAKARTA), 1, False),  # Saturday: outside the sending window
        (datetime(2020, 10, 1, 9, tzinfo=JAKARTA), 1, False),
        (datetime(2020, 10, 1, 9, tzinfo=JAKARTA), 2, True),
    ],
)
def test_the_planner_counts_working_days(now, days, due):
    meeting = MeetingFacts(id=1, start_dt=datetime(2020, 10, 5, 9, tzinfo=JAKARTA), contact_ids=(7,))
    planned = plan_meeting_reminders([meeting], [Recipient(7, "a@example.org")], Policy(), now, frozenset(), days)
    assert bool(planned) is due


def test_minutes_go_once_per_revision_to_the_contacts_who_attended(smtp_app, smtp_server):
    meeting = factories.make_meeting()
    came, absent = factories.make_contact(), factories.make_contact()
    factories.add_attendee(meeting, contact=came, attended=True)
    factories.add_attendee(meeting, contact=absent, attended=False)
    first = factories.add_minutes(meeting, body="Disepakati: **gudang logistik dijaga** 24 jam.")
    db.session.commit()
    services.send_minutes(meeting, first, datetime.now(JAKARTA))
    db.session.commit()
    outbox.send_many(list(db.session.execute(db.select(ReminderDelivery.id)).scalars()))
    (received,) = smtp_server.messages
    assert received.rcpt_tos == [came.email]
    assert "gudang logistik dijaga" in received.message.get_body(("plain",)).get_content()
    with pytest.raises(services.MeetingError):
        services.send_minutes(meeting, first, datetime.now(JAKARTA))
    second = factories.add_minutes(meeting, body="Revisi: ditambah jadwal patroli.")
    db.session.commit()
    services.send_minutes(meeting, second, datetime.now(JAKARTA))
    db.session.commit()
    outbox.send_many([r.id for r in db.session.execute(db.select(ReminderDelivery)).scalars() if r.status == "pending"])
    assert len(smtp_server.handler.to(came.email)) == 2
    assert smtp_server.handler.to(absent.email) == []
