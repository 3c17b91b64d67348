"""The RSVP page a contact opens from a meeting invitation: will you attend? (no account needed)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from coordapp.auth.access import signed_link
from coordapp.core.time import utcnow
from coordapp.extensions import db, limiter
from coordapp.meetings.services import MeetingError
from coordapp.reminders import bp, rsvp
from coordapp.reminders.forms import RsvpForm
from coordapp.reminders.link_views import LINK_LIMIT, _gone, _private
from coordapp.reminders.replies import LinkGone


def _page(token, attendee, form: RsvpForm, status: int = 200):
    page = render_template(
        "reminders/rsvp.html", form=form, meeting=token.meeting, attendee=attendee, contact=token.contact
    )
    return _private(page, status)


@bp.get("/rsvp/<token>")
@signed_link
@limiter.limit(LINK_LIMIT)
def rsvp_page(token: str):
    """Show the meeting and the answer buttons; changes nothing (link scanners open links)."""
    try:
        found, attendee = rsvp.find_rsvp_token(token, utcnow())
    except LinkGone as gone:
        return _gone(gone.reason, gone.status)
    return _page(found, attendee, RsvpForm())


@bp.post("/rsvp/<token>")
@signed_link
@limiter.limit(LINK_LIMIT)
def rsvp_answer(token: str):
    """Record whether the contact will attend."""
    try:
        found, attendee = rsvp.find_rsvp_token(token, utcnow())
    except LinkGone as gone:
        return _gone(gone.reason, gone.status)
    form = RsvpForm()
    if not form.validate_on_submit():
        return _page(found, attendee, form, 422)
    try:
        rsvp.answer(found, attendee, form.answer.data, utcnow())
    except MeetingError as exc:
        form.answer.errors = [str(exc)]
        return _page(found, attendee, form, 422)
    db.session.commit()
    flash(_("Thank you. Your answer was recorded."), "success")
    return _private(redirect(url_for("reminders.rsvp_page", token=token), 303))
