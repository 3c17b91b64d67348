"""Staff pages of mail-in: the quarantine (read, attach to an issue, discard) and the bouncing addresses;
and a reply's file for the contacts who may read the reply, through their reply link."""

import io

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordapp.auth.access import role_required, signed_link
from coordapp.core.time import utcnow
from coordapp.extensions import db, limiter
from coordapp.files.models import Attachment
from coordapp.files.services import read_bytes
from coordapp.issues.models import Issue
from coordapp.mailin import attachments, bp, quarantine, services
from coordapp.mailin.forms import NO_SUCH_ISSUE, AssignForm, DiscardForm
from coordapp.mailin.models import InboundMessage
from coordapp.reminders.replies import LinkGone, find_reply_token


def _held_or_404(message_id: int) -> InboundMessage:
    message = db.get_or_404(InboundMessage, message_id)
    if message.status != "quarantined":
        abort(404)
    return message


@bp.get("/")
@role_required("staff")
def index():
    """List the quarantined messages, the bouncing addresses and the count of ignored auto-replies."""
    return render_template(
        "mailin/index.html",
        held=quarantine.held(),
        bouncing=quarantine.bouncing_contacts(),
        auto_replies=services.auto_reply_count(),
        reasons=quarantine.REASONS,
    )


def _detail(message: InboundMessage, form: AssignForm, status: int = 200):
    page = render_template(
        "mailin/message.html",
        message=message,
        raw=quarantine.raw_text(message),
        visible=quarantine.visible_text(message),
        form=form,
        discard_form=DiscardForm(),
        reasons=quarantine.REASONS,
    )
    return page, status


@bp.get("/<int:message_id>")
@role_required("staff")
def message(message_id: int):
    """Show a held message: what the sender wrote and the raw message (escaped)."""
    return _detail(_held_or_404(message_id), AssignForm())


@bp.post("/<int:message_id>/assign")
@role_required("staff")
def assign(message_id: int):
    """Attach a held message to an issue's timeline."""
    message = _held_or_404(message_id)
    form = AssignForm()
    if not form.validate_on_submit():
        return _detail(message, form, 422)
    issue = db.session.get(Issue, form.issue_id.data)
    if issue is None:
        form.issue_id.errors.append(str(NO_SUCH_ISSUE))
        return _detail(message, form, 422)
    quarantine.assign(message, issue, current_user)
    db.session.commit()
    flash(_("The message is on the issue's timeline."), "success")
    return redirect(url_for("issues.detail", issue_id=issue.id))


@bp.post("/<int:message_id>/discard")
@role_required("staff")
def discard(message_id: int):
    """Discard a held message."""
    message = _held_or_404(message_id)
    if not DiscardForm().validate_on_submit():
        abort(400)
    quarantine.discard(message)
    db.session.commit()
    flash(_("Message discarded."), "success")
    return redirect(url_for("mailin.index"))


@bp.get("/r/<token>/files/<int:attachment_id>/<path:filename>")
@signed_link
@limiter.limit("30 per minute")
def contact_file(token: str, attachment_id: int, filename: str):
    """Send a reply's file to the contact of a live reply link who may read that reply (as a download)."""
    try:
        found = find_reply_token(token, utcnow())
    except LinkGone as gone:
        abort(gone.status)
    attachment = db.get_or_404(Attachment, attachment_id)
    if not attachments.readable_by_contact(found, attachment):
        abort(404)
    try:
        data = read_bytes(attachment)
    except FileNotFoundError:
        abort(404)
    response = send_file(
        io.BytesIO(data), mimetype=attachment.content_type, as_attachment=True, download_name=attachment.filename
    )
    response.headers.update(
        {
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
            "Referrer-Policy": "no-referrer",
            "X-Robots-Tag": "noindex, nofollow",
        }
    )
    return response
