"""A message received by mail-in: kept raw first, then processed once."""

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coordapp.core.time import utcnow
from coordapp.core.types import UTCDateTime
from coordapp.extensions import db

# received: waiting for the task; processing: a worker holds it (until its commit); recorded: on the
# issues' timelines; auto_reply: counted only; bounce: its contacts marked; quarantined: waits for staff
# (reason says why); discarded / assigned: staff decided.
STATUSES = ("received", "processing", "recorded", "auto_reply", "bounce", "quarantined", "discarded", "assigned")


class InboundMessage(db.Model):
    __tablename__ = "inbound_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The Message-ID header (or a hash of the bytes when there is none): one message, one row.
    message_key: Mapped[str] = mapped_column(String(255), unique=True)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    # Envelope recipients as the relay gave them (one per line); the reply address is among them.
    recipients: Mapped[str] = mapped_column(Text, default="")
    sender: Mapped[str] = mapped_column(String(254), default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(20), default="received", index=True)
    reason: Mapped[str] = mapped_column(String(40), default="")
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    # The token's contact did not send it (From differs): shown to staff, the reply still counts.
    is_sender_mismatch: Mapped[bool] = mapped_column(default=False)
    received_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    processed_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<InboundMessage {self.id} {self.status}>"
