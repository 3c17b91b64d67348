"""Stakeholders answering without an account: reply links, one-click unsubscribe, and turning reminders back on.

A reply link opens the issues of its delivery for its contact, and only while the contact still
has the right to answer them: every GET and POST checks that the link is known, not expired, not
revoked by staff, that the contact is active (and their organisation) and has not unsubscribed,
and, issue by issue, that the contact is still responsible for it and it is still open (not
resolved, closed or archived). Issues that fail drop off the page; when none is left the link
answers with a page saying why. It may be used again until then (a contact can add to an answer).

Ticking "done" on an issue records that claim on the contact's reply (``action_done_dt``) and
tells the owner; it does not move the issue (staff check and decide). The reminder planner stops
reminding that contact's organisation about that issue until staff move its status, and no one else.
"""

from datetime import datetime

from coordapp.audit.services import acting_as
from coordapp.commitments.models import Commitment
from coordapp.commitments.services import report_progress
from coordapp.core.visibility import SHARED
from coordapp.extensions import db
from coordapp.issues.models import UNRESOLVED, FollowUp, Issue
from coordapp.issues.services import add_follow_up
from coordapp.reminders import outbox
from coordapp.reminders.links import hash_token, read_unsubscribe_token
from coordapp.reminders.models import ReplyToken
from coordapp.stakeholders.models import Contact

# Why a link opens nothing, and the HTTP status it answers with.
GONE_STATUS = {
    "unknown": 404,
    "expired": 410,
    "revoked": 410,
    "unsubscribed": 410,
    "nothing_left": 410,
    "inactive": 403,
}


class LinkGone(Exception):
    """A reply link that opens nothing now; ``reason`` says why (a key of GONE_STATUS)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
        self.status = GONE_STATUS[reason]


def _refusal(token: ReplyToken, now: datetime) -> str | None:
    """Return why a known token opens nothing at now, or None when its contact may still use it."""
    contact = token.contact
    if token.revoked_dt is not None:
        return "revoked"
    if token.expires_dt <= now:
        return "expired"
    if not contact.is_active or not contact.organization.is_active:
        return "inactive"
    if contact.unsubscribed_dt is not None:
        return "unsubscribed"
    if not answerable(token) and not open_commitments(token):
        return "nothing_left"
    return None


def find_reply_token(raw: str, now: datetime) -> ReplyToken:
    """Return the token of a link its contact may still use now, or raise LinkGone saying why."""
    if not raw or len(raw) > 200:
        raise LinkGone("unknown")
    token = db.session.execute(db.select(ReplyToken).filter_by(token_hash=hash_token(raw))).scalar_one_or_none()
    if token is None or token.meeting_id is not None:  # an RSVP link answers its meeting only (reminders.rsvp)
        raise LinkGone("unknown")
    reason = _refusal(token, now)
    if reason is not None:
        raise LinkGone(reason)
    return token


def answerable(token: ReplyToken) -> list[Issue]:
    """Return the token's issues its contact may still answer: open, not archived, still theirs."""
    contact = token.contact
    return [i for i in token.issues if i.status in UNRESOLVED and not i.is_archived and contact in i.contacts]


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
    """Add the contact's reply (one text for all) to each chosen issue of the token, and notify each owner."""
    return record_answers(token, {issue_id: body for issue_id in issue_ids}, done_ids, now)


def record_answers(token: ReplyToken, answers: dict[int, str], done_ids: list[int], now: datetime) -> list[FollowUp]:
    """Add each of the contact's answers to its own issue of the token (only there), and queue a notice to each owner.

    ``answers`` maps an issue id to its answer; an issue without an answer gets nothing.
    """
    allowed = {i.id: i for i in answerable(token)}
    answers = {issue_id: body.strip() for issue_id, body in answers.items() if body and body.strip()}
    if not answers or any(i not in allowed for i in answers) or any(i not in answers for i in done_ids):
        raise ValueError("no answer, or an issue outside the reply link")
    contact = token.contact
    entries = []
    with acting_as(None, label=contact.email):
        for issue_id, body in answers.items():
            entries.append(
                add_follow_up(
                    allowed[issue_id],
                    kind="stakeholder_reply",
                    body=body,
                    author_contact=contact,
                    action_done_dt=now if issue_id in done_ids else None,
                    visibility=SHARED,
                    created_dt=now,  # one reply: the owner's notice finds its entries by author and time
                )
            )
        token.used_dt = now
        db.session.flush()
        _notify_owners([allowed[i] for i in answers], entries[0])
    return entries


def revoke_links(contact: Contact, now: datetime) -> int:
    """Withdraw every reply link of a contact (staff action, audited on the contact); return how many were live."""
    tokens = db.session.execute(
        db.select(ReplyToken).where(ReplyToken.contact_id == contact.id, ReplyToken.revoked_dt.is_(None))
    ).scalars()
    live = 0
    for token in tokens:
        live += token.expires_dt > now
        token.revoked_dt = now
    contact.links_revoked_dt = now
    return live


def _notify_owners(issues: list[Issue], first_entry: FollowUp) -> None:
    owners = {}
    for issue in issues:
        # The reply notice is the owner's immediate email about a reply; "daily" gets it in the inbox digest.
        if issue.owner is not None and issue.owner.is_active and issue.owner.email_notifications == "immediate":
            owners.setdefault(issue.owner, []).append(issue.id)
    for owner, ids in owners.items():
        outbox.add(
            db.session,
            kind="reply_notice",
            email=owner.email,
            window_key=f"reply-{first_entry.id}",
            issue_ids=ids,
            language=owner.language,
            user_id=owner.id,
        )


def contact_for_unsubscribe(token: str, now: datetime) -> Contact | None:
    """Return the contact a live unsubscribe token stands for (None when unknown, old-style or expired)."""
    return read_unsubscribe_token(token, now)


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
