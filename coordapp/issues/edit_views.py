"""Raising and editing issues."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordapp.audit.history import changes_since
from coordapp.auth.access import role_required
from coordapp.core import locking
from coordapp.core.time import local_today
from coordapp.elections.services import active_election
from coordapp.extensions import db
from coordapp.issues import bp, permissions, services
from coordapp.issues.forms import IssueForm
from coordapp.issues.models import Issue
from coordapp.meetings.models import Meeting


def _start_values(meeting) -> dict:
    """What a new issue's form starts with: the meeting's election, stage and organizations, or today's stage."""
    values = {"owner_id": current_user.id}
    if meeting is not None:
        prefill = services.prefill_from_meeting(meeting)
        return values | {
            "election_id": meeting.election_id,
            "stage_id": meeting.stage_id,
            "meeting_id": meeting.id,
            "organization_ids": [o.id for o in prefill["organizations"]],
        }
    election = active_election()
    if election is not None:
        stage = election.current_stage(local_today(election.timezone))
        values |= {"election_id": election.id, "stage_id": stage.id if stage else None}
    return values


@bp.route("/new", methods=["GET", "POST"])
@role_required("staff")
def create():
    """Raise an issue; ?meeting_id= pre-fills it from the meeting where it was raised."""
    meeting_id = request.args.get("meeting_id", type=int)
    meeting = db.get_or_404(Meeting, meeting_id) if meeting_id is not None else None
    data = _start_values(meeting) if request.method == "GET" else None
    form = IssueForm(data=data).setup(current_user, None, local_today())
    if form.validate_on_submit():
        issue = services.create_issue(created_by=current_user._get_current_object(), **form.values())
        db.session.flush()
        form.saved_as(url_for("issues.detail", issue_id=issue.id))
        db.session.commit()
        flash(_("Issue raised."), "success")
        return redirect(url_for("issues.detail", issue_id=issue.id))
    return render_template("issues/form.html", form=form, issue=None, meeting=meeting), 422 if form.errors else 200


@bp.route("/<int:issue_id>/edit", methods=["GET", "POST"])
@role_required("staff")
def edit(issue_id: int):
    """Change an issue's fields (its owner, creator, managers and admins)."""
    issue = db.get_or_404(Issue, issue_id)
    if not permissions.can_edit(current_user, issue):
        abort(403)
    ids = {"organization_ids": [o.id for o in issue.organizations], "contact_ids": [c.id for c in issue.contacts]}
    form = IssueForm(obj=issue, data=ids).setup(current_user, issue, local_today())
    if form.validate_on_submit():
        try:
            locking.ensure_current(issue, form.seen_version)
            services.update_issue(issue, **form.values())
            form.saved_as(url_for("issues.detail", issue_id=issue.id))
            db.session.commit()
        except locking.CONFLICTS:
            return _conflict_page(form, issue)
        flash(_("Issue saved."), "success")
        return redirect(url_for("issues.detail", issue_id=issue.id))
    return render_template(
        "issues/form.html", form=form, issue=issue, meeting=issue.meeting
    ), 422 if form.errors else 200


def _conflict_page(form: IssueForm, issue: Issue):
    """Show what changed since the form was opened, with the user's entries kept; nothing is saved (409)."""
    db.session.rollback()
    changes = changes_since("issues", issue.id, form.seen_version)
    form.version.data = issue.version  # saving again now is a deliberate choice
    return render_template("issues/form.html", form=form, issue=issue, meeting=issue.meeting, conflict=changes), 409
