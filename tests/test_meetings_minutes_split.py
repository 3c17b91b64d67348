"""Minutes in two parts: the shared text goes to the attendees, the internal notes never leave the staff."""

from datetime import UTC, datetime

from coordapp.extensions import db
from coordapp.meetings import services
from coordapp.meetings.models import MinutesRevision
from coordapp.reminders import outbox
from coordapp.reminders.models import ReminderDelivery
from tests import factories

SHARED = "Disepakati: gudang logistik dijaga 24 jam oleh Polres."
INTERNAL = "Catatan internal: Paslon 2 tampak enggan, pantau diam-diam."


def _login(app, role: str):
    user = factories.make_user(role)
    db.session.commit()
    client = app.test_client()
    client.post("/auth/login", data={"email": user.email, "password": factories.PASSWORD})
    return client


def _held_meeting():
    meeting = factories.make_meeting(
        is_public=True, public_title="Rakor logistik", public_summary="Rapat membahas pengamanan logistik."
    )
    contact = factories.make_contact(email="andi@bawaslu.example.org")
    factories.add_attendee(meeting, contact=contact, attended=True)
    db.session.commit()
    return meeting, contact


def _write_minutes(client, meeting, body: str, notes: str, base=""):
    return client.post(
        f"/meetings/{meeting.id}/minutes", data={"body": body, "internal_notes": notes, "base_revision": base}
    )


def test_staff_write_both_parts_and_read_both_on_the_meeting_page(smtp_app):
    meeting, _ = _held_meeting()
    client = _login(smtp_app, "staff")
    assert _write_minutes(client, meeting, SHARED, INTERNAL).status_code == 302
    (revision,) = db.session.execute(db.select(MinutesRevision)).scalars()
    assert (revision.body, revision.internal_notes) == (SHARED, INTERNAL)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert SHARED in page and INTERNAL in page and "Catatan internal" in page
    editor = client.get(f"/meetings/{meeting.id}/minutes").get_data(as_text=True)
    assert INTERNAL in editor  # the editor opens with both parts


def test_changing_only_the_internal_notes_is_a_new_revision(smtp_app):
    meeting, _ = _held_meeting()
    client = _login(smtp_app, "staff")
    _write_minutes(client, meeting, SHARED, "")
    first = db.session.execute(db.select(MinutesRevision)).scalar_one()
    assert _write_minutes(client, meeting, SHARED, INTERNAL, base=str(first.id)).status_code == 302
    revisions = db.session.execute(db.select(MinutesRevision).order_by(MinutesRevision.version)).scalars().all()
    assert [r.internal_notes for r in revisions] == ["", INTERNAL]


def test_the_minutes_email_carries_the_shared_text_and_never_the_internal_notes(smtp_app, smtp_server):
    meeting, contact = _held_meeting()
    client = _login(smtp_app, "staff")
    _write_minutes(client, meeting, SHARED, INTERNAL)
    revision = db.session.execute(db.select(MinutesRevision)).scalar_one()
    assert client.post(f"/meetings/{meeting.id}/minutes/{revision.id}/send").status_code == 302
    ids = list(db.session.execute(db.select(ReminderDelivery.id)).scalars())
    assert outbox.send_many(ids) == 1
    (received,) = smtp_server.messages
    assert received.rcpt_tos == [contact.email]
    text = received.message.get_body(("plain",)).get_content()
    html = received.message.get_body(("html",)).get_content()
    assert "gudang logistik dijaga" in text and "gudang logistik dijaga" in html
    parts = [p.get_content() for p in received.message.walk() if not p.is_multipart()]
    assert parts and not any("Paslon 2 tampak enggan" in str(part) for part in parts)
    assert not any("Catatan internal" in str(part) for part in parts)


def test_the_public_meeting_page_never_shows_the_internal_notes(smtp_app):
    meeting, _ = _held_meeting()
    author = factories.make_user("staff")
    services.save_minutes(meeting, SHARED, author, None, internal_notes=INTERNAL)
    meeting.published_dt = datetime(2020, 9, 29, tzinfo=UTC)
    db.session.commit()
    response = smtp_app.test_client().get(f"/public/meetings/{meeting.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Rapat membahas pengamanan logistik." in page  # the published meeting is on the page
    assert "Paslon 2 tampak enggan" not in page and "Catatan internal" not in page
