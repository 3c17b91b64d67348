"""Pages stakeholders open from an email, without an account: the reply link and unsubscribe."""

from flask import Response, current_app, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _

from coordapp.auth.access import signed_link
from coordapp.commitments.forms import ProgressForm
from coordapp.commitments.services import CommitmentError
from coordapp.core.time import utcnow
from coordapp.core.visibility import contact_reader
from coordapp.extensions import csrf, db, limiter
from coordapp.reminders import bp, replies
from coordapp.reminders.emails import issue_rows
from coordapp.reminders.forms import ReplyForm, reply_form

LINK_LIMIT = "30 per minute"


def _private(response, status: int | None = None) -> Response:
    """Keep a link page out of search engines and out of other sites' Referer headers."""
    response = make_response(response) if status is None else make_response(response, status)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _gone(reason: str, status: int) -> Response:
    """Say why a link opens nothing, and whom to write to instead; no issue, name or address of the contact."""
    page = render_template(
        "reminders/link_gone.html", reason=reason, status=status, write_to=current_app.config.get("MAIL_REPLY_TO")
    )
    return _private(page, status)


def _reply_page(token, form: ReplyForm, status: int = 200, progress_form: ProgressForm | None = None) -> Response:
    """Render the issues the contact may still answer, with what the contact may read of each, and its commitments."""
    contact = token.contact
    rows = issue_rows(replies.answerable(token), contact.language, utcnow(), reader=contact_reader(contact))
    return _private(
        render_template(
            "reminders/reply.html",
            form=form,
            token=token,
            contact=contact,
            rows=rows,
            commitments=replies.open_commitments(token),
            progress_form=progress_form or ProgressForm(),
        ),
        status,
    )


@bp.get("/r/<token>")
@signed_link
@limiter.limit(LINK_LIMIT)
def reply(token: str):
    """Show the issues of a reply link and the reply form; changes nothing."""
    try:
        found = replies.find_reply_token(token, utcnow())
    except replies.LinkGone as gone:
        return _gone(gone.reason, gone.status)
    return _reply_page(found, reply_form(replies.answerable(found), formdata=None))  # nothing ticked, nothing written


@bp.post("/r/<token>")
@signed_link
@limiter.limit(LINK_LIMIT)
def send_reply(token: str):
    """Record each answer of a stakeholder on its own issue of the link and notify their owners."""
    try:
        found = replies.find_reply_token(token, utcnow())
    except replies.LinkGone as gone:
        return _gone(gone.reason, gone.status)
    form = reply_form(replies.answerable(found))
    if not form.validate_on_submit():
        return _reply_page(found, form, 422)
    replies.record_answers(found, form.answers(), list(form.done.data or []), utcnow())
    db.session.commit()
    flash(_("Thank you. Your reply was recorded and the officer in charge was notified."), "success")
    return _private(redirect(url_for("reminders.reply", token=token), 303))


@bp.post("/r/<token>/commitments")
@signed_link
@limiter.limit(LINK_LIMIT)
def report_commitment(token: str):
    """Record a stakeholder's progress on one commitment of the link's digest."""
    try:
        found = replies.find_reply_token(token, utcnow())
    except replies.LinkGone as gone:
        return _gone(gone.reason, gone.status)
    form = ProgressForm()
    chosen = form.commitment.data or ""
    if not form.validate_on_submit() or not chosen.isdigit():
        return _reply_page(found, _reply_form(found), 422, form)
    try:
        replies.report_commitment(found, int(chosen), form.body.data, form.done.data, utcnow())
    except (ValueError, CommitmentError):
        db.session.rollback()
        return _reply_page(found, _reply_form(found), 422, form)
    db.session.commit()
    flash(_("Thank you. Your report was recorded."), "success")
    return _private(redirect(url_for("reminders.reply", token=token), 303))


def _reply_form(found) -> ReplyForm:
    return reply_form(replies.answerable(found), formdata=None)


@bp.get("/u/<token>")
@signed_link
@limiter.limit(LINK_LIMIT)
def unsubscribe_page(token: str):
    """Show a button that stops reminders (a GET by a link scanner changes nothing)."""
    contact = replies.contact_for_unsubscribe(token, utcnow())
    if contact is None:
        return _gone("unsubscribe_unknown", 404)
    return _private(render_template("reminders/unsubscribe.html", contact=contact, token=token, done=False))


@bp.post("/u/<token>")
@signed_link
@csrf.exempt
@limiter.limit(LINK_LIMIT)
def unsubscribe(token: str):
    """Stop reminders in one click (RFC 8058): no cookie or CSRF token, the link's random token is the proof."""
    contact = replies.contact_for_unsubscribe(token, utcnow())
    if contact is None:
        return _gone("unsubscribe_unknown", 404)
    replies.unsubscribe(contact, utcnow())
    db.session.commit()
    return _private(render_template("reminders/unsubscribe.html", contact=contact, token=token, done=True))
