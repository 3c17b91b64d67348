"""Attachments: what may be uploaded (type from the content, not the name), where it hangs, who may read it.

A file's type is decided by its first bytes: PDF, PNG, JPEG, and Word or Excel documents (a
zip holding the Office parts). The name's extension must agree with the content, so a page of
HTML named ``report.pdf`` is refused. Bytes go to the content-addressed store; the row keeps
the name, type, size and hash. Who may read an attachment is who may read its parent
(``can_read``); the public only reads one that staff published on a published parent.
"""

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _  # messages are read in the request that shows them
from sqlalchemy.orm import joinedload

from coordapp.auth.access import has_role
from coordapp.commitments.models import Commitment
from coordapp.core.visibility import PUBLIC_READER, STAFF, can_read_attachment, can_read_commitment
from coordapp.extensions import db
from coordapp.files.models import Attachment
from coordapp.files.storage import store
from coordapp.issues.models import Issue
from coordapp.meetings.models import Meeting

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
TYPES = {  # content type -> the extensions a file of that type may carry
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
}


class FileRefused(ValueError):
    """An upload that breaks a rule; the message is for the user."""


@dataclass(frozen=True)
class ParentKind:
    """How to find a parent of one kind and whether the public may read it."""

    model: type
    is_public: Callable[[object], bool]
    staff_may_read: Callable[[object, object], bool] = lambda user, parent: has_role(user, "staff")
    # who may upload to a parent of this kind, and mark its files public or internal
    may_change: Callable[[object, object], bool] = lambda user, parent: has_role(user, "staff")
    # the page to go back to after an upload (its id -> URL); None: the election's home
    page_url: Callable[[int], str] | None = None


def _meeting_public(meeting: Meeting) -> bool:
    return meeting.is_public and not meeting.is_archived


def _commitment_public(commitment: Commitment) -> bool:
    published = commitment.meeting is not None and _meeting_public(commitment.meeting)
    return can_read_commitment(PUBLIC_READER, commitment, published)


# Features above this one (accountability reports: "report") add themselves through register_parent.
PARENTS: dict[str, ParentKind] = {
    "meeting": ParentKind(Meeting, _meeting_public),
    "issue": ParentKind(Issue, lambda issue: issue.is_public and not issue.is_archived),
    "commitment": ParentKind(Commitment, _commitment_public),
}


def register_parent(parent_type: str, kind: ParentKind) -> None:
    """Let records of a feature above files carry attachments (the feature says who reads and who changes them)."""
    PARENTS[parent_type] = kind


def may_change(user, parent_type: str, parent) -> bool:
    """Tell whether user may upload to this parent and mark its files public or internal."""
    kind = PARENTS.get(parent_type)
    return kind is not None and kind.may_change(user, parent)


def public_attachments(parent_type: str, parent_id: int) -> list[Attachment]:
    """Return the attachments of a parent that anyone may download (public files of a public parent)."""
    kind, parent = PARENTS.get(parent_type), parent_of(parent_type, parent_id)
    if kind is None or parent is None:
        return []
    public = kind.is_public(parent)
    return [a for a in attachments_of(parent_type, parent_id) if can_read_attachment(PUBLIC_READER, a, False, public)]


def parent_of(parent_type: str, parent_id: int):
    """Return the record an attachment hangs on (None when the kind or the record is unknown)."""
    kind = PARENTS.get(parent_type)
    return db.session.get(kind.model, parent_id) if kind else None


def can_read(user, attachment: Attachment) -> bool:
    """Tell whether user (anonymous included) may download an attachment: who may read its parent."""
    kind = PARENTS.get(attachment.parent_type)
    parent = parent_of(attachment.parent_type, attachment.parent_id)
    if kind is None or parent is None:
        return False
    if user is not None and user.is_authenticated:
        return can_read_attachment(STAFF, attachment, kind.staff_may_read(user, parent), kind.is_public(parent))
    return can_read_attachment(PUBLIC_READER, attachment, False, kind.is_public(parent))


def sniff(data: bytes) -> str | None:
    """Return the content type the bytes are, among the allowed ones (None: not allowed)."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


def clean_name(name: str) -> str:
    """Return a file name safe to show and to offer for download (no path, no control characters)."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f\"<>|:*?]", "", name).strip(" .")
    return name[-200:] or "file"


def max_bytes() -> int:
    """Return the largest upload accepted, in bytes."""
    return current_app.config.get("FILES_MAX_BYTES", DEFAULT_MAX_BYTES)


def attach(parent_type: str, parent, filename: str, data: bytes, actor, now: datetime) -> Attachment:
    """Check and store an upload on a parent; return its row."""
    if getattr(parent, "is_archived", False):
        raise FileRefused(_("This record is archived and cannot be changed."))
    if not data:
        raise FileRefused(_("The file is empty."))
    if len(data) > max_bytes():
        raise FileRefused(_("The file is larger than %(mb)d MB.", mb=max_bytes() // (1024 * 1024)))
    name = clean_name(filename)
    content_type = sniff(data)
    if content_type is None:
        raise FileRefused(_("Only PDF, PNG, JPEG, Word (.docx) and Excel (.xlsx) files can be attached."))
    if not name.lower().endswith(TYPES[content_type]):
        raise FileRefused(_("The file's name does not match its content."))
    sha256 = store().put(data)
    attachment = Attachment(
        parent_type=parent_type,
        parent_id=parent.id,
        sha256=sha256,
        filename=name,
        content_type=content_type,
        size=len(data),
        uploaded_by=actor,
        created_dt=now,
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def set_public(attachment: Attachment, public: bool) -> None:
    """Mark an attachment public (shown on the portal when its parent is published) or internal."""
    attachment.is_public = public


def attachments_of(parent_type: str, parent_id: int) -> list[Attachment]:
    """Return a parent's attachments, oldest first, with who uploaded them (one query)."""
    return list(
        db.session.execute(
            db.select(Attachment)
            .options(joinedload(Attachment.uploaded_by))
            .where(Attachment.parent_type == parent_type, Attachment.parent_id == parent_id)
            .order_by(Attachment.created_dt, Attachment.id)
        ).scalars()
    )


def read_bytes(attachment: Attachment) -> bytes:
    """Return an attachment's bytes from the store."""
    return store().get(attachment.sha256)
