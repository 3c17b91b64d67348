"""Publishing controls: staff write and propose a record's public text; managers preview, publish, unpublish."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordapp.auth.access import role_required
from coordapp.core.visibility import public_issue, public_meeting
from coordapp.extensions import db
from coordapp.issues.forms import UNKNOWN
from coordapp.issues.models import Issue
from coordapp.meetings.models import Meeting
from coordapp.public import manage, publishing
from coordapp.public.forms import ACTIONS, PublicTextForm

KINDS = {
    "meetings": (Meeting, public_meeting, "meetings.detail", "meeting_id"),
    "issues": (Issue, public_issue, "issues.detail", "issue_id"),
}


def _record(kind: str, record_id: int):
    if kind not in KINDS:
        abort(404)
    return db.get_or_404(KINDS[kind][0], record_id)


def _page(kind: str, record, form: PublicTextForm, status: int = 200, preview: dict | None = None):
    model, project, detail, arg = KINDS[kind]
    return render_template(
        "public/publish.html",
        kind=kind,
        record=record,
        form=form,
        preview=preview or project(record),
        back_url=url_for(detail, **{arg: record.id}),
        can_publish=publishing.can_publish(current_user),
    ), status


@manage.get("/<kind>/<int(max=2147483647):record_id>")
@role_required("staff")
def edit(kind: str, record_id: int):
    """Show a record's public text, the preview of its public page, and the publishing buttons."""
    record = _record(kind, record_id)
    return _page(kind, record, PublicTextForm(obj=record))


@manage.post("/<kind>/<int(max=2147483647):record_id>")
@role_required("staff")
def save(kind: str, record_id: int):
    """Preview, save, propose, publish or unpublish a record's public text."""
    record = _record(kind, record_id)
    form, action = PublicTextForm(), request.form.get("action", "")
    if action in ("publish", "unpublish") and not publishing.can_publish(current_user):
        abort(403)
    valid = form.validate_on_submit()
    if action not in ACTIONS:
        form.form_errors.append(UNKNOWN)
    if not valid or action not in ACTIONS:
        return _page(kind, record, form, 422)
    title, summary = form.public_title.data or "", form.public_summary.data or ""
    if action == "preview":
        return _page(kind, record, form, preview=KINDS[kind][1](record, title=title, summary=summary))
    try:
        publishing.apply(action, record, current_user._get_current_object(), title, summary)
    except publishing.PublishingError as exc:
        db.session.rollback()
        for field, message in exc.errors.items():
            getattr(form, field, form.public_title).errors.append(message)
        return _page(kind, _record(kind, record_id), form, 422)
    db.session.commit()
    flash(_MESSAGES[action](), "success")
    return redirect(url_for("publishing.edit", kind=kind, record_id=record.id))


_MESSAGES = {
    "save": lambda: _("Public text saved."),
    "propose": lambda: _("Proposed for publication: a manager will review it."),
    "publish": lambda: _("Published on the public portal."),
    "unpublish": lambda: _("Taken off the public portal."),
}


@manage.get("/")
@role_required("manager")
def index():
    """List what staff proposed for publication and what is published."""
    lists = {}
    for kind, (model, _project, _detail, _arg) in KINDS.items():
        lists[kind] = {
            "proposed": db.session.execute(
                db.select(model).where(model.publish_proposed.is_(True), model.is_public.is_(False)).order_by(model.id)
            )
            .scalars()
            .all(),
            "published": db.session.execute(
                db.select(model)
                .where(model.is_public.is_(True))
                .order_by(model.published_dt.desc().nulls_last())
                .limit(50)
            )
            .scalars()
            .all(),
        }
    return render_template("public/publishing_index.html", lists=lists)
