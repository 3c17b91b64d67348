"""An attachment: a stored file hung on a parent record (a meeting, an issue, a commitment, a report)."""

from datetime import datetime

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
    parent_type: Mapped[str] = mapped_column(String(20))  # meeting|issue|commitment|report (see files.parents)
    parent_id: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(200))  # as uploaded, cleaned
    content_type: Mapped[str] = mapped_column(String(100))  # decided from the content, never from the name
    size: Mapped[int]
    is_public: Mapped[bool] = mapped_column(default=False)  # staff chose to publish it (with a public parent)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploaded_by = relationship("User")

    def __repr__(self) -> str:
        return f"<Attachment {self.id} {self.parent_type}:{self.parent_id} {self.filename!r}>"
