"""Stakeholders answering without an account: reply links, one-click unsubscribe, and turning reminders back on.

A reply link opens exactly the issues of its delivery, for its contact, until it expires;
it may be used again until then (a contact can add to an answer). Ticking "done" on an
issue records the reply with ``action_done_dt`` set and moves an open or waiting issue to
``in_progress`` (the owner now checks and resolves it); contacts are not reminded about it
again until staff move its status.
"""

from datetime import datetime

from flask_babel import gettext as _

from coordapp.audit.services import acting_as
from coordapp.commitments.models import Commitment
from coordapp.commitments.services import report_progress
from coordapp.extensions import db
from coordapp.issues.models import UNRESOLVED, FollowUp, Issue
from coordapp.issues.services import add_follow_up, change_status
from coordapp.reminders.links import hash_token, read_unsubscribe_token
from coordapp.reminders.models import ReplyToken
from coordapp.reminders.notifications import outbox_row
from coordapp.stakeholders.models import Contact


class LinkGone(Exception):
    """A reply link that is unknown (404) or expired (410)."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


def find_reply_token(raw: str, now: datetime) -> ReplyToken:
    """Return the live token for a link, or raise LinkGone."""
    if not raw or len(raw) > 200:
        raise LinkGone(404)
    token = db.session.execute(db.select(ReplyToken).filter_by(token_hash=hash_token(raw))).scalar_one_or_none()
    if token is None or token.meeting_id is not None:  # an RSVP link answers its meeting only (reminders.rsvp)
        raise LinkGone(404)
    if token.expires_dt <= now:
        raise LinkGone(410)
    return token


def answerable(token: ReplyToken) -> list[Issue]:
    """Return the token's issues that can still be answered (unresolved, not archived)."""
    return [i for i in token.issues if i.status in UNRESOLVED and not i.is_archived]


def open_commitments(token: ReplyToken) -> list[Commitment]:
    """Return the open commitments of the token's digest that its contact is responsible for."""
    if token.delivery is None:
        return []
    return [c for c in token.delivery.commitments if c.status == "open" and c.contact_id == token.contact_id]


def report_commitment(token: ReplyToken, commitment_id: int, body: str, done: bool, now: datetime) -> Commitment:
    """Record the contact's progress on one commitment of the link (done: mark it done)."""
    commitment = next((c for c in open_commitments(token) if c.id == commitment_id), None)
    if commitment is None:
        raise ValueError("commitment outside the reply link")
    with acting_as(None, label=token.contact.email):
        report_progress(commitment, token.contact, body, done, now)
        token.used_dt = now
        db.session.flush()
    return commitment


def record_reply(
    token: ReplyToken, issue_ids: list[int], done_ids: list[int], body: str, now: datetime
) -> list[FollowUp]:
    """Add the contact's reply to each chosen issue of the token, and queue a notice to each owner."""
    allowed = {i.id: i for i in answerable(token)}
    if not issue_ids or any(i not in allowed for i in issue_ids):
        raise ValueError("issue outside the reply link")
    contact = token.contact
    entries = []
    with acting_as(None, label=contact.email):
        for issue_id in issue_ids:
            issue = allowed[issue_id]
            done = issue_id in done_ids
            entries.append(
                add_follow_up(
                    issue,
                    kind="stakeholder_reply",
                    body=body,
                    author_contact=contact,
                    action_done_dt=now if done else None,
                )
            )
            if done and issue.status in ("open", "waiting"):
                change_status(
                    issue,
                    "in_progress",
                    author_contact=contact,
                    reason=_("Reported as followed up by the stakeholder."),
                )
        token.used_dt = now
        db.session.flush()
        _notify_owners([allowed[i] for i in issue_ids], entries[0])
    return entries


def _notify_owners(issues: list[Issue], first_entry: FollowUp) -> None:
    owners = {}
    for issue in issues:
        if issue.owner is not None and issue.owner.is_active:
            owners.setdefault(issue.owner, []).append(issue.id)
    for owner, ids in owners.items():
        outbox_row(
            db.session,
            kind="reply_notice",
            email=owner.email,
            window_key=f"reply-{first_entry.id}",
            issue_ids=ids,
            language=owner.language,
            user_id=owner.id,
        )


def contact_for_unsubscribe(token: str) -> Contact | None:
    """Return the contact a signed unsubscribe token names (None when tampered or stale)."""
    read = read_unsubscribe_token(token)
    if read is None:
        return None
    contact = db.session.get(Contact, read[0])
    return contact if contact is not None and contact.email == read[1] else None


def unsubscribe(contact: Contact, now: datetime) -> None:
    """Stop every reminder to a contact, attributed to the contact in the audit trail."""
    if contact.unsubscribed_dt is None:
        with acting_as(None, label=contact.email):
            contact.unsubscribed_dt = now
            db.session.flush()


def resume_reminders(contact: Contact) -> None:
    """Turn a contact's reminders back on (staff action; daily digest when they were off)."""
    contact.unsubscribed_dt = None
    if contact.reminder_mode == "off":
        contact.reminder_mode = "daily"
