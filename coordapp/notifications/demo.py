"""A few inbox items for the demo's staff and manager, so the inbox is not empty after `make run`."""

from datetime import timedelta

from sqlalchemy import select

from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.issues.models import FollowUp, Issue
from coordapp.notifications.models import Notification


def seed_demo_inbox(election, staff, colleague, manager) -> int:
    """Give staff a reply, an assignment and a mention, and the manager a status move (once); return how many."""
    if db.session.execute(select(Notification.id).where(Notification.user_id == staff.id).limit(1)).first():
        return 0
    issues = list(
        db.session.execute(
            select(Issue).where(Issue.election_id == election.id, Issue.is_archived.is_(False)).order_by(Issue.id)
        ).scalars()
    )
    if len(issues) < 3:
        return 0
    reply = db.session.execute(
        select(FollowUp)
        .join(Issue, FollowUp.issue_id == Issue.id)
        .where(Issue.election_id == election.id, FollowUp.kind == "stakeholder_reply")
        .order_by(FollowUp.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    now = utcnow()
    rows = [
        Notification(
            user=staff, kind="assigned", issue=issues[0], actor_user_id=manager.id, created_dt=now - timedelta(hours=20)
        ),
        Notification(
            user=staff, kind="mention", issue=issues[1], actor_user_id=colleague.id, created_dt=now - timedelta(hours=5)
        ),
        Notification(
            user=manager,
            kind="status",
            issue=issues[2],
            actor_user_id=staff.id,
            data={"old": "open", "new": "in_progress"},
            created_dt=now - timedelta(hours=3),
            read_dt=now - timedelta(hours=2),
        ),
    ]
    if reply is not None:
        contact = reply.author_contact
        label = f"{contact.name} ({contact.organization.label})" if contact else ""
        rows.append(
            Notification(
                user=staff,
                kind="reply",
                issue=reply.issue,
                entry=reply,
                actor_label=label,
                created_dt=now - timedelta(hours=1),
            )
        )
    db.session.add_all(rows)
    return len(rows)
