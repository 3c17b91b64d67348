"""Meeting emails into the outbox: the meetings feature's signals write one row per invitee, sent after commit.

Kept apart from ``meeting_emails`` (which renders them): the outbox renders through that module,
and this one writes through the outbox.
"""

from sqlalchemy.orm import Session

from coordapp.extensions import db
from coordapp.meetings.models import Meeting, MinutesRevision
from coordapp.meetings.services import invitations_due, minutes_shared
from coordapp.reminders import outbox
from coordapp.reminders.meeting_emails import version_key
from coordapp.reminders.models import ReminderDelivery

# An invitation or update in one of these states may be in the contact's calendar: a cancellation must follow it.
REACHED = ("sent", "sending")


def _queue(session: Session, meeting: Meeting, kind: str, key: str, contacts) -> None:
    for contact in contacts:
        outbox.add(
            session,
            kind=kind,
            email=contact.email,
            window_key=key,
            issue_ids=[],
            language=contact.language,
            contact_id=contact.id,
            meeting_id=meeting.id,
        )


def invited_contact_ids(meeting: Meeting) -> set[int]:
    """Return the contacts an invitation or update of this meeting went to (or is going to right now)."""
    return set(
        db.session.execute(
            db.select(ReminderDelivery.contact_id).where(
                ReminderDelivery.meeting_id == meeting.id,
                ReminderDelivery.kind.in_(("invitation", "meeting_update")),
                ReminderDelivery.status.in_(REACHED),
            )
        ).scalars()
    )


@invitations_due.connect
def queue_invitations(meeting: Meeting, new_contact_ids=(), moved=False, cancelled=False, removed_contacts=()) -> None:
    """Write the invitations, updates or cancellations a meeting change calls for (sent after commit)."""
    contacts = [a.contact for a in meeting.attendees if a.contact_id]
    if cancelled:
        reached = invited_contact_ids(meeting)
        _queue(
            db.session,
            meeting,
            "meeting_cancel",
            f"meeting-{meeting.id}-cancel",
            [c for c in contacts if c.id in reached],
        )
        return
    # Someone taken off the list: the event leaves their calendar.
    _queue(
        db.session, meeting, "meeting_cancel", f"meeting-{meeting.id}-removed-v{meeting.ics_sequence}", removed_contacts
    )
    new = set(new_contact_ids)
    _queue(db.session, meeting, "invitation", version_key(meeting), [c for c in contacts if c.id in new])
    if moved:
        _queue(db.session, meeting, "meeting_update", version_key(meeting), [c for c in contacts if c.id not in new])


@minutes_shared.connect
def queue_minutes(meeting: Meeting, revision: MinutesRevision) -> None:
    """Write one minutes email per contact who attended (sent after commit)."""
    attended = [a.contact for a in meeting.attendees if a.contact_id and a.attended]
    _queue(db.session, meeting, "minutes", f"minutes-{revision.id}", attended)
