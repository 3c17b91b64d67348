"""Files a reply by email carries: kept through the attachment store, shown with the reply, read as the reply is.

Each attached file goes through ``files.services.attach`` (the upload rules: size, type read from the
content, a name that matches it) onto the reply's timeline entry, a parent kind of its own ("reply")
that the public never reads: a stakeholder's words and files are for staff (and their own
organisation), whatever staff publish of the issue. A file the rules refuse is noted on the entry
(its name and why); the reply itself still lands. Images the HTML body shows inline (a signature
logo with a Content-ID) are part of the message, not files the sender attached, and are left out.

Staff download them like any attachment (files.download). A contact reads them where they read the
reply, on their reply link's page, and downloads them through that link (``readable_by_contact``):
only files of replies their organisation wrote, on issues the link still opens.
"""

from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coordapp.core.visibility import can_read_entry, contact_reader
from coordapp.extensions import db
from coordapp.files.models import Attachment
from coordapp.files.services import PARENTS, FileRefused, ParentKind, attach, clean_name, max_bytes, sniff
from coordapp.issues.models import FollowUp
from coordapp.mailin.models import EmailReply, InboundMessage
from coordapp.reminders.models import ReplyToken
from coordapp.reminders.replies import answerable

PARENT = "reply"
PARENTS.setdefault(PARENT, ParentKind(FollowUp, lambda entry: False))  # never public

# Why the attachment store refused a file (EmailReply.refused), as staff read it.
REFUSALS = {
    "empty": _l("The file is empty."),
    "type": _l("Only PDF, PNG, JPEG, Word (.docx) and Excel (.xlsx) files can be attached."),
    "name": _l("The file's name does not match its content."),
}


def files_of(message: EmailMessage) -> list[tuple[str, bytes]]:
    """Return the (name, bytes) of each file the sender attached."""
    found = []
    for part in message.iter_attachments():
        if part.get_content_disposition() != "attachment" and (part.get_filename() is None or part["Content-ID"]):
            continue
        nested = part.get_content_maintype() in ("message", "multipart")  # a forwarded email: kept whole
        data = part.as_bytes() if nested else (part.get_payload(decode=True) or b"")
        found.append((part.get_filename() or "attachment", data))
    return found


def refusal_code(data: bytes) -> str:
    """Return which upload rule a refused file broke (a key of REFUSALS, or 'too_large')."""
    if not data:
        return "empty"
    if len(data) > max_bytes():
        return "too_large"
    return "type" if sniff(data) is None else "name"


def refusal_text(code: str) -> str:
    """Return why a file was not kept, in the reader's language."""
    if code == "too_large":
        return _("The file is larger than %(mb)d MB.", mb=max_bytes() // (1024 * 1024))
    return str(REFUSALS.get(code, REFUSALS["type"]))


def keep(message: EmailMessage, entries: list[FollowUp], row: InboundMessage, now: datetime) -> list[dict]:
    """Attach the message's files to each entry it made, link the entries to the message; return the refusals."""
    refused = []
    for name, data in files_of(message):
        try:
            for entry in entries:
                attach(PARENT, entry, name, data, None, now)
        except FileRefused:  # the same rules for every entry: refused on the first, nothing was kept
            refused.append({"name": clean_name(name), "reason": refusal_code(data)})
    for entry in entries:
        db.session.add(EmailReply(follow_up_id=entry.id, message_id=row.id, refused=refused))
    db.session.flush()
    return refused


@dataclass
class ByEmail:
    """What the timeline shows with an entry that came by email."""

    sender: str
    is_sender_mismatch: bool
    refused: list[dict]
    files: list[Attachment] = field(default_factory=list)


def by_email(issue_id: int) -> dict[int, ByEmail]:
    """Return, by entry id, the issue's timeline entries that came by email (two queries, whatever their number)."""
    rows = db.session.execute(
        db.select(EmailReply.follow_up_id, EmailReply.refused, InboundMessage.sender, InboundMessage.is_sender_mismatch)
        .join(InboundMessage, InboundMessage.id == EmailReply.message_id)
        .join(FollowUp, FollowUp.id == EmailReply.follow_up_id)
        .where(FollowUp.issue_id == issue_id)
    ).all()
    found = {r.follow_up_id: ByEmail(r.sender, r.is_sender_mismatch, list(r.refused or [])) for r in rows}
    if found:
        files = db.session.execute(
            db.select(Attachment)
            .where(Attachment.parent_type == PARENT, Attachment.parent_id.in_(found))
            .order_by(Attachment.id)
        ).scalars()
        for attachment in files:
            found[attachment.parent_id].files.append(attachment)
    return found


def files_by_entry(entry_ids: list[int]) -> dict[int, list[Attachment]]:
    """Return the files of these entries by entry id (one query), for the reply link's page."""
    found: dict[int, list[Attachment]] = {}
    if entry_ids:
        stmt = db.select(Attachment).where(Attachment.parent_type == PARENT, Attachment.parent_id.in_(entry_ids))
        for attachment in db.session.execute(stmt.order_by(Attachment.id)).scalars():
            found.setdefault(attachment.parent_id, []).append(attachment)
    return found


def readable_by_contact(token: ReplyToken, attachment: Attachment) -> bool:
    """Tell whether the contact of a live reply link may download a reply's file: a reply the contact may
    read (their organisation's, core.visibility) on an issue the link still opens."""
    if attachment.parent_type != PARENT:
        return False
    entry = db.session.get(FollowUp, attachment.parent_id)
    if entry is None or entry.issue_id not in {issue.id for issue in answerable(token)}:
        return False
    return can_read_entry(contact_reader(token.contact), entry, [c.id for c in entry.issue.contacts])
