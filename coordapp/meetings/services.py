"""Meeting rules: creating and editing meetings, attendance, minutes, archiving.

Callers commit. Every check runs before anything changes, so a refused request
leaves the session as it found it.
"""

from dataclasses import dataclass, field
from datetime import datetime

from blinker import Namespace
from flask_babel import lazy_gettext as _  # messages are read in the request that shows them
from sqlalchemy.exc import IntegrityError

from coordapp.auth.access import has_role
from coordapp.auth.models import User
from coordapp.core.time import local_to_utc, to_local, utcnow
from coordapp.elections.models import Election, Stage
from coordapp.extensions import db
from coordapp.meetings.models import KINDS, RSVP_ANSWERS, Meeting, MeetingAttendee, MinutesRevision
from coordapp.stakeholders.models import Contact, Organization

TITLE_MAX = 200
PLACE_MAX = 200
URL_MAX = 500
AGENDA_MAX = 20_000
MINUTES_MAX = 100_000

# What the meetings feature tells the features above it (the outbox writes the invitees' emails).
# Receivers run inside the caller's transaction, so a rolled-back change sends nothing.
signals = Namespace()
invitations_due = signals.signal("meeting-invitations-due")  # sender: meeting; contact_ids: who gets which kind
minutes_shared = signals.signal("meeting-minutes-shared")  # sender: meeting; revision


class MeetingError(ValueError):
    """A request about a meeting that breaks a rule; the message is for the user."""


class MeetingInputError(MeetingError):
    """Meeting data with problems, one translated message per form field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class MeetingInput:
    """What a user gives for a meeting; times are wall-clock times in the election's timezone."""

    election_id: int | None
    title: str
    kind: str
    start: datetime | None
    end: datetime | None
    stage_id: int | None = None  # None: the stage whose dates contain the meeting's date
    location: str = ""
    online_url: str = ""
    agenda: str = ""
    organization_ids: list[int] = field(default_factory=list)
    contact_ids: list[int] = field(default_factory=list)
    user_ids: list[int] = field(default_factory=list)
    is_public: bool | None = None  # None: leave as it is (only managers set it)


def _fetch(model, ids: list[int]) -> tuple[list, bool]:
    """Return the rows with these ids and whether every id was found."""
    wanted = set(ids)
    if not wanted:
        return [], True
    rows = db.session.execute(db.select(model).where(model.id.in_(wanted))).scalars().all()
    return list(rows), len(rows) == len(wanted)


def _check(data: MeetingInput, actor: User) -> tuple[dict, dict]:
    """Check data; return (errors by field, the rows it names)."""
    errors: dict[str, str] = {}
    election = db.session.get(Election, data.election_id) if data.election_id is not None else None
    if election is None:
        errors["election_id"] = _("Choose an election.")
    stage = db.session.get(Stage, data.stage_id) if data.stage_id is not None else None
    if data.stage_id is not None and (stage is None or election is None or stage.election_id != election.id):
        errors["stage_id"] = _("This stage does not belong to the chosen election.")
    if not data.title.strip():
        errors["title"] = _("Give the meeting a title.")
    if data.kind not in KINDS:
        errors["kind"] = _("Choose a kind of meeting.")
    if data.start is None:
        errors["start"] = _("Give the start date and time.")
    if data.end is None:
        errors["end"] = _("Give the end date and time.")
    elif data.start is not None and data.end <= data.start:
        errors["end"] = _("The meeting must end after it starts.")
    if not data.location.strip() and not data.online_url.strip():
        errors["location"] = _("Give a place or an online link.")
    if data.is_public is not None and not has_role(actor, "manager"):
        errors["is_public"] = _("Only managers may publish a meeting.")
    return errors, {"election": election, "stage": stage, **_check_attendees(data, errors)}


def _check_attendees(data: MeetingInput, errors: dict[str, str]) -> dict:
    """Fetch the organizations and people data names, adding an error for any that does not exist."""
    organizations, all_found = _fetch(Organization, data.organization_ids)
    if not all_found:
        errors["organizations"] = _("One of the chosen organizations does not exist.")
    contacts, all_found = _fetch(Contact, data.contact_ids)
    if not all_found:
        errors["contacts"] = _("One of the chosen contacts does not exist.")
    users, all_found = _fetch(User, data.user_ids)
    if not all_found:
        errors["users"] = _("One of the chosen staff members does not exist.")
    return {"organizations": organizations, "contacts": contacts, "users": users}


