"""Event emails (assignment, reply notice): written to the outbox inside the change's transaction,
handed to the workers only after that transaction committed.

The assignment notice needs no call from the issues code: a flush listener sees contacts
added to an issue. A rolled-back change leaves no outbox row and enqueues nothing.
"""

import logging
from contextlib import contextmanager

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from coordapp.core.time import local_today, utcnow
from coordapp.issues.models import UNRESOLVED, Issue
from coordapp.reminders.models import delivery_issues

log = logging.getLogger(__name__)
PENDING_KEY = "reminders_enqueue_after_commit"
QUIET_KEY = "reminders_quiet"


@contextmanager
def quiet(session: Session):
    """Send no assignment notices for changes made inside the block (bulk imports, demo data)."""
    session.info[QUIET_KEY] = True
    try:
        yield
    finally:
        session.info.pop(QUIET_KEY, None)


def outbox_row(
    session: Session,
    *,
    kind: str,
    email: str,
    window_key: str,
    issue_ids: list[int],
    language: str = "id",
    contact_id: int | None = None,
    user_id: int | None = None,
    meeting_id: int | None = None,
) -> int | None:
    """Insert one outbox row in the session's transaction (nothing when its key exists); enqueue it after commit."""
    from coordapp.reminders.sweep import _insert_ignoring_duplicates

    now = utcnow()  # handed over right after the commit; if that fails, a sweep resumes it later
    row = {
        "recipient_email": email,
        "kind": kind,
        "window_key": window_key,
        "contact_id": contact_id,
        "user_id": user_id,
        "meeting_id": meeting_id,
        "language": language,
        "status": "pending",
        "attempts": 0,
        "last_error": "",
        "subject": "",
        "created_dt": now,
        "enqueued_dt": now,
    }
    inserted = session.connection().execute(_insert_ignoring_duplicates([row])).first()
    if inserted is None:
        return None
    if issue_ids:
        session.connection().execute(
            delivery_issues.insert(), [{"delivery_id": inserted.id, "issue_id": i} for i in issue_ids]
        )
    enqueue_after_commit(session, inserted.id)
    return inserted.id


def enqueue_after_commit(session: Session, delivery_id: int) -> None:
    """Hand a delivery to the workers once the session's transaction has committed."""
    session.info.setdefault(PENDING_KEY, []).append(delivery_id)


def _added_contacts(issue: Issue) -> list:
    return list(inspect(issue).attrs.contacts.history.added)


@event.listens_for(Session, "after_flush")
def _notify_new_responsibles(session: Session, flush_context) -> None:
    """Queue an assignment notice for each 'immediate' contact newly responsible for an unresolved issue."""
    if session.info.get(QUIET_KEY):
        return
    for issue in [o for o in list(session.new) + list(session.dirty) if isinstance(o, Issue)]:
        if issue.status not in UNRESOLVED or issue.is_archived:
            continue
        for contact in _added_contacts(issue):
            if contact.reminder_mode == "immediate" and contact.wants_reminders:
                today = local_today(issue.election.timezone if issue.election else "Asia/Jakarta")
                outbox_row(
                    session,
                    kind="assignment",
                    email=contact.email,
                    window_key=f"issue-{issue.id}-{today}",
                    issue_ids=[issue.id],
                    language=contact.language,
                    contact_id=contact.id,
                )


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    ids = session.info.pop(PENDING_KEY, None)
    if not ids:
        return
    from coordapp.reminders.tasks import send_delivery

    for delivery_id in ids:
        try:
            send_delivery.delay(delivery_id)
        except Exception as exc:  # noqa: BLE001 - the row is committed; the next sweep hands it over
            log.warning("broker unavailable, delivery %s waits for the next sweep: %s", delivery_id, exc)
            return


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(PENDING_KEY, None)


def pending_notices(session: Session) -> list[int]:
    """Return the outbox ids this session will enqueue at commit (for tests and the CLI)."""
    return list(session.info.get(PENDING_KEY, []))
