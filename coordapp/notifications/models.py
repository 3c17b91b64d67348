"""In-app notifications (the inbox) and who watches which issue."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordapp.core.time import utcnow
from coordapp.core.types import UTCDateTime
from coordapp.extensions import db

# reply: a stakeholder replied on my issue; assigned: I was made owner; status: a watched issue moved;
# mention: someone wrote @me; commitment_due / commitment_overdue: a commitment of my issue (or that I made).
KINDS = ("reply", "assigned", "status", "mention", "commitment_due", "commitment_overdue")


class Notification(db.Model):
    """One item of a user's inbox; its text is built from kind and data when shown, in the reader's language."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_read", "user_id", "read_dt"),  # the unread count in the header
        Index("ix_notifications_user_created", "user_id", "created_dt"),  # the inbox, newest first
        UniqueConstraint("user_id", "event_key"),  # a scheduled event (a commitment due) is told once
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))  # the recipient
    kind: Mapped[str] = mapped_column(String(20))  # one of KINDS
    issue_id: Mapped[int | None] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("follow_ups.id", ondelete="CASCADE"), index=True)
    commitment_id: Mapped[int | None] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_label: Mapped[str] = mapped_column(String(300), default="")  # a contact's "name (organisation)"
    data: Mapped[dict] = mapped_column(JSON, default=dict)  # what the text needs: old/new status, due date
    event_key: Mapped[str | None] = mapped_column(String(80))  # set for scheduled events only
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the daily digest email that listed it (each notification goes in one digest at most)
    digest_delivery_id: Mapped[int | None] = mapped_column(
        ForeignKey("reminder_deliveries.id", ondelete="SET NULL"), index=True
    )

    user = relationship("User", foreign_keys=[user_id])
    actor_user = relationship("User", foreign_keys=[actor_user_id])
    issue = relationship("Issue")
    entry = relationship("FollowUp")
    commitment = relationship("Commitment")

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} user={self.user_id}>"


class IssueWatch(db.Model):
    """A user's choice to watch an issue or not; the owner and the creator watch unless they chose not to."""

    __tablename__ = "issue_watches"

    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    is_watching: Mapped[bool] = mapped_column(default=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User")
