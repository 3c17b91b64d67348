"""Meetings as iCalendar: one meeting to download, and each staff member's personal feed.

Calendar apps cannot log in, so the feed URL carries a signed token naming the user
and their session version: a password change (or "log out everywhere") bumps the
version and every old feed URL stops working.
"""

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from icalendar import Calendar, Event, vCalAddress, vText
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import joinedload

from coordapp.auth.access import has_role
from coordapp.auth.models import User
from coordapp.core.time import to_local, utcnow
from coordapp.core.validation import clean_text, one_line
from coordapp.elections.models import Election
from coordapp.extensions import db
from coordapp.meetings.models import Meeting

FEED_SALT = "coordapp.meetings.feed"
FEED_PAST_DAYS = 30  # keep recent meetings in subscribers' calendars instead of dropping them at once
FEED_LIMIT = 500


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=FEED_SALT)


def feed_token(user: User) -> str:
    """Return the signed token of a user's personal meetings feed."""
    return _serializer().dumps([user.id, user.session_version])


def feed_user(token: str) -> User | None:
    """Return the staff member a feed token belongs to, or None when it is forged, stale or theirs no more."""
    try:
        user_id, version = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(version, int):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or user.session_version != version or not has_role(user, "staff"):
        return None
    return user


def feed_meetings(now: datetime | None = None) -> list[Meeting]:
    """Return the live meetings of active elections from FEED_PAST_DAYS ago on, in date order."""
    since = (now or utcnow()) - timedelta(days=FEED_PAST_DAYS)
    return list(
        db.session.execute(
            db.select(Meeting)
            .join(Meeting.election)
            .where(Meeting.is_archived.is_(False), Election.is_active.is_(True), Meeting.start_dt >= since)
            .options(joinedload(Meeting.election))
            .order_by(Meeting.start_dt, Meeting.id)
            .limit(FEED_LIMIT)
        ).scalars()
    )


def meeting_uid(meeting: Meeting) -> str:
    """Return the meeting's stable iCalendar UID (the same in every download and feed)."""
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "coordapp"
    return f"meeting-{meeting.id}@{host}"


def _event(meeting: Meeting, page_url: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", stamp)
    event.add("dtstart", meeting.start_dt)
    if meeting.end_dt:
        event.add("dtend", meeting.end_dt)
    event.add("summary", one_line(meeting.title))
    if meeting.location or meeting.online_url:
        event.add("location", one_line(meeting.location or meeting.online_url))
    event.add("url", page_url)
    description = clean_text(meeting.agenda).strip()  # rows saved before input was cleaned may hold controls
    if meeting.online_url:
        description = f"{meeting.online_url}\n\n{description}".strip()
    if description:
        event.add("description", description)
    event.add("status", "CANCELLED" if meeting.is_archived else "CONFIRMED")
    return event


def calendar_of(meetings: Iterable[Meeting], page_url: Callable[[Meeting], str], name: str) -> bytes:
    """Render meetings as an iCalendar document; times are in UTC."""
    calendar = Calendar()
    calendar.add("prodid", "-//CoordApp//Meetings//ID")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", one_line(name))
    stamp = utcnow().replace(microsecond=0)
    for meeting in meetings:
        calendar.add_component(_event(meeting, page_url(meeting), stamp))
    return calendar.to_ical()


def _address(email: str, name: str, **params) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def invitation(
    meeting: Meeting, method: str, attendee_email: str, attendee_name: str, organizer: tuple[str, str]
) -> bytes:
    """Render one invitee's meeting request (METHOD:REQUEST) or cancellation (METHOD:CANCEL).

    The UID never changes and SEQUENCE is the meeting's, so calendars move or remove the event they
    already hold. Times are in the election's timezone, with its VTIMEZONE, so every client shows them right.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//CoordApp//Meetings//ID")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.ics_sequence)
    event.add("dtstamp", utcnow().replace(microsecond=0))
    # to_local keeps UTC for a time the timezone cannot hold (a bad row near the year 9999)
    event.add("dtstart", to_local(meeting.start_dt, meeting.election.timezone))
    if meeting.end_dt:
        event.add("dtend", to_local(meeting.end_dt, meeting.election.timezone))
    event.add("summary", meeting.title)
    if meeting.location or meeting.online_url:
        event.add("location", meeting.location or meeting.online_url)
    description = "\n\n".join(part for part in (meeting.online_url, meeting.agenda.strip()) if part)
    if description:
        event.add("description", description)
    event.add("organizer", _address(organizer[0], organizer[1]))
    event.add(
        "attendee",
        _address(attendee_email, attendee_name, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp="TRUE"),
    )
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
