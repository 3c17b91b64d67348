"""Commitment pages: make one on a meeting or an issue, read it with its timeline, move its status."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordapp.auth.access import login_required, role_required
from coordapp.commitments import bp, queries, services
from coordapp.commitments.forms import CommitmentForm, CommitmentStatusForm
from coordapp.commitments.models import Commitment
from coordapp.core.time import utcnow
from coordapp.extensions import db


def _parent_url(parent_type: str, parent_id: int) -> str:
    if parent_type == "meeting":
        return url_for("meetings.detail", meeting_id=parent_id, _anchor="commitments")
    return url_for("issues.detail", issue_id=parent_id, _anchor="commitments")


def _form_page(form: CommitmentForm, parent, parent_type: str, status: int = 200):
    return render_template("commitments/form.html", form=form, parent=parent, parent_type=parent_type), status


@bp.route("/new/<parent_type>/<int:parent_id>", methods=["GET", "POST"])
@role_required("staff")
def create(parent_type: str, parent_id: int):
    """Record an agreed item on a meeting (from its minutes) or on an issue."""
    parent = services.origin(parent_type, parent_id) or abort(404)
    form = CommitmentForm()
    form.load_choices(*queries.responsible_choices())
    if not form.validate_on_submit():
        return _form_page(form, parent, parent_type, 422 if form.is_submitted() else 200)
    try:
        services.make_commitment(parent, form.to_input(), current_user._get_current_object(), utcnow())
    except services.CommitmentInputError as exc:
        for name, message in exc.errors.items():
            form[name].errors = [*form[name].errors, message]
        db.session.rollback()
        return _form_page(form, parent, parent_type, 422)
    except services.CommitmentError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return _form_page(form, parent, parent_type, 422)
    db.session.commit()
    flash(_("Commitment recorded."), "success")
    return redirect(_parent_url(parent_type, parent_id))


@bp.get("/<int:commitment_id>")
@login_required
def detail(commitment_id: int):
    """Show a commitment, its timeline and its attachments."""
    commitment = db.get_or_404(Commitment, commitment_id)
    return render_template("commitments/detail.html", commitment=commitment, status_form=CommitmentStatusForm())


@bp.post("/<int:commitment_id>/status")
@role_required("staff")
def change_status(commitment_id: int):
    """Mark a commitment done, dropped or open again; the move is written on its timeline."""
    commitment = db.get_or_404(Commitment, commitment_id)
    form = CommitmentStatusForm()
    if not form.validate_on_submit():
        return render_template("commitments/detail.html", commitment=commitment, status_form=form), 422
    try:
        services.set_status(
            commitment, form.status.data, utcnow(), form.note.data or "", author_user=current_user._get_current_object()
        )
    except services.CommitmentError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return render_template("commitments/detail.html", commitment=commitment, status_form=form), 422
    db.session.commit()
    flash(_("Commitment updated."), "success")
    return redirect(url_for("commitments.detail", commitment_id=commitment_id))
