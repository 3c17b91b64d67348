"""Event emails (assignment, reply notice): written to the outbox inside the change's transaction,
handed to the workers only after that transaction committed.

The assignment notice needs no call from the issues code: a flush listener sees contacts
added to an issue. A rolled-back change leaves no outbox row and enqueues nothing.
"""

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from coordapp.core.session_flags import flagged
from coordapp.core.time import local_today
from coordapp.issues.models import UNRESOLVED, Issue
from coordapp.reminders import outbox

QUIET_KEY = "reminders_quiet"


def quiet(session: Session):
    """Send no assignment notices for changes made inside the block (bulk imports, demo data)."""
    return flagged(session, QUIET_KEY)


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
                outbox.add(
                    session,
                    kind="assignment",
                    email=contact.email,
                    window_key=f"issue-{issue.id}-{today}",
                    issue_ids=[issue.id],
                    language=contact.language,
                    contact_id=contact.id,
                )
