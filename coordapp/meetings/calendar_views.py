"""Meetings for calendar apps: one meeting as an .ics file, and each staff member's feed."""

from flask import Response, abort
from flask_babel import gettext as _

from coordapp.auth.access import login_required, signed_link
from coordapp.core.urls import external_url
from coordapp.extensions import db, limiter
from coordapp.meetings import bp, ics
from coordapp.meetings.models import Meeting


def _page_url(meeting: Meeting) -> str:
    return external_url("meetings.detail", meeting_id=meeting.id)


@bp.get("/<int:meeting_id>.ics", endpoint="ics")
@login_required
def ics_file(meeting_id: int):
    """Download one meeting for a calendar app."""
    meeting = db.get_or_404(Meeting, meeting_id)
    body = ics.calendar_of([meeting], _page_url, meeting.title)
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="meeting-{meeting.id}.ics"'},
    )


@bp.get("/feed/<token>.ics")
@signed_link
@limiter.limit("60 per minute")
def feed(token: str):
    """Serve a staff member's calendar feed of upcoming meetings; an unknown token finds nothing."""
    if ics.feed_user(token) is None:
        abort(404)
    body = ics.calendar_of(ics.feed_meetings(), _page_url, _("CoordApp meetings"))
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": 'inline; filename="meetings.ics"'},  # no-store: a personal feed
    )
