"""An attachment: a stored file hung on a parent record (a meeting, an issue, a commitment, a report)."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordapp.core.time import utcnow
from coordapp.core.types import UTCDateTime
from coordapp.extensions import db


class Attachment(db.Model):
    """A file on a parent record; the bytes live in the store under their SHA-256."""

    __tablename__ = "attachments"
    __audited__ = True
    __table_args__ = (Index("ix_attachments_parent", "parent_type", "parent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # meeting|issue|commitment|report (see files.parents)
    parent_type: Mapped[str] = mapped_column(String(20), info={"label": _l("Attached to")})
    parent_id: Mapped[int] = mapped_column(info={"label": _l("Attached to (id)")})
    sha256: Mapped[str] = mapped_column(String(64), index=True, info={"label": _l("SHA-256")})
    # as uploaded, cleaned
    filename: Mapped[str] = mapped_column(String(200), info={"label": _l("File name")})
    # decided from the content, never from the name
    content_type: Mapped[str] = mapped_column(String(100), info={"label": _l("File type")})
    size: Mapped[int] = mapped_column(info={"label": _l("Size")})
    # staff chose to publish it (with a public parent)
    is_public: Mapped[bool] = mapped_column(default=False, info={"label": _l("Public")})
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), info={"label": _l("Uploaded by")})
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploaded_by = relationship("User")

    def __repr__(self) -> str:
        return f"<Attachment {self.id} {self.parent_type}:{self.parent_id} {self.filename!r}>"
