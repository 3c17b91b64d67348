"""Archiving a meeting still to come calls it off for the invitees' calendars; a past one goes silently."""

from datetime import timedelta

from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.meetings import services
from coordapp.reminders.models import ReminderDelivery
from tests import factories
from tests.test_meetings_invitations import calendar_of, scenario, send_all


def _archive_through_the_page(app, meeting) -> str:
    manager = factories.make_user("manager")
    db.session.commit()
    client = app.test_client()
    client.post("/auth/login", data={"email": manager.email, "password": factories.PASSWORD})
    response = client.post(f"/meetings/{meeting.id}/archive", follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_archiving_a_future_meeting_sends_each_invitee_the_cancellation(smtp_app, smtp_server):
    meeting, _, _, contacts = scenario()
    assert send_all() == 3
    (uid,) = {str(calendar_of(m.message).walk("VEVENT")[0]["uid"]) for m in smtp_server.messages}

    page = _archive_through_the_page(smtp_app, meeting)
    assert "Rapat diarsipkan dan dibatalkan." in page
    assert send_all() == 3
    cancellations = smtp_server.messages[3:]
    assert sorted(m.rcpt_tos[0] for m in cancellations) == sorted(c.email for c in contacts)
    for message in cancellations:
        calendar = calendar_of(message.message)
        (event,) = calendar.walk("VEVENT")
        assert str(calendar["method"]) == "CANCEL"
        assert str(event["uid"]) == uid and int(event["sequence"]) == 1
        assert str(event["status"]) == "CANCELLED"
    db.session.refresh(meeting)
    assert meeting.is_archived and meeting.is_cancelled


def test_archiving_sends_the_same_cancellation_as_cancel_meeting(smtp_app, smtp_server):
    cancelled, data, staff, _ = scenario()
    archived = services.save_meeting(None, data, staff, invite=True)  # the same meeting, a second time
    db.session.commit()
    assert send_all() == 6
    services.cancel_meeting(cancelled, utcnow())
    services.set_archived(archived, True, utcnow())
    db.session.commit()
    assert send_all() == 6

    def parts(meeting_id):
        found = []
        for message in smtp_server.messages[6:]:
            calendar = calendar_of(message.message)
            (event,) = calendar.walk("VEVENT")
            if str(event["uid"]).startswith(f"meeting-{meeting_id}@"):
                found.append(
                    (message.rcpt_tos[0], str(calendar["method"]), str(event["status"]), int(event["sequence"]))
                )
        return sorted(found)

    assert len(parts(cancelled.id)) == 3
    assert parts(archived.id) == parts(cancelled.id)


def test_archiving_a_past_meeting_sends_nothing(smtp_app, smtp_server):
    meeting, _, _, _ = scenario()
    assert send_all() == 3
    meeting.start_dt = utcnow() - timedelta(days=1)
    meeting.end_dt = meeting.start_dt + timedelta(hours=2)
    db.session.commit()
    _archive_through_the_page(smtp_app, meeting)
    assert send_all() == 0
    assert len(smtp_server.messages) == 3
    db.session.refresh(meeting)
    assert meeting.is_archived and not meeting.is_cancelled and meeting.ics_sequence == 0


def test_invitees_who_never_got_an_invitation_get_no_cancellation(smtp_app, smtp_server):
    meeting, _, _, _ = scenario()
    db.session.execute(db.delete(ReminderDelivery))  # as if "Email the stakeholder attendees" was left unticked
    db.session.commit()
    services.set_archived(meeting, True, utcnow())
    db.session.commit()
    assert send_all() == 0 and smtp_server.messages == []
