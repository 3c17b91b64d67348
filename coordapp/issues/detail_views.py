"""An issue's page and what is done on it: follow-ups, status moves, ticking actions, archiving."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordapp.audit.services import history_for
from coordapp.auth.access import login_required, role_required
from coordapp.core import locking, text, visibility
from coordapp.core.labels import label
from coordapp.core.time import local_today
from coordapp.extensions import db
from coordapp.issues import bp, listing, permissions, services
from coordapp.issues.forms import FollowUpForm, StatusForm
from coordapp.issues.models import FollowUp, Issue


def _issue_or_404(issue_id: int) -> Issue:
    issue = listing.load_issue(issue_id)
    if issue is None:
        abort(404)
    return issue


def _page(issue: Issue, follow_up_form=None, status_form=None, status: int = 200):
    """Render the issue page (again, with the errors of a refused form)."""
    today = local_today(issue.election.timezone)
    text.prime_references([issue.description, *(entry.body for entry in issue.follow_ups)], visibility.STAFF)
    return render_template(
        "issues/detail.html",
        issue=issue,
        today=today,
        rights=permissions.rights(current_user, issue),
        moves=services.allowed_moves(issue),
        follow_up_form=follow_up_form or FollowUpForm(),
        status_form=status_form or StatusForm(data={"from_status": issue.status}),
        history=history_for("issues", issue.id),
        audience=visibility.audience_label,
        shared_with=[f"{c.name} ({c.organization.label})" for c in visibility.shared_readers(issue)],
    ), status


def _back(issue: Issue, anchor: str = ""):
    return redirect(url_for("issues.detail", issue_id=issue.id, _anchor=anchor or None))


@bp.get("/<int:issue_id>")
@login_required
def detail(issue_id: int):
    """Show an issue: its fields, timeline, the moves allowed now, and its history."""
    return _page(_issue_or_404(issue_id))


@bp.post("/<int:issue_id>/follow-ups")
@role_required("staff")
def add_follow_up(issue_id: int):
    """Add a comment or an action to an issue's timeline."""
    issue = _issue_or_404(issue_id)
    if not permissions.can_follow_up(current_user, issue):
        abort(403)
    form = FollowUpForm().setup(local_today(issue.election.timezone))
    if not form.validate_on_submit():
        return _page(issue, follow_up_form=form, status=422)
    services.add_follow_up(issue, author_user=current_user._get_current_object(), **form.values())
    form.saved_as(url_for("issues.detail", issue_id=issue.id, _anchor="timeline"))
    db.session.commit()
    flash(_("Follow-up added."), "success")
    return _back(issue, "timeline")


@bp.post("/<int:issue_id>/status")
@role_required("staff")
def change_status(issue_id: int):
    """Move an issue along the workflow; the move is written on its timeline."""
    issue = _issue_or_404(issue_id)
    if not permissions.can_change_status(current_user, issue):
        abort(403)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            services.change_status(
                issue,
                form.status.data,
                author_user=current_user._get_current_object(),
                reason=(form.reason.data or "").strip(),
                visibility=form.visibility.data,
                from_status=form.from_status.data or None,
            )
            form.saved_as(url_for("issues.detail", issue_id=issue.id, _anchor="timeline"))
            db.session.commit()
        except services.WorkflowError as exc:
            form.status.errors.append(str(exc))
        except (services.StatusMoved, *locking.CONFLICTS):
            return _status_moved(issue_id, form)
        else:
            flash(_("Status changed to %(status)s.", status=label("status", issue.status)), "success")
            return _back(issue, "timeline")
    db.session.rollback()
    return _page(_issue_or_404(issue_id), status_form=form, status=422)


def _status_moved(issue_id: int, form: StatusForm):
    """Refuse a move made from a status the issue no longer has (409), naming the status it has now."""
    db.session.rollback()
    issue = _issue_or_404(issue_id)
    message = _(
        "Someone moved this issue to %(status)s while you had the page open; your move was not saved. "
        "Check the timeline and choose again.",
        status=label("status", issue.status),
    )
    form.status.errors.append(message)
    form.from_status.data = issue.status
    return _page(issue, status_form=form, status=409)


@bp.post("/<int:issue_id>/follow-ups/<int:entry_id>/done")
@role_required("staff")
def tick_action(issue_id: int, entry_id: int):
    """Mark an action on the timeline done, or not done again."""
    entry = db.get_or_404(FollowUp, entry_id)
    if entry.issue_id != issue_id or entry.kind != "action":
        abort(404)
    if not permissions.can_tick_action(current_user, entry):
        abort(403)
    services.set_action_done(entry, request.form.get("done") == "1")
    db.session.commit()
    return _back(entry.issue, f"entry-{entry.id}")


def _set_archived(issue_id: int, archived: bool):
    issue = db.get_or_404(Issue, issue_id)
    allowed = permissions.can_archive if archived else permissions.can_restore
    if not allowed(current_user, issue):
        abort(409)  # already where the manager wants it
    (services.archive_issue if archived else services.restore_issue)(issue)
    db.session.commit()
    flash(_("Issue archived. A manager can restore it.") if archived else _("Issue restored."), "success")
    return _back(issue)


@bp.post("/<int:issue_id>/archive")
@role_required("manager")
def archive(issue_id: int):
    """Archive an issue (managers; reversible)."""
    return _set_archived(issue_id, True)


@bp.post("/<int:issue_id>/restore")
@role_required("manager")
def restore(issue_id: int):
    """Bring an archived issue back (managers)."""
    return _set_archived(issue_id, False)
