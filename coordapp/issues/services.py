"""Issue rules: the status workflow and the follow-up timeline.

``first_response_dt`` and ``resolved_dt`` are kept here and nowhere else. Callers
commit; nothing here reads ``request``.
"""
from datetime import date

from coordapp.core.time import utcnow
from coordapp.issues.models import UNRESOLVED, FollowUp, Issue

# The moves the workflow offers from each status (reopening needs a reason).
TRANSITIONS = {
    "open": ("in_progress", "waiting", "resolved", "closed"),
    "in_progress": ("waiting", "resolved", "closed"),
    "waiting": ("in_progress", "resolved", "closed"),
    "resolved": ("closed", "open"),
    "closed": ("open",),
}


class WorkflowError(ValueError):
    """A status move the workflow does not allow; the message is for the user."""


def allowed_moves(issue: Issue) -> tuple[str, ...]:
    """Return the statuses an issue may move to now."""
    return TRANSITIONS[issue.status]


def is_reopening(issue: Issue, new_status: str) -> bool:
    """Tell whether moving to new_status reopens a finished issue (a reason is required)."""
    return issue.status not in UNRESOLVED and new_status in UNRESOLVED


def add_follow_up(issue: Issue, *, kind: str = "comment", body: str = "", author_user=None,
                  author_contact=None, action_due_date: date | None = None, **extra) -> FollowUp:
    """Append an entry to the issue's timeline; the first one by a person is its first response."""
    entry = FollowUp(kind=kind, body=body, author_user=author_user, author_contact=author_contact,
                     action_due_date=action_due_date, **extra)
    issue.follow_ups.append(entry)
    is_response = kind in ("comment", "action", "stakeholder_reply", "status_change") and (author_user or author_contact)
    if is_response and issue.first_response_dt is None:
        issue.first_response_dt = utcnow()
    return entry


def change_status(issue: Issue, new_status: str, *, author_user=None, author_contact=None,
                  reason: str = "") -> FollowUp:
    """Move an issue along the workflow and record the move on its timeline."""
    from flask_babel import gettext as _

    if new_status not in allowed_moves(issue):
        raise WorkflowError(_("An issue cannot move from this status to that one."))
    if is_reopening(issue, new_status) and not reason.strip():
        raise WorkflowError(_("Give a reason for reopening the issue."))
    old_status = issue.status
    issue.status = new_status
    if new_status in UNRESOLVED:
        issue.resolved_dt = None
    elif issue.resolved_dt is None:
        issue.resolved_dt = utcnow()
    return add_follow_up(issue, kind="status_change", body=reason, author_user=author_user,
                         author_contact=author_contact, old_status=old_status, new_status=new_status)


def set_action_done(entry: FollowUp, done: bool) -> None:
    """Tick or untick an action on the timeline."""
    if entry.kind != "action":
        raise WorkflowError("only actions can be ticked")
    entry.action_done_dt = utcnow() if done else None
