"""Meeting emails to stakeholder contacts: invitation, update, cancellation, reminder, minutes.

They leave through the outbox like every email to a contact. The signals of the meetings
feature write the rows inside the change's transaction (``meeting_queue``, sent after commit);
the sweep writes the reminders. At sending time ``still_relevant`` drops a row the meeting outgrew (a newer
version, a cancellation, a meeting that started), and ``render`` builds the email with its
calendar part (the same UID in every version, SEQUENCE from the meeting).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from coordapp.core.urls import external_url
from coordapp.core.visibility import shared_minutes
from coordapp.extensions import db
from coordapp.meetings import ics
from coordapp.meetings.models import Meeting, MinutesRevision
from coordapp.reminders.links import new_reply_token
from coordapp.reminders.models import ReminderDelivery, ReplyToken

CALENDAR_KINDS = {"invitation": "REQUEST", "meeting_update": "REQUEST", "meeting_cancel": "CANCEL"}
RSVP_KINDS = ("invitation", "meeting_update", "meeting_reminder")


@dataclass
class MeetingEmail:
    subject: str
    text: str
    html: str
    unsubscribe_url: str | None
    calendar: bytes | None = None
    method: str | None = None


def version_key(meeting: Meeting) -> str:
    """Return the window key of the meeting's current invitation version."""
    return f"meeting-{meeting.id}-v{meeting.ics_sequence}"


def may_receive(contact) -> bool:
    """Tell whether a contact may be sent meeting emails (active, organisation active, not unsubscribed)."""
    return (
        contact is not None and contact.is_active and contact.organization.is_active and contact.unsubscribed_dt is None
    )


def _revision(delivery: ReminderDelivery) -> MinutesRevision | None:
    revision_id = delivery.window_key.rpartition("-")[2]
    return db.session.get(MinutesRevision, int(revision_id)) if revision_id.isdigit() else None


def still_relevant(delivery: ReminderDelivery, now: datetime) -> bool:
    """Tell whether a meeting email should still go: right version, meeting on, contact still invited."""
    meeting, contact = delivery.meeting, delivery.contact
    if meeting is None or not may_receive(contact):
        return False
    if meeting.is_archived:  # archiving a meeting still to come cancelled it: only that cancellation goes
        return delivery.kind == "meeting_cancel" and delivery.window_key.endswith("-cancel") and meeting.is_cancelled
    attendee = next((a for a in meeting.attendees if a.contact_id == contact.id), None)
    if delivery.kind == "minutes":
        revision = _revision(delivery)
        return attendee is not None and attendee.attended and revision is not None and revision.sent_dt is not None
    if delivery.kind == "meeting_cancel":
        return meeting.is_cancelled if delivery.window_key.endswith("-cancel") else attendee is None
    if attendee is None or meeting.is_cancelled or meeting.start_dt <= now:
        return False
    if delivery.kind in ("invitation", "meeting_update"):
        return delivery.window_key == version_key(meeting)  # an older version: the newer row carries the change
    return True


def rsvp_link(delivery: ReminderDelivery, now: datetime) -> str | None:
    """Create the contact's RSVP link for this meeting (invitations, updates, reminders); None for other kinds."""
    if delivery.kind not in RSVP_KINDS:
        return None
    token, token_hash = new_reply_token()
    days = current_app.config.get("REPLY_TOKEN_DAYS", 14)
    expires = max(now + timedelta(days=days), delivery.meeting.start_dt)  # answerable until the meeting starts
    db.session.add(
        ReplyToken(
            delivery=delivery,
            contact=delivery.contact,
            meeting=delivery.meeting,
            token_hash=token_hash,
            expires_dt=expires,
        )
    )
    return external_url("reminders.rsvp_page", token=token)


def _organizer() -> tuple[str, str]:
    name, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    reply_to = current_app.config.get("MAIL_REPLY_TO")
    return (parseaddr(reply_to)[1] if reply_to else address) or "noreply@coordapp.local", name or "CoordApp"


def _subject(kind: str, meeting: Meeting) -> str:
    titles = {
        "invitation": _("Invitation: %(title)s", title=meeting.title),
        "meeting_update": _("Changed: %(title)s", title=meeting.title),
        "meeting_cancel": _("Cancelled: %(title)s", title=meeting.title),
        "meeting_reminder": _("Reminder: %(title)s", title=meeting.title),
        "minutes": _("Minutes: %(title)s", title=meeting.title),
    }
    return titles[kind]


def render(
    delivery: ReminderDelivery, now: datetime, *, rsvp_url: str | None = None, unsubscribe_url: str | None = None
) -> MeetingEmail:
    """Render a meeting email in the contact's language, with its RSVP and unsubscribe links and calendar part."""
    meeting, contact = delivery.meeting, delivery.contact
    with force_locale(delivery.language or "id"):
        context = {
            "delivery": delivery,
            "meeting": meeting,
            "recipient": contact,
            "rsvp_url": rsvp_url,
            "unsubscribe_url": unsubscribe_url,
            "elections": meeting.election.name,
            # the shared text only: a revision's internal notes never leave the staff
            "minutes_text": shared_minutes(_revision(delivery)) if delivery.kind == "minutes" else "",
            "timezone": meeting.election.timezone,
        }
        subject = _subject(delivery.kind, meeting)
        text = render_template("email/meeting.txt", subject=subject, **context)
        html = render_template("email/meeting.html", subject=subject, **context)
    method = CALENDAR_KINDS.get(delivery.kind)
    calendar = ics.invitation(meeting, method, contact.email, contact.name, _organizer()) if method else None
    return MeetingEmail(subject, text, html, unsubscribe_url, calendar, method)