def _sync_attendees(meeting: Meeting, contacts: list[Contact], users: list[User], now: datetime) -> None:
    """Make the attendee list match the chosen people, keeping the attended flags of those who stay."""
    contact_ids = {c.id for c in contacts}
    user_ids = {u.id for u in users}
    meeting.attendees = [
        a for a in meeting.attendees if (a.contact_id in contact_ids if a.contact_id else a.user_id in user_ids)
    ]
    present_contacts = {a.contact_id for a in meeting.attendees if a.contact_id}
    present_users = {a.user_id for a in meeting.attendees if a.user_id}
    # Invitees of a meeting still to come have not attended yet; for a past one, assume they did.
    attended = meeting.start_dt <= now
    for contact in contacts:
        if contact.id not in present_contacts:
            meeting.attendees.append(MeetingAttendee(contact=contact, attended=attended))
    for user in users:
        if user.id not in present_users:
            meeting.attendees.append(MeetingAttendee(user=user, attended=attended))


def ensure_editable(meeting: Meeting) -> None:
    """Refuse changes to an archived meeting (a manager restores it first)."""
    if meeting.is_archived:
        raise MeetingError(_("This meeting is archived. A manager can restore it."))


def save_meeting(
    meeting: Meeting | None, data: MeetingInput, actor: User, now: datetime | None = None, *, invite: bool = False
) -> Meeting:
    """Create a meeting (meeting None) or change one, after checking every rule; invite: email the contacts."""
    if meeting is not None:
        ensure_editable(meeting)
    before = _invitation_state(meeting)
    removed = [a.contact for a in meeting.attendees if a.contact_id] if meeting is not None else []
    errors, rows = _check(data, actor)
    if errors:
        raise MeetingInputError(errors)
    election: Election = rows["election"]
    if meeting is None:
        meeting = Meeting(created_by=actor)
        db.session.add(meeting)
    meeting.election = election
    meeting.title = data.title.strip()
    meeting.kind = data.kind
    meeting.start_dt = local_to_utc(data.start, election.timezone)
    meeting.end_dt = local_to_utc(data.end, election.timezone)
    meeting.stage = rows["stage"] or election.stage_on(data.start.date())
    meeting.location = data.location.strip()
    meeting.online_url = data.online_url.strip()
    meeting.agenda = data.agenda
    meeting.organizations = rows["organizations"]
    if data.is_public is not None:
        meeting.is_public = data.is_public
    _sync_attendees(meeting, rows["contacts"], rows["users"], now or utcnow())
    db.session.flush()  # attendee rows get their ids
    after = _invitation_state(meeting)
    if before is not None and before[0] != after[0]:
        meeting.ics_sequence += 1  # calendars replace an event only when its SEQUENCE went up
    if invite and meeting.start_dt > (now or utcnow()):
        changed = before is not None and before[0] != after[0]
        invited_before = before[1] if before else set()
        invitations_due.send(
            meeting,
            new_contact_ids=sorted(after[1] - invited_before),
            moved=changed,
            removed_contacts=[c for c in removed if c.id in invited_before - after[1]],
        )
    return meeting


def _invitation_state(meeting: Meeting | None) -> tuple[tuple, set[int]] | None:
    """Return what an invitation carries (time and place) and who is invited, to see what a save changed."""
    if meeting is None:
        return None
    when_where = (meeting.start_dt, meeting.end_dt, meeting.location, meeting.online_url)
    return when_where, {a.contact_id for a in meeting.attendees if a.contact_id}


def cancel_meeting(meeting: Meeting, now: datetime) -> None:
    """Call a meeting off: invitees who were invited get a cancellation that removes it from their calendar."""
    ensure_editable(meeting)
    if meeting.is_cancelled:
        raise MeetingError(_("This meeting is already cancelled."))
    if meeting.start_dt <= now:
        raise MeetingError(_("A meeting that has started cannot be cancelled."))
    _call_off(meeting, now)


