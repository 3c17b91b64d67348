"""Commitment rules: making one from a meeting or an issue, moving its status, progress from the contact.

Callers commit. Every check runs before anything changes.
"""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _  # messages are read in the request that shows them

from coordapp.auth.models import User
from coordapp.commitments.models import STATUSES, Commitment, CommitmentEvent
from coordapp.extensions import db
from coordapp.issues.models import Issue
from coordapp.meetings.models import Meeting
from coordapp.stakeholders.models import Contact, Organization

TEXT_MAX = 2000
NOTE_MAX = 5000
PARENTS = {"meeting": Meeting, "issue": Issue}


class CommitmentError(ValueError):
    """A request about a commitment that breaks a rule; the message is for the user."""


class CommitmentInputError(CommitmentError):
    """Commitment data with problems, one translated message per form field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class CommitmentInput:
    """What staff give for a commitment."""

    text: str
    organization_id: int | None
    contact_id: int | None
    due_date: date | None


def origin(parent_type: str, parent_id: int) -> Meeting | Issue | None:
    """Return the meeting or issue a commitment is made on (None when there is none)."""
    model = PARENTS.get(parent_type)
    return db.session.get(model, parent_id) if model else None


def _check(data: CommitmentInput) -> dict[str, str]:
    errors = {}
    if not data.text.strip():
        errors["text"] = _("Write what was agreed.")
    elif len(data.text) > TEXT_MAX:
        errors["text"] = _("Use at most %(max)d characters.", max=TEXT_MAX)
    organization = db.session.get(Organization, data.organization_id) if data.organization_id else None
    if organization is None:
        errors["organization_id"] = _("Choose the responsible organization.")
    if data.contact_id is not None:
        contact = db.session.get(Contact, data.contact_id)
        if contact is None or organization is None or contact.organization_id != organization.id:
            errors["contact_id"] = _("The contact must belong to the responsible organization.")
    if data.due_date is None:
        errors["due_date"] = _("Give the date it is due.")
    return errors


def make_commitment(parent: Meeting | Issue, data: CommitmentInput, actor: User, now: datetime) -> Commitment:
    """Record an agreed item on a meeting (its minutes) or an issue."""
    if parent.is_archived:
        raise CommitmentError(_("This record is archived and cannot be changed."))
    errors = _check(data)
    if errors:
        raise CommitmentInputError(errors)
    commitment = Commitment(
        election_id=parent.election_id,
        stage_id=parent.stage_id,
        meeting=parent if isinstance(parent, Meeting) else None,
        issue=parent if isinstance(parent, Issue) else None,
        text=data.text.strip(),
        organization_id=data.organization_id,
        contact_id=data.contact_id,
        due_date=data.due_date,
        created_by=actor,
        created_dt=now,
    )
    commitment.events.append(CommitmentEvent(kind="created", new_status="open", author_user=actor, created_dt=now))
    db.session.add(commitment)
    db.session.flush()
    return commitment


def set_status(commitment: Commitment, status: str, now: datetime, note: str = "", **author) -> None:
    """Move a commitment to open, done or dropped; the move is written on its timeline."""
    if status not in STATUSES:
        raise CommitmentError(_("Choose a status."))
    if len(note) > NOTE_MAX:
        raise CommitmentError(_("Use at most %(max)d characters.", max=NOTE_MAX))
    if status == commitment.status:
        raise CommitmentError(_("The commitment already has this status."))
    commitment.status = status
    commitment.done_dt = now if status == "done" else None
    commitment.events.append(
        CommitmentEvent(kind="status", new_status=status, body=note.strip(), created_dt=now, **author)
    )


def report_progress(commitment: Commitment, contact: Contact, body: str, done: bool, now: datetime) -> None:
    """Record what the responsible contact reports; 'done' marks it done (staff can reopen it)."""
    if commitment.status != "open" or commitment.contact_id != contact.id:
        raise CommitmentError(_("This commitment can no longer be reported on."))
    if not body.strip() or len(body) > NOTE_MAX:
        raise CommitmentError(_("Write what you have done or need."))
    if done:
        set_status(commitment, "done", now, body, author_contact=contact)
    else:
        commitment.events.append(
            CommitmentEvent(kind="progress", body=body.strip(), author_contact=contact, created_dt=now)
        )
