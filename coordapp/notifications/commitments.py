"""Commitments coming due: the owner of the commitment's issue, and whoever recorded it, are told once.

Once when the due day comes ("due today") and once when it has passed ("overdue"), per due date:
moving the date tells them again. Run by beat every morning (coordapp.celery_app).
"""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coordapp.commitments.models import Commitment
from coordapp.core.time import to_local
from coordapp.extensions import db
from coordapp.notifications import events, services
from coordapp.notifications.models import Notification


def _recipients(commitment: Commitment) -> list:
    people = [commitment.issue.owner if commitment.issue is not None else None, commitment.created_by]
    return list({u.id: u for u in people if u is not None}.values())


def notify_due(now: datetime) -> int:
    """Tell the people of each open commitment due today or overdue (once per day kind); return how many."""
    due = db.session.execute(
        select(Commitment)
        .where(Commitment.status == "open", Commitment.due_date <= (now + timedelta(days=1)).date())  # local day: below
        .options(joinedload(Commitment.election), joinedload(Commitment.issue), joinedload(Commitment.created_by))
    ).scalars()
    sent = set(
        db.session.execute(
            select(Notification.user_id, Notification.event_key).where(Notification.event_key.is_not(None))
        ).tuples()
    )
    made = []
    for commitment in due:
        today = to_local(now, commitment.election.timezone).date()
        if commitment.due_date > today:
            continue
        kind = "commitment_due" if commitment.due_date == today else "commitment_overdue"
        key = f"{kind}-{commitment.id}-{commitment.due_date.isoformat()}"
        for user in _recipients(commitment):
            if (user.id, key) in sent:
                continue
            made.append(
                services.notify(
                    db.session,
                    user,
                    kind,
                    issue=commitment.issue,
                    commitment=commitment,
                    data={"due": commitment.due_date.isoformat()},
                    event_key=key,
                )
            )
    made = [n for n in made if n is not None]
    events.remember(db.session, made)
    db.session.flush()
    return len(made)
