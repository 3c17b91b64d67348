"""Notifications from what happens, seen at flush: no feature below has to call this one.

Before a flush, the new timeline entries (a stakeholder's reply, a status move, an @mention) and
the issues whose owner changes become notifications; after it, each notification of a user who
wants immediate email becomes one outbox row (key ``notice-<id>``: never sent twice), handed to
the workers after the commit (coordapp.reminders.outbox). A rolled-back change leaves nothing.

Changes that nobody makes (data loaded by a script or the test factories: no signed-in user and
no ``acting_as``) notify nobody, nor do changes inside ``quiet`` (the demo, bulk imports).
"""

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from coordapp.audit.services import current_actor
from coordapp.auth.models import User
from coordapp.core.session_flags import flagged
from coordapp.issues.models import FollowUp, Issue
from coordapp.notifications import services
from coordapp.reminders import outbox
from coordapp.reminders.notifications import QUIET_KEY as REMINDERS_QUIET

QUIET_KEY = "notifications_quiet"
PENDING_KEY = "notifications_to_email"


def quiet(session: Session):
    """Create no notifications for changes made inside the block."""
    return flagged(session, QUIET_KEY)


def remember(session: Session, notifications) -> None:
    """Queue new notifications for their recipients' immediate email (written after the flush)."""
    session.info.setdefault(PENDING_KEY, []).extend(n for n in notifications if n is not None)


def _contact_label(contact) -> str:
    return f"{contact.name} ({contact.organization.label})"


def _entry_notifications(session: Session, entry: FollowUp, actor_id, actor_label: str) -> list:
    issue = entry.issue
    if issue is None:
        return []
    if entry.author_contact is not None:
        actor_label = _contact_label(entry.author_contact)
    elif entry.author_user is not None:
        actor_id, actor_label = entry.author_user.id, entry.author_user.name
    made, told = [], set()

    def tell(user, kind, **data):
        if user is not None and user.id not in told:
            told.add(user.id)
            made.append(
                services.notify(
                    session, user, kind, actor_id=actor_id, actor_label=actor_label, issue=issue, entry=entry, data=data
                )
            )

    if entry.kind == "stakeholder_reply":
        tell(issue.owner, "reply")
    if entry.kind in services.MENTION_KINDS and entry.author_user is not None:
        for user in services.mentioned_users(entry.body):
            tell(user, "mention")
    if entry.kind == "status_change":
        ids = services.watcher_ids(issue) if issue.id is not None else set()
        for user in session.execute(select(User).where(User.id.in_(ids)).order_by(User.id)).scalars() if ids else ():
            tell(user, "status", old=entry.old_status, new=entry.new_status)
    return made


def _new_owner(session: Session, issue: Issue):
    """Return the user an issue is being given to in this flush, or None when its owner stays."""
    state = inspect(issue)
    added = [u for u in state.attrs.owner.history.added if u is not None]
    if added:  # owner_id still holds the stored owner until the flush copies the relationship's
        return added[0] if state.pending or added[0].id != issue.owner_id else None
    history = state.attrs.owner_id.history
    if history.added and history.added[0] is not None and history.added[0] not in (history.deleted or ()):
        return session.get(User, history.added[0])
    return None


@event.listens_for(Session, "before_flush")
def _collect(session: Session, flush_context, instances) -> None:
    """Turn this flush's replies, status moves, mentions and new owners into notifications."""
    if session.info.get(QUIET_KEY) or session.info.get(REMINDERS_QUIET):
        return
    actor_id, label = current_actor()
    if actor_id is None and label == "system":
        return
    actor = session.get(User, actor_id) if actor_id is not None else None
    actor_label = actor.name if actor is not None else label
    made = []
    with session.no_autoflush:
        for obj in list(session.new):
            if isinstance(obj, FollowUp):
                made += _entry_notifications(session, obj, actor_id, actor_label)
        for obj in list(session.new) + list(session.dirty):
            if isinstance(obj, Issue):
                owner = _new_owner(session, obj)
                if owner is not None:
                    made.append(
                        services.notify(
                            session, owner, "assigned", actor_id=actor_id, actor_label=actor_label, issue=obj
                        )
                    )
    remember(session, made)


@event.listens_for(Session, "after_flush")
def _queue_immediate_email(session: Session, flush_context) -> None:
    """Write one outbox row per new notification whose user wants immediate email."""
    for notification in session.info.pop(PENDING_KEY, None) or ():
        user = notification.user
        # A reply's immediate email is the reply notice (coordapp.reminders.replies), not a second one.
        if notification.id is None or notification.kind == "reply" or user.email_notifications != "immediate":
            continue
        outbox.add(
            session,
            kind="notice",
            email=user.email,
            window_key=f"notice-{notification.id}",
            issue_ids=[notification.issue_id] if notification.issue_id else [],
            language=user.language,
            user_id=user.id,
        )


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(PENDING_KEY, None)
