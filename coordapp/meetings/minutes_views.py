"""Minutes pages: writing the minutes, and reading an earlier revision."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordapp.auth.access import login_required, role_required
from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.meetings import bp, queries, services
from coordapp.meetings.forms import MinutesForm, SendMinutesForm
from coordapp.meetings.models import Meeting
from coordapp.meetings.views import editable_meeting


def _starting_text(meeting: Meeting) -> dict[str, str]:
    """Return the texts the editor opens with: the minutes, or an earlier revision chosen to restore."""
    chosen = request.args.get("from", type=int)
    source = next((r for r in meeting.minutes_revisions if r.id == chosen), None) or meeting.minutes
    return {"body": source.body if source else "", "internal_notes": (source.internal_notes or "") if source else ""}


@bp.route("/<int:meeting_id>/minutes", methods=["GET", "POST"])
@role_required("staff")
def minutes(meeting_id: int):
    """Write the minutes; each save keeps the earlier text as a revision."""
    meeting = editable_meeting(meeting_id)
    current = meeting.minutes
    form = MinutesForm(data={**_starting_text(meeting), "base_revision": current.id if current else ""})
    conflict = False
    if form.validate_on_submit():
        try:
            revision = services.save_minutes(
                meeting,
                form.body.data or "",
                current_user._get_current_object(),
                form.base_revision_id,
                internal_notes=form.internal_notes.data or "",
            )
        except services.MinutesConflict as exc:
            db.session.rollback()
            current = meeting.minutes  # the newest, reloaded: perhaps saved a moment ago
            form.body.errors = [*form.body.errors, str(exc)]
            form.base_revision.data = str(current.id) if current else ""  # saving again now is a choice
            conflict = True
        else:
            form.saved_as(url_for("meetings.detail", meeting_id=meeting_id, _anchor="minutes"))
            db.session.commit()
            flash(
                _("Minutes saved.") if revision else _("The minutes are unchanged."), "success" if revision else "info"
            )
            return redirect(url_for("meetings.detail", meeting_id=meeting_id, _anchor="minutes"))
    return render_template(
        "meetings/minutes_form.html", meeting=meeting, form=form, conflict=conflict
    ), 409 if conflict else 422 if form.errors else 200


@bp.get("/<int:meeting_id>/minutes/<int:revision_id>")
@login_required
def revision(meeting_id: int, revision_id: int):
    """Show one revision of a meeting's minutes, and what it changed from the one before."""
    meeting = queries.load_meeting(meeting_id) or abort(404)
    revisions = meeting.minutes_revisions  # newest first
    index = next((i for i, r in enumerate(revisions) if r.id == revision_id), None)
    if index is None:
        abort(404)
    older = revisions[index + 1] if index + 1 < len(revisions) else None
    return render_template(
        "meetings/revision.html",
        meeting=meeting,
        revision=revisions[index],
        number=len(revisions) - index,
        newer=revisions[index - 1] if index > 0 else None,
        older=older,
        changes=queries.text_changes(older.body if older else "", revisions[index].body),
    )


@bp.post("/<int:meeting_id>/minutes/<int:revision_id>/send")
@role_required("staff")
def send_minutes(meeting_id: int, revision_id: int):
    """Send one revision of the minutes to the stakeholders who attended (that text becomes shared)."""
    meeting = editable_meeting(meeting_id)
    revision = next((r for r in meeting.minutes_revisions if r.id == revision_id), None) or abort(404)
    if not SendMinutesForm().validate_on_submit():
        abort(400)
    try:
        services.send_minutes(meeting, revision, utcnow())
    except services.MeetingError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("meetings.detail", meeting_id=meeting_id, _anchor="minutes"))
    db.session.commit()
    flash(_("The minutes are on their way to the stakeholders who attended."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting_id, _anchor="minutes"))
