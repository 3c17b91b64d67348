"""Issue rules: the status workflow and the follow-up timeline.

``first_response_dt`` and ``resolved_dt`` are kept here and nowhere else. Callers
commit; nothing here reads ``request``.
"""

from datetime import date, timedelta

from flask_babel import gettext as _

from coordapp.core.time import utcnow
from coordapp.core.visibility import ENTRY_LEVELS, INTERNAL
from coordapp.extensions import db
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


class StatusMoved(Exception):
    """The issue's status is no longer the one the user moved it from (someone moved it meanwhile)."""


def allowed_moves(issue: Issue) -> tuple[str, ...]:
    """Return the statuses an issue may move to now."""
    return TRANSITIONS[issue.status]


def is_reopening(issue: Issue, new_status: str) -> bool:
    """Tell whether moving to new_status reopens a finished issue (a reason is required)."""
    return issue.status not in UNRESOLVED and new_status in UNRESOLVED


def add_follow_up(
    issue: Issue,
    *,
    kind: str = "comment",
    body: str = "",
    author_user=None,
    author_contact=None,
    action_due_date: date | None = None,
    visibility: str = INTERNAL,
    **extra,
) -> FollowUp:
    """Append an entry (internal unless shared) to the issue's timeline; a person's first one is its first response."""
    if visibility not in ENTRY_LEVELS:
        raise WorkflowError(_("Choose who may read this entry."))
    entry = FollowUp(
        kind=kind,
        body=body,
        author_user=author_user,
        author_contact=author_contact,
        action_due_date=action_due_date,
        visibility=visibility,
        **extra,
    )
    issue.follow_ups.append(entry)
    is_response = kind in ("comment", "action", "stakeholder_reply", "status_change") and (
        author_user or author_contact
    )
    if is_response and issue.first_response_dt is None:
        issue.first_response_dt = utcnow()
    return entry


def change_status(
    issue: Issue,
    new_status: str,
    *,
    author_user=None,
    author_contact=None,
    reason: str = "",
    visibility: str = INTERNAL,
    from_status: str | None = None,
) -> FollowUp:
    """Move an issue along the workflow and record the move on its timeline, in one flush.

    The reason is internal unless shared (visibility). from_status is the status the user saw;
    another one now raises StatusMoved. The row's version (coordapp.core.locking) makes the
    UPDATE a compare-and-set: of two concurrent moves from the same status, the second fails at
    flush, so the timeline agrees with the status.
    """
    if visibility not in ENTRY_LEVELS:
        raise WorkflowError(_("Choose who may read this entry."))
    if from_status is not None and from_status != issue.status:
        raise StatusMoved
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
    return add_follow_up(
        issue,
        kind="status_change",
        body=reason,
        author_user=author_user,
        author_contact=author_contact,
        old_status=old_status,
        new_status=new_status,
        visibility=visibility,
    )


def set_action_done(entry: FollowUp, done: bool) -> None:
    """Tick or untick an action on the timeline."""
    if entry.kind != "action":
        raise WorkflowError(_("Only actions can be marked done."))
    entry.action_done_dt = utcnow() if done else None


# --- Raising and editing issues -------------------------------------------------------------

DUE_DATE_GRACE_DAYS = 30  # a due date further back than this is a typing mistake, not a plan
# Fields with a workflow of their own (status moves, publishing, archiving, the clock): never set by
# create_issue / update_issue, whatever the caller passes. Every other field is the form's to edit,
# so a new field of IssueForm reaches the issue without a change here.
WORKFLOW_FIELDS = frozenset(
    {
        "id",
        "status",
        "first_response_dt",
        "resolved_dt",
        "is_public",
        "public_summary",
        "public_title",
        "published_dt",
        "published_by",
        "published_by_id",
        "publish_proposed",
        "is_archived",
        "created_by",
        "created_by_id",
        "created_dt",
        "updated_dt",
        "follow_ups",
    }
)


def due_date_problem(due_date: date | None, today: date, previous: date | None = None) -> str | None:
    """Return why a due date is refused (far in the past and not already the issue's), or None."""
    if due_date is None or due_date == previous or due_date >= today - timedelta(days=DUE_DATE_GRACE_DAYS):
        return None
    return _("The due date is more than %(days)d days in the past.", days=DUE_DATE_GRACE_DAYS)


def stage_problem(election, stage) -> str | None:
    """Return why a stage cannot go with an election, or None."""
    if stage is not None and stage.election_id != election.id:
        return _("This stage does not belong to the chosen election.")
    return None


def meeting_problem(election, meeting) -> str | None:
    """Return why a meeting cannot be where an issue of this election was raised, or None."""
    if meeting is not None and meeting.election_id != election.id:
        return _("This meeting belongs to another election.")
    return None


def prefill_from_meeting(meeting) -> dict:
    """Return the fields an issue raised at a meeting starts with."""
    return {
        "election": meeting.election,
        "stage": meeting.stage,
        "meeting": meeting,
        "organizations": list(meeting.organizations),
    }


def create_issue(*, created_by, **values) -> Issue:
    """Raise a new open issue from validated values (fields of WORKFLOW_FIELDS are ignored)."""
    issue = Issue(status="open", created_by=created_by, **{k: v for k, v in values.items() if k not in WORKFLOW_FIELDS})
    db.session.add(issue)
    return issue


def update_issue(issue: Issue, **values) -> Issue:
    """Change an issue's fields from validated values; status moves go through change_status (WORKFLOW_FIELDS)."""
    for key, value in values.items():
        if key not in WORKFLOW_FIELDS:
            setattr(issue, key, value)
    return issue


def archive_issue(issue: Issue) -> None:
    """Take an issue out of the lists (reversible; nothing is deleted)."""
    issue.is_archived = True


def restore_issue(issue: Issue) -> None:
    """Bring an archived issue back."""
    issue.is_archived = False
