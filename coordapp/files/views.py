"""Attachment routes: upload to a parent, download (only to who may read the parent), publish."""

import io

from flask import abort, flash, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordapp.auth.access import public, role_required
from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.files import bp, services
from coordapp.files.forms import PublishForm, UploadForm
from coordapp.files.models import Attachment

BACK = {
    "meeting": lambda i: url_for("meetings.detail", meeting_id=i, _anchor="attachments"),
    "issue": lambda i: url_for("issues.detail", issue_id=i, _anchor="attachments"),
    "commitment": lambda i: url_for("commitments.detail", commitment_id=i, _anchor="attachments"),
}


def _back(parent_type: str, parent_id: int):
    kind = services.PARENTS.get(parent_type)
    page = BACK.get(parent_type) or (kind.page_url if kind else None) or (lambda i: url_for("elections.home"))
    return redirect(page(parent_id))


@bp.post("/<parent_type>/<int:parent_id>")
@role_required("staff")
def upload(parent_type: str, parent_id: int):
    """Attach a file to a meeting, an issue, a commitment or a report (reports: managers)."""
    parent = services.parent_of(parent_type, parent_id) or abort(404)
    if not services.may_change(current_user, parent_type, parent):
        abort(403)
    form = UploadForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "danger")
        return _back(parent_type, parent_id), 303
    upload = form.file.data
    data = upload.stream.read(services.max_bytes() + 1)
    try:
        services.attach(parent_type, parent, upload.filename or "", data, current_user._get_current_object(), utcnow())
    except services.FileRefused as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return _back(parent_type, parent_id), 303
    db.session.commit()
    flash(_("File attached."), "success")
    return _back(parent_type, parent_id)


@bp.get("/<int:attachment_id>/<path:filename>")
@public
def download(attachment_id: int, filename: str):
    """Send a file to who may read its parent, always as a download and never sniffed as a page."""
    attachment = db.get_or_404(Attachment, attachment_id)
    if not services.can_read(current_user, attachment):
        abort(403)
    try:
        data = services.read_bytes(attachment)
    except FileNotFoundError:
        abort(404)
    response = send_file(
        io.BytesIO(data), mimetype=attachment.content_type, as_attachment=True, download_name=attachment.filename
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "public, max-age=3600" if attachment.is_public else "private, no-store"
    return response


@bp.post("/<int:attachment_id>/public")
@role_required("staff")
def publish(attachment_id: int):
    """Mark an attachment public or internal again."""
    attachment = db.get_or_404(Attachment, attachment_id)
    parent = services.parent_of(attachment.parent_type, attachment.parent_id) or abort(404)
    if not services.may_change(current_user, attachment.parent_type, parent):
        abort(403)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    services.set_public(attachment, bool(form.is_public.data))
    db.session.commit()
    flash(_("Attachment updated."), "success")
    return _back(attachment.parent_type, attachment.parent_id)
