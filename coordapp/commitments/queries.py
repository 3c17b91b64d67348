"""Reading commitments: those of a meeting or an issue, and per-stage counts for the board."""

from datetime import date

from sqlalchemy import and_, case, func
from sqlalchemy.orm import selectinload

from coordapp.commitments.models import Commitment, CommitmentEvent
from coordapp.core.time import local_today
from coordapp.extensions import db
from coordapp.stakeholders.models import Contact, Organization

COLUMNS = {"meeting": Commitment.meeting_id, "issue": Commitment.issue_id}


def commitments_of(parent_type: str, parent_id: int) -> list[Commitment]:
    """Return the commitments made on a meeting or an issue, by due date, with their timelines."""
    column = COLUMNS.get(parent_type)
    if column is None:
        return []
    return list(
        db.session.execute(
            db.select(Commitment)
            .where(column == parent_id)
            .options(
                selectinload(Commitment.organization),
                selectinload(Commitment.contact),
                selectinload(Commitment.events).selectinload(CommitmentEvent.author_contact),
                selectinload(Commitment.events).selectinload(CommitmentEvent.author_user),
            )
            .order_by(Commitment.due_date, Commitment.id)
        ).scalars()
    )


def responsible_choices() -> tuple[list[Organization], list[Contact]]:
    """Return the active organizations and contacts a commitment can name."""
    organizations = db.session.execute(
        db.select(Organization).where(Organization.is_active.is_(True)).order_by(Organization.name)
    ).scalars()
    contacts = db.session.execute(
        db.select(Contact).where(Contact.is_active.is_(True)).order_by(Contact.name)
    ).scalars()
    return list(organizations), list(contacts)


def stage_counts(election_id: int, today: date) -> dict[int | None, dict[str, int]]:
    """Count per stage the commitments made, kept (done by their due date) and overdue (open past it), in one query."""
    c = Commitment
    kept = and_(c.status == "done", c.done_dt.is_not(None), func.date(c.done_dt) <= c.due_date)
    rows = db.session.execute(
        db.select(
            c.stage_id,
            func.count(c.id),
            func.sum(case((kept, 1), else_=0)),
            func.sum(case((and_(c.status == "open", c.due_date < today), 1), else_=0)),
        )
        .where(c.election_id == election_id)
        .group_by(c.stage_id)
    )
    return {stage: {"made": made, "kept": int(k or 0), "overdue": int(o or 0)} for stage, made, k, o in rows}


def today_local() -> date:
    """Return today's date in the default election timezone (for the overdue marks)."""
    return local_today()