def _call_off(meeting: Meeting, now: datetime) -> None:
    """Mark a meeting cancelled and tell the invitees (a METHOD:CANCEL with a raised SEQUENCE, after commit)."""
    meeting.cancelled_dt = now
    meeting.ics_sequence += 1
    db.session.flush()
    invitations_due.send(meeting, new_contact_ids=[], moved=False, cancelled=True)


def record_rsvp(attendee: MeetingAttendee, answer: str, now: datetime) -> None:
    """Record an invitee's answer (yes: will attend, no: will not)."""
    if answer not in RSVP_ANSWERS:
        raise MeetingError(_("Choose whether you will attend."))
    if attendee.meeting.is_cancelled or attendee.meeting.start_dt <= now:
        raise MeetingError(_("This meeting can no longer be answered."))
    attendee.rsvp, attendee.rsvp_dt = answer, now


def send_minutes(meeting: Meeting, revision: MinutesRevision, now: datetime) -> None:
    """Send one minutes revision to the contacts who attended: that text becomes shared. Once per revision."""
    ensure_editable(meeting)
    if revision.meeting_id != meeting.id:
        raise MeetingError(_("These minutes belong to another meeting."))
    if revision.sent_dt is not None:
        raise MeetingError(_("This revision of the minutes was already sent."))
    if not any(a.contact_id and a.attended for a in meeting.attendees):
        raise MeetingError(_("No stakeholder attended: there is nobody to send the minutes to."))
    revision.sent_dt = now
    db.session.flush()
    minutes_shared.send(meeting, revision=revision)


def local_times(meeting: Meeting) -> tuple[datetime | None, datetime | None]:
    """Return a meeting's start and end as naive wall-clock times of its election."""
    tz = meeting.election.timezone
    start, end = to_local(meeting.start_dt, tz), to_local(meeting.end_dt, tz)
    return (start.replace(tzinfo=None) if start else None, end.replace(tzinfo=None) if end else None)


def record_attendance(meeting: Meeting, attended_ids: set[int], now: datetime | None = None) -> None:
    """Mark who of the invited attended; possible once the meeting has started."""
    ensure_editable(meeting)
    if meeting.start_dt > (now or utcnow()):
        raise MeetingError(_("Attendance can be recorded once the meeting has started."))
    for attendee in meeting.attendees:
        attendee.attended = attendee.id in attended_ids


class MinutesConflict(MeetingError):
    """Someone saved the minutes after the editor opened them."""


def save_minutes(
    meeting: Meeting, body: str, author: User, base_revision_id: int | None, internal_notes: str = ""
) -> MinutesRevision | None:
    """Add a minutes revision: body is shared (sent to the attendees), internal_notes stay with the staff.

    None when both texts are unchanged; refuse (MinutesConflict) to overwrite a newer revision.
    """
    ensure_editable(meeting)
    current = meeting.minutes
    if (current.id if current else None) != base_revision_id:
        raise MinutesConflict(
            _(
                "%(name)s saved the minutes while you were editing. Your text is kept below; "
                "compare it with the newest version and save again.",
                name=current.author.name if current and current.author else "CoordApp",
            )
        )
    if current is not None and (current.body, current.internal_notes or "") == (body, internal_notes):
        return None
    if current is None and not body.strip() and not internal_notes.strip():
        return None
    number = (current.version if current else 0) + 1  # unique per meeting: a concurrent save takes it once
    revision = MinutesRevision(
        author=author, body=body, internal_notes=internal_notes, created_dt=utcnow(), version=number
    )
    meeting.minutes_revisions.insert(0, revision)  # newest first, like the relationship's order
    try:
        db.session.flush()
    except IntegrityError as exc:  # the caller rolls back
        raise MinutesConflict(
            _(
                "Someone saved the minutes at the same moment. Your text is kept below; "
                "compare it with the newest version and save again."
            )
        ) from exc
    return revision


def set_archived(meeting: Meeting, archived: bool, now: datetime | None = None) -> None:
    """Archive a meeting (hidden from lists and feeds) or bring it back.

    Archiving a meeting still to come calls it off as *Cancel meeting* does: the invitees who got an
    invitation get the cancellation (same UID, SEQUENCE raised), so it leaves their calendars. A
    meeting that has started is archived silently.
    """
    now = now or utcnow()
    if archived and not meeting.is_archived and not meeting.is_cancelled and meeting.start_dt > now:
        _call_off(meeting, now)
    meeting.is_archived = archived
