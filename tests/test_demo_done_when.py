"""Issue 13's "Done when", on the demo: three invitations a calendar accepts, three updates at SEQUENCE 1,
RSVP links that record answers, and a commitment from the minutes in the responsible contact's next digest."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from coordapp.commitments.models import Commitment
from coordapp.core.time import to_local, utcnow
from coordapp.elections.models import Election
from coordapp.extensions import db
from coordapp.meetings.models import Meeting
from coordapp.reminders import outbox, sweep
from coordapp.reminders.models import ReminderDelivery
from coordapp.reminders.policy import indonesian_holidays
from coordapp.stakeholders.models import Contact, Organization
from tests.test_demo_seed import LOGIN_LINE

JAKARTA = ZoneInfo("Asia/Jakarta")
FMT = "%Y-%m-%dT%H:%M"


def _send_meeting_mail(meeting_id: int) -> int:
    ids = db.session.execute(
        db.select(ReminderDelivery.id).filter_by(meeting_id=meeting_id, status="pending")
    ).scalars()
    return outbox.send_many(list(ids))


def _calendar(received) -> Calendar:
    (part,) = [p for p in received.message.walk() if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_content())


def _next_working_morning(after: datetime) -> datetime:
    day = to_local(after).date() + timedelta(days=1)
    holidays = indonesian_holidays(day.year, day.year + 1)
    while day.weekday() >= 5 or day in holidays:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=JAKARTA)


def _three_demo_contacts() -> list[Contact]:
    """A Bawaslu, a Polres and a candidate team's contact, each of another organisation."""
    contacts = []
    for category in ("supervisory", "security", "candidate_team"):
        contact = (
            db.session.execute(
                db.select(Contact)
                .join(Organization)
                .where(Organization.category == category, Contact.is_active.is_(True), Contact.email != "")
                .order_by(Contact.id)
            )
            .scalars()
            .first()
        )
        contacts.append(contact)
    return contacts


def test_done_when_on_the_demo(smtp_app, smtp_server):
    seeded = smtp_app.test_cli_runner().invoke(args=["seed-demo"])
    assert seeded.exit_code == 0, seeded.output
    logins = {role: (email, password) for role, email, password in LOGIN_LINE.findall(seeded.output)}
    election = db.session.execute(
        db.select(Election).filter_by(slug="simulasi-pilkada")
    ).scalar_one()  # the exercise: dated around today
    contacts = _three_demo_contacts()
    assert len({c.organization_id for c in contacts}) == 3
    already = len(smtp_server.messages)

    staff = smtp_app.test_client()
    email, password = logins["staff"]
    assert staff.post("/auth/login", data={"email": email, "password": password}).status_code == 302
    start = (utcnow().astimezone(JAKARTA) + timedelta(days=7)).replace(hour=9, minute=0, second=0, microsecond=0)
    form = {
        "title": "Rakor pengamanan debat publik",
        "election_id": election.id,
        "kind": "rakor",
        "stage_id": "",
        "start": start.strftime(FMT),
        "end": (start + timedelta(hours=2)).strftime(FMT),
        "location": "Aula KPU Kota Tangerang Selatan",
        "agenda": "1. Pembagian tugas pengamanan",
        "contacts": [c.id for c in contacts],
        "send_invitations": "y",
    }
    created = staff.post("/meetings/new", data=form)
    assert created.status_code == 302, re.findall(r"class=\"error[^>]*>([^<]+)", created.get_data(as_text=True))
    meeting = db.session.execute(db.select(Meeting).filter_by(title=form["title"])).scalar_one()

    # Three invitations, each a meeting request a calendar takes: METHOD:REQUEST, one VEVENT, the timezone.
    assert _send_meeting_mail(meeting.id) == 3
    invitations = smtp_server.messages[already:]
    assert sorted(m.rcpt_tos[0] for m in invitations) == sorted(c.email for c in contacts)
    uids = set()
    for received in invitations:
        calendar = _calendar(received)
        (event,) = calendar.walk("VEVENT")
        assert str(calendar["method"]) == "REQUEST" and calendar.walk("VTIMEZONE")
        assert int(event["sequence"]) == 0 and event.decoded("dtstart").astimezone(JAKARTA).hour == 9
        uids.add(str(event["uid"]))
    assert len(uids) == 1

    # The time changes: three updates, SEQUENCE 1, same UID, the new time.
    db.session.refresh(meeting)
    moved = {
        **form,
        "start": (start + timedelta(hours=1)).strftime(FMT),
        "end": (start + timedelta(hours=3)).strftime(FMT),
    }
    edited = staff.post(f"/meetings/{meeting.id}/edit", data={**moved, "version": meeting.version})
    assert edited.status_code == 302, edited.get_data(as_text=True)[:2000]
    assert _send_meeting_mail(meeting.id) == 3
    updates = smtp_server.messages[already + 3 :]
    assert len(updates) == 3
    for received in updates:
        (event,) = _calendar(received).walk("VEVENT")
        assert str(event["uid"]) in uids and int(event["sequence"]) == 1
        assert event.decoded("dtstart").astimezone(JAKARTA).hour == 10

    # Each contact answers through the link of their email, without an account.
    answers = {contacts[0].email: "yes", contacts[1].email: "yes", contacts[2].email: "no"}
    for received in updates:
        text = received.message.get_body(("plain",)).get_content()
        link = re.search(r"https?://[^\s]+/reminders/rsvp/[A-Za-z0-9_-]+", text).group(0)
        path = link.split("coord.example.org", 1)[1]
        visitor = smtp_app.test_client()
        assert visitor.get(path).status_code == 200
        assert visitor.post(path, data={"answer": answers[received.rcpt_tos[0]]}).status_code == 303
    db.session.expire_all()
    recorded = {a.contact.email: a.rsvp for a in db.session.get(Meeting, meeting.id).attendees if a.contact_id}
    assert recorded == answers

    # The meeting takes place (moved into the past: the clock does not wait a week), minutes, a commitment.
    held = db.session.get(Meeting, meeting.id)
    held.start_dt, held.end_dt = utcnow() - timedelta(hours=3), utcnow() - timedelta(hours=1)
    db.session.commit()
    minutes = "Disepakati: Polres menyiapkan 60 personel pengamanan debat."
    assert staff.post(f"/meetings/{meeting.id}/minutes", data={"body": minutes, "base_revision": ""}).status_code == 302
    digest_at = _next_working_morning(utcnow())
    polres = contacts[1]
    commitment = {
        "text": "Polres menyiapkan 60 personel pengamanan debat",
        "organization_id": polres.organization_id,
        "contact_id": polres.id,
        "due_date": (digest_at.date() + timedelta(days=1)).isoformat(),
    }
    made = staff.post(f"/commitments/new/meeting/{meeting.id}", data=commitment)
    assert made.status_code == 302, made.get_data(as_text=True)[:2000]
    assert (
        db.session.execute(db.select(Commitment).filter_by(meeting_id=meeting.id)).scalar_one().contact_id == polres.id
    )

    # The responsible contact's next digest lists it.
    before = len(smtp_server.handler.to(polres.email))
    sweep.run_sweep(digest_at, send=outbox.send_many)
    digests = [m for m in smtp_server.handler.to(polres.email)[before:] if "/reminders/rsvp/" not in str(m.message)]
    assert digests, "no digest for the responsible contact"
    assert any(commitment["text"] in m.message.get_body(("plain",)).get_content() for m in digests)
    print(
        f"\ndone-when: invitations {len(invitations)}, updates {len(updates)} (SEQUENCE 1), "
        f"answers {len(recorded)}, digests with the commitment {len(digests)}"
    )
