"""Who is told what: recipients of each event, watchers, @mentions, reading and marking read.

The rule for an @mention: ``@`` followed by the part of a user's email address before the ``@``
(``@budi.santoso`` for budi.santoso@kpu.example.org), in a comment, an action or a status reason.
It is unambiguous (names repeat and hold spaces; addresses do not) and case-insensitive.

Only active users with a role are told (every role reads every issue: coordapp.core.visibility,
coordapp.issues.permissions), and never about their own action.
"""

import re
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from coordapp.auth.access import has_role
from coordapp.auth.models import User
from coordapp.core.visibility import STAFF, can_read_entry
from coordapp.extensions import db
from coordapp.issues.models import Issue
from coordapp.notifications.models import IssueWatch, Notification

MENTION = re.compile(r"(?<![\w.@])@([a-z0-9](?:[a-z0-9._+-]*[a-z0-9])?)", re.IGNORECASE)
MENTION_KINDS = ("comment", "action", "status_change")
PER_PAGE = 25


def may_read_issue(user, issue) -> bool:
    """Tell whether user may read an issue (and so be told about it): an active user with a role."""
    return bool(user is not None and user.is_active and has_role(user, "staff"))


def may_read(user, notification: Notification) -> bool:
    """Tell whether user may open a notification: their own, about something they may read."""
    if notification.user_id != user.id or not may_read_issue(user, notification.issue):
        return False
    entry = notification.entry
    return entry is None or can_read_entry(STAFF, entry, [])


def mentioned_handles(text: str) -> set[str]:
    """Return the lower-case email local parts @mentioned in text."""
    return {m.lower() for m in MENTION.findall(text or "")}


def mentioned_users(text: str) -> list[User]:
    """Return the active users @mentioned in text (by the part of their email before the @)."""
    handles = mentioned_handles(text)
    if not handles:
        return []
    found = []  # one query per handle: a comment mentions a few people at most
    for handle in sorted(handles):
        pattern = handle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "@%"
        found += db.session.execute(
            select(User).where(func.lower(User.email).like(pattern, escape="\\"), User.is_active.is_(True))
        ).scalars()
    return list({u.id: u for u in found}.values())


def watcher_ids(issue: Issue) -> set[int]:
    """Return the ids of the users who watch an issue: its owner and creator unless they stopped, and the others."""
    choices = dict(
        db.session.execute(
            select(IssueWatch.user_id, IssueWatch.is_watching).where(IssueWatch.issue_id == issue.id)
        ).all()
    )
    default = {i for i in (issue.owner_id, issue.created_by_id) if i is not None and choices.get(i, True)}
    return default | {user_id for user_id, watching in choices.items() if watching}


def watchers(issue: Issue) -> list[User]:
    """Return the active users who watch an issue, by name."""
    ids = watcher_ids(issue)
    if not ids:
        return []
    return list(
        db.session.execute(select(User).where(User.id.in_(ids), User.is_active.is_(True)).order_by(User.name)).scalars()
    )


def set_watching(issue: Issue, user, watching: bool) -> None:
    """Record that user watches an issue, or stopped watching it."""
    row = db.session.get(IssueWatch, (issue.id, user.id))
    if row is None:
        db.session.add(IssueWatch(issue_id=issue.id, user_id=user.id, is_watching=watching))
    else:
        row.is_watching = watching


def unread_count(user) -> int:
    """Return how many of user's notifications are unread (one indexed query)."""
    return db.session.execute(
        select(func.count(Notification.id)).where(Notification.user_id == user.id, Notification.read_dt.is_(None))
    ).scalar_one()


def inbox_page(user, page: int):
    """Return one page of user's notifications, newest first, with what their text needs loaded."""
    query = (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_dt.desc(), Notification.id.desc())
        .options(*_loads())
    )
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def latest_unread(user, limit: int = 5) -> list[Notification]:
    """Return user's newest unread notifications."""
    query = (
        select(Notification)
        .where(Notification.user_id == user.id, Notification.read_dt.is_(None))
        .order_by(Notification.created_dt.desc(), Notification.id.desc())
        .limit(limit)
        .options(*_loads())
    )
    return list(db.session.execute(query).scalars())


def _loads():
    return (
        joinedload(Notification.issue),
        joinedload(Notification.actor_user),
        joinedload(Notification.commitment),
        joinedload(Notification.entry),
    )


def mark_read(notification: Notification, now: datetime) -> None:
    """Mark one notification read (once: the first reading time stays)."""
    if notification.read_dt is None:
        notification.read_dt = now


def mark_all_read(user, now: datetime) -> int:
    """Mark every unread notification of user read; return how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_dt.is_(None))
        .values(read_dt=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def notify(
    session,
    user,
    kind: str,
    *,
    actor_id=None,
    actor_label="",
    issue=None,
    entry=None,
    commitment=None,
    data=None,
    event_key=None,
    created_dt: datetime | None = None,
) -> Notification | None:
    """Add a notification for user unless they are the actor or may not read it; return it (or None)."""
    if user is None or (actor_id is not None and user.id == actor_id):
        return None
    if not may_read_issue(user, issue):
        return None
    notification = Notification(
        user=user,
        kind=kind,
        issue=issue,
        entry=entry,
        commitment=commitment,
        actor_user_id=actor_id,
        actor_label=actor_label[:300],
        data=data or {},
        event_key=event_key,
    )
    if created_dt is not None:
        notification.created_dt = created_dt
    session.add(notification)
    return notification


def due_day_text(day: date) -> str:
    """Return a date as stored in a notification's data (ISO)."""
    return day.isoformat()
