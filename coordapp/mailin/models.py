"""A message received by mail-in: kept raw first, then processed once; the replies it put on timelines."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordapp.audit.history import ENTITY_TYPES
from coordapp.core.labels import LABELS
from coordapp.core.time import utcnow
from coordapp.core.types import UTCDateTime
from coordapp.extensions import db

# received: waiting for the task; processing: a worker holds it (until its commit); recorded: on the
# issues' timelines; auto_reply: counted only; bounce: its contacts marked; quarantined: waits for staff
# (reason says why); discarded / assigned: staff decided.
STATUSES = ("received", "processing", "recorded", "auto_reply", "bounce", "quarantined", "discarded", "assigned")
# What staff decided about a held message (the audit trail records it, with who and when).
LABELS.setdefault("mail_decision", {"assigned": _l("Attached to an issue"), "discarded": _l("Discarded")})
ENTITY_TYPES.setdefault("inbound_messages", _l("Received email"))


class InboundMessage(db.Model):
    __tablename__ = "inbound_messages"
    # Only staff's decisions on a held message are audited; what the intake and the worker do is not.
    __audited__ = True

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
    # Staff's decision on a held message ("" until then) and the issue they attached it to.
    decision: Mapped[str] = mapped_column(
        String(20), default="", server_default="", info={"label": _l("Decision"), "coded": "mail_decision"}
    )
    assigned_issue_id: Mapped[int | None] = mapped_column(
        ForeignKey("issues.id", ondelete="SET NULL"), info={"label": _l("Issue")}
    )

    @property
    def label(self) -> str:
        """Name the message as the audit trail shows it: sender and subject."""
        return f"{self.sender}: {self.subject}" if self.sender else self.subject

    def __repr__(self) -> str:
        return f"<InboundMessage {self.id} {self.status}>"


InboundMessage.__audit_exclude__ = {c.key for c in InboundMessage.__table__.columns} - {"decision", "assigned_issue_id"}


class EmailReply(db.Model):
    """A timeline entry that came by email: its message (sender, mismatch) and the attachments it could not keep."""

    __tablename__ = "email_replies"

    follow_up_id: Mapped[int] = mapped_column(ForeignKey("follow_ups.id", ondelete="CASCADE"), primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("inbound_messages.id", ondelete="CASCADE"), index=True)
    # [{"name": file name, "reason": why it was refused (attachments.REFUSALS)}]
    refused: Mapped[list] = mapped_column(JSON, default=list)

    message: Mapped[InboundMessage] = relationship()
