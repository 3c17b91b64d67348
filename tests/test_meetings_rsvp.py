"""RSVP without an account: the link in the invitation records the answer; a bad link changes nothing."""

import re
from datetime import timedelta

from coordapp.audit.models import AuditEvent
from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.meetings.models import MeetingAttendee
from coordapp.reminders.models import ReplyToken
from tests import factories
from tests.test_meetings_invitations import scenario, send_all


def rsvp_link(smtp_server, email: str) -> str:
    (received,) = smtp_server.handler.to(email)
    text = received.message.get_body(("plain",)).get_content()
    return re.search(r"https://coord\.example\.org(/reminders/rsvp/\S+)", text).group(1)


def answers(meeting) -> dict[str, str | None]:
    db.session.expire_all()
    rows = db.session.execute(db.select(MeetingAttendee).where(MeetingAttendee.meeting_id == meeting.id)).scalars()
    return {a.contact.email: a.rsvp for a in rows}


def test_a_contact_answers_from_the_email_and_staff_see_it(smtp_app, smtp_server):
    meeting, _, staff, contacts = scenario()
    send_all()
    client = smtp_app.test_client()
    path = rsvp_link(smtp_server, contacts[0].email)
    page = client.get(path)
    assert page.status_code == 200 and "Rakor pengamanan kampanye" in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert answers(meeting)[contacts[0].email] is None  # opening the link changes nothing
    response = client.post(path, data={"answer": "yes"})
    assert response.status_code == 303
    assert answers(meeting) == {contacts[0].email: "yes", contacts[1].email: None, contacts[2].email: None}
    events = db.session.execute(db.select(AuditEvent).where(AuditEvent.entity_type == "meetings")).scalars().all()
    assert any("rsvp_yes_contacts" in (e.changes or {}) and e.actor_label == contacts[0].email for e in events)
    client.post(rsvp_link(smtp_server, contacts[1].email), data={"answer": "no"})
    assert answers(meeting)[contacts[1].email] == "no"
    staff_client = smtp_app.test_client()
    staff_client.post("/auth/login", data={"email": staff.email, "password": factories.PASSWORD})
    detail = staff_client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert 'data-rsvp="yes"' in detail and 'data-rsvp="no"' in detail


def test_a_tampered_link_is_unknown_and_changes_nothing(smtp_app, smtp_server):
    meeting, _, _, contacts = scenario()
    send_all()
    path = rsvp_link(smtp_server, contacts[0].email)
    client = smtp_app.test_client()
    assert client.post(path[:-2] + "xx", data={"answer": "yes"}).status_code == 404
    assert client.get(path[:-2] + "xx").status_code == 404
    assert set(answers(meeting).values()) == {None}


def test_an_expired_link_is_gone_and_changes_nothing(smtp_app, smtp_server):
    meeting, _, _, contacts = scenario()
    send_all()
    path = rsvp_link(smtp_server, contacts[0].email)
    db.session.execute(db.update(ReplyToken).values(expires_dt=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert smtp_app.test_client().post(path, data={"answer": "yes"}).status_code == 410
    assert set(answers(meeting).values()) == {None}


def test_a_revoked_link_is_gone_contact_deactivated_or_meeting_cancelled(smtp_app, smtp_server):
    meeting, _, _, contacts = scenario()
    send_all()
    client = smtp_app.test_client()
    first, second = rsvp_link(smtp_server, contacts[0].email), rsvp_link(smtp_server, contacts[1].email)
    contacts[0].is_active = False
    db.session.commit()
    assert client.post(first, data={"answer": "yes"}).status_code == 410
    meeting.cancelled_dt = utcnow()
    db.session.commit()
    assert client.post(second, data={"answer": "yes"}).status_code == 410
    assert set(answers(meeting).values()) == {None}


def test_an_rsvp_link_opens_no_issue_reply_page_and_a_bad_answer_is_refused(smtp_app, smtp_server):
    meeting, _, _, contacts = scenario()
    send_all()
    path = rsvp_link(smtp_server, contacts[0].email)
    client = smtp_app.test_client()
    assert client.get(path.replace("/rsvp/", "/r/")).status_code == 404
    assert client.post(path, data={"answer": "maybe"}).status_code == 422
    assert set(answers(meeting).values()) == {None}
