"""Meeting invitations through the outbox and a real SMTP server: calendar parts, updates, cancellation, RSVP."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.meetings import services
from coordapp.meetings.services import MeetingInput
from coordapp.reminders import outbox, sweep
from coordapp.reminders.models import ReminderDelivery, ReplyToken
from tests import factories

JAKARTA = ZoneInfo("Asia/Jakarta")


def _future_start() -> datetime:
    """Next week, 09:00 in Jakarta, as a naive local wall-clock time (what the form gives)."""
    day = (utcnow().astimezone(JAKARTA) + timedelta(days=7)).date()
    return datetime(day.year, day.month, day.day, 9, 0)


def scenario():
    """A coordination meeting next week with three stakeholder contacts."""
    election = factories.make_election()
    staff = factories.make_user("staff", name="Rina Staf")
    contacts = [
        factories.make_contact(name="Andi Bawaslu", email="andi@bawaslu.example.org"),
        factories.make_contact(name="Sari Polres", email="sari@polres.example.org", language="en"),
        factories.make_contact(name="Budi Paslon", email="budi@paslon1.example.org"),
    ]
    db.session.commit()
    start = _future_start()
    data = MeetingInput(
        election_id=election.id,
        title="Rakor pengamanan kampanye",
        kind="rakor",
        start=start,
        end=start + timedelta(hours=2),
        location="Kantor KPU Kota Tangerang Selatan",
        agenda="1. Jadwal kampanye\n2. Protokol kesehatan",
        contact_ids=[c.id for c in contacts],
    )
    meeting = services.save_meeting(None, data, staff, invite=True)
    db.session.commit()
    return meeting, data, staff, contacts


def calendar_of(message) -> Calendar:
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    return Calendar.from_ical(parts[0].get_content())


def event_of(message):
    (event,) = calendar_of(message).walk("VEVENT")
    return event


def send_all() -> int:
    ids = list(db.session.execute(db.select(ReminderDelivery.id).where(ReminderDelivery.status == "pending")).scalars())
    return outbox.send_many(ids)


def test_three_contacts_get_an_invitation_then_an_update_then_a_cancellation(smtp_app, smtp_server):
    meeting, data, staff, contacts = scenario()
    assert send_all() == 3
    invitations = list(smtp_server.messages)
    assert sorted(m.rcpt_tos[0] for m in invitations) == sorted(c.email for c in contacts)
    first = event_of(invitations[0].message)
    assert str(calendar_of(invitations[0].message)["method"]) == "REQUEST"
    assert invitations[0].message.get_body(("calendar",)) is not None or True
    calendar_part = next(p for p in invitations[0].message.walk() if p.get_content_type() == "text/calendar")
    assert calendar_part.get_param("method") == "REQUEST"
    assert int(first["sequence"]) == 0
    start = first.decoded("dtstart")
    assert start.utcoffset() == timedelta(hours=7) and (start.hour, start.minute) == (9, 0)
    assert start.astimezone(UTC).hour == 2
    assert "VTIMEZONE" in calendar_of(invitations[0].message).to_ical().decode()
    assert "mailto:" in str(first["organizer"]) and contacts[0].email in str(
        event_of(smtp_server.handler.to(contacts[0].email)[0].message)["attendee"]
    )

    data.start = data.start + timedelta(hours=1)
    data.end = data.end + timedelta(hours=1)
    services.save_meeting(meeting, data, staff, invite=True)
    db.session.commit()
    assert send_all() == 3
    updates = smtp_server.messages[3:]
    for message in updates:
        event = event_of(message.message)
        assert str(event["uid"]) == str(first["uid"])
        assert int(event["sequence"]) == 1
        assert event.decoded("dtstart").astimezone(JAKARTA).hour == 10

    services.cancel_meeting(meeting, utcnow())
    db.session.commit()
    assert send_all() == 3
    for message in smtp_server.messages[6:]:
        calendar = calendar_of(message.message)
        assert str(calendar["method"]) == "CANCEL"
        (event,) = calendar.walk("VEVENT")
        assert str(event["uid"]) == str(first["uid"]) and int(event["sequence"]) == 2
        assert str(event["status"]) == "CANCELLED"


def test_the_invitation_is_in_the_contact_language_with_text_html_and_calendar(smtp_app, smtp_server):
    meeting, _, _, contacts = scenario()
    send_all()
    (english,) = smtp_server.handler.to("sari@polres.example.org")
    (indonesian,) = smtp_server.handler.to("andi@bawaslu.example.org")
    assert english.message["Subject"] == "Invitation: Rakor pengamanan kampanye"
    assert indonesian.message["Subject"] == "Undangan: Rakor pengamanan kampanye"
    types = {p.get_content_type() for p in english.message.walk()}
    assert {"text/plain", "text/html", "text/calendar"} <= types
    text = english.message.get_body(("plain",)).get_content()
    assert "Kantor KPU Kota Tangerang Selatan" in text and "Jadwal kampanye" in text and "/reminders/rsvp/" in text


def test_two_sweeps_send_one_invitation_each(smtp_app, smtp_server):
    scenario()
    db.session.execute(db.update(ReminderDelivery).values(enqueued_dt=None))  # as if the broker never got them
    db.session.commit()
    sweep.run_sweep(send=outbox.send_many)
    sweep.run_sweep(send=outbox.send_many)
    assert len(smtp_server.messages) == 3
    assert len({m.rcpt_tos[0] for m in smtp_server.messages}) == 3


def test_an_update_before_sending_replaces_the_invitation(smtp_app, smtp_server):
    meeting, data, staff, _ = scenario()
    data.location = "Aula Polres"
    services.save_meeting(meeting, data, staff, invite=True)
    db.session.commit()
    send_all()
    assert len(smtp_server.messages) == 3  # the stale version is dropped: one email each, the newest
    for message in smtp_server.messages:
        assert int(event_of(message.message)["sequence"]) == 1
        assert str(event_of(message.message)["location"]) == "Aula Polres"


def test_a_past_meeting_recorded_after_the_fact_invites_nobody(smtp_app, smtp_server):
    election = factories.make_election()
    staff = factories.make_user("staff")
    contact = factories.make_contact()
    db.session.commit()
    data = MeetingInput(
        election_id=election.id,
        title="Rakor lalu",
        kind="rakor",
        start=datetime(2020, 9, 28, 9),
        end=datetime(2020, 9, 28, 11),
        location="KPU",
        contact_ids=[contact.id],
    )
    services.save_meeting(None, data, staff, invite=True)
    db.session.commit()
    assert db.session.execute(db.select(db.func.count(ReminderDelivery.id))).scalar() == 0


def test_a_contact_taken_off_the_list_gets_a_cancellation_and_a_new_one_an_invitation(smtp_app, smtp_server):
    meeting, data, staff, contacts = scenario()
    send_all()
    newcomer = factories.make_contact(email="rina@dinkes.example.org")
    db.session.commit()
    data.contact_ids = [contacts[0].id, contacts[1].id, newcomer.id]
    services.save_meeting(meeting, data, staff, invite=True)
    db.session.commit()
    assert send_all() == 2
    (removed,) = smtp_server.handler.to(contacts[2].email)[1:]
    assert str(calendar_of(removed.message)["method"]) == "CANCEL"
    (invited,) = smtp_server.handler.to(newcomer.email)
    assert str(calendar_of(invited.message)["method"]) == "REQUEST"
    assert len(smtp_server.handler.to(contacts[0].email)) == 1  # nothing changed for those who stay


def test_the_admin_outbox_lists_and_previews_invitations_without_a_personal_link(smtp_app):
    scenario()
    admin = factories.make_user("admin")
    db.session.commit()
    client = smtp_app.test_client()
    client.post("/auth/login", data={"email": admin.email, "password": factories.PASSWORD})
    page = client.get("/reminders/outbox?kind=invitation").get_data(as_text=True)
    assert page.count("Undangan rapat") >= 3
    delivery = db.session.execute(db.select(ReminderDelivery)).scalars().first()
    preview = client.get(f"/reminders/outbox/{delivery.id}/email.html").get_data(as_text=True)
    assert "Rakor pengamanan kampanye" in preview and "personal-link-hidden" in preview
    assert db.session.execute(db.select(db.func.count()).select_from(ReplyToken)).scalar() == 0
