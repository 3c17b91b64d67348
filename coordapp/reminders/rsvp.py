"""Answering a meeting invitation without an account: the RSVP link of one contact for one meeting.

An RSVP link is a reply token (only its hash is kept) scoped to its contact and its meeting.
``find_rsvp_token`` holds every check in one place: an unknown or tampered link is 404; an
expired one, a revoked one, one whose contact may no longer be written to or is no longer
invited, or one whose meeting was cancelled or has started, is 410. A link never logs in.
"""

from datetime import datetime

from coordapp.audit.services import acting_as
from coordapp.extensions import db
from coordapp.meetings.models import MeetingAttendee
from coordapp.meetings.services import record_rsvp
from coordapp.reminders.links import hash_token
from coordapp.reminders.meeting_emails import may_receive
from coordapp.reminders.models import ReplyToken
from coordapp.reminders.replies import LinkGone


def find_rsvp_token(raw: str, now: datetime) -> tuple[ReplyToken, MeetingAttendee]:
    """Return the live RSVP token of a link and the invitation it answers, or raise LinkGone (with its reason)."""
    if not raw or len(raw) > 200:
        raise LinkGone("unknown")
    token = db.session.execute(db.select(ReplyToken).filter_by(token_hash=hash_token(raw))).scalar_one_or_none()
    if token is None or token.meeting_id is None:
        raise LinkGone("unknown")
    meeting = token.meeting
    attendee = next((a for a in meeting.attendees if a.contact_id == token.contact_id), None)
    if token.revoked_dt is not None or not may_receive(token.contact):
        raise LinkGone("unsubscribed" if token.contact.unsubscribed_dt is not None else "revoked")
    if token.expires_dt <= now:
        raise LinkGone("expired")
    if attendee is None or meeting.is_cancelled or meeting.is_archived or meeting.start_dt <= now:
        raise LinkGone("nothing_left")
    return token, attendee


def answer(token: ReplyToken, attendee: MeetingAttendee, response: str, now: datetime) -> None:
    """Record the contact's answer on the attendance list, attributed to the contact in the audit trail."""
    with acting_as(None, label=token.contact.email):
        record_rsvp(attendee, response, now)
        token.used_dt = now
        db.session.flush()
