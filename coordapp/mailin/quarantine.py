"""The quarantine: messages mail-in could not place, for staff to attach to an issue or discard."""

from datetime import datetime

from flask_babel import lazy_gettext as _l

from coordapp.core.time import utcnow
from coordapp.core.visibility import INTERNAL
from coordapp.extensions import db
from coordapp.issues.models import FollowUp, Issue
from coordapp.issues.services import add_follow_up
from coordapp.mailin import attachments, parsing
from coordapp.mailin.models import InboundMessage
from coordapp.stakeholders.models import Contact

# Why a message is held (InboundMessage.reason), as staff read it.
REASONS = {
    "unknown": _l("No reply address of ours, or one nobody was given"),
    "expired": _l("The reply address has expired"),
    "revoked": _l("The reply address was withdrawn"),
    "inactive": _l("The contact or organisation is deactivated"),
    "unsubscribed": _l("The contact stopped reminders"),
    "nothing_left": _l("None of the issues is open for this contact any more"),
    "empty": _l("Nothing written above the quoted email"),
    "unreadable": _l("The message could not be read"),
    "rate_limited": _l("Too many messages from this sender in an hour"),
}


def held() -> list[InboundMessage]:
    """Return the quarantined messages, newest first."""
    stmt = db.select(InboundMessage).filter_by(status="quarantined").order_by(InboundMessage.received_dt.desc())
    return list(db.session.execute(stmt).scalars())


def bouncing_contacts() -> list[Contact]:
    """Return the contacts whose address bounced, most recent first."""
    stmt = db.select(Contact).where(Contact.bounced_dt.is_not(None)).order_by(Contact.bounced_dt.desc())
    return list(db.session.execute(stmt).scalars())


def raw_text(message: InboundMessage) -> str:
    """Return the raw message as text for reading (the page escapes it)."""
    return message.raw.decode("utf-8", errors="replace")


def visible_text(message: InboundMessage) -> str:
    """Return what the sender wrote above the quote ('' when the message cannot be read)."""
    try:
        return parsing.visible_reply(parsing.body_text(parsing.parse(message.raw)))
    except Exception:  # noqa: BLE001 - an unreadable message shows its raw text only
        return ""


def assign(message: InboundMessage, issue: Issue, user, now: datetime | None = None) -> FollowUp:
    """Put a held message (text and files) on an issue's timeline as an internal entry by the staff member
    who placed it; the decision is audited."""
    try:
        parsed = parsing.parse(message.raw)
    except Exception:  # noqa: BLE001 - an unreadable message brings its sender and subject only
        parsed = None
    sender = message.sender or (parsing.sender_address(parsed) if parsed is not None else "")
    body = f"{sender}: {visible_text(message) or message.subject}"
    entry = add_follow_up(issue, kind="comment", body=body, author_user=user, visibility=INTERNAL)
    db.session.flush()
    if parsed is not None:
        attachments.keep(parsed, [entry], message, now or utcnow())
    message.status, message.decision, message.assigned_issue_id = "assigned", "assigned", issue.id
    return entry


def discard(message: InboundMessage) -> None:
    """Drop a held message from the quarantine (the row stays, so the same Message-ID is not taken again); audited."""
    message.status, message.decision = "discarded", "discarded"
