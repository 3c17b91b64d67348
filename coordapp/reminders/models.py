"""Reminder policy, the outbox of deliveries, and the reply tokens stakeholders answer with."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordapp.core.time import utcnow
from coordapp.core.types import UTCDateTime
from coordapp.extensions import db

MEETING_KINDS = ("invitation", "meeting_update", "meeting_cancel", "meeting_reminder", "minutes")  # about one meeting
NOTICE_KINDS = ("notice", "notice_digest")  # a user's inbox by email: one notification, or a day's (notifications)
DELIVERY_KINDS = ("digest", "staff_digest", "escalation", "assignment", "reply_notice", *MEETING_KINDS, *NOTICE_KINDS)
DELIVERY_STATUSES = ("pending", "sending", "sent", "failed", "cancelled")

delivery_issues = Table(  # the issues one delivery is about
    "reminder_delivery_issues",
    db.metadata,
    Column("delivery_id", ForeignKey("reminder_deliveries.id", ondelete="CASCADE"), primary_key=True),
    Column("issue_id", ForeignKey("issues.id", ondelete="CASCADE"), primary_key=True, index=True),
)

delivery_commitments = Table(  # the commitments a contact's digest lists
    "reminder_delivery_commitments",
    db.metadata,
    Column("delivery_id", ForeignKey("reminder_deliveries.id", ondelete="CASCADE"), primary_key=True),
    Column("commitment_id", ForeignKey("commitments.id", ondelete="CASCADE"), primary_key=True, index=True),
)

reply_token_issues = Table(  # the issues one reply link opens, and no others
    "reply_token_issues",
    db.metadata,
    Column("token_id", ForeignKey("reply_tokens.id", ondelete="CASCADE"), primary_key=True),
    Column("issue_id", ForeignKey("issues.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class ReminderPolicy(db.Model):
    """When to remind about an issue of one priority."""

    __tablename__ = "reminder_policies"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    # low|normal|high|critical
    priority: Mapped[str] = mapped_column(String(10), unique=True, info={"label": _l("Priority"), "coded": "priority"})
    # start reminding this many days before the due date
    lead_days: Mapped[int] = mapped_column(default=2, info={"label": _l("Days before the due date")})
    # remind the same recipient again after this many days
    repeat_days: Mapped[int] = mapped_column(default=3, info={"label": _l("Repeat every (days)")})
    # unanswered reminders before managers are told
    escalate_after: Mapped[int] = mapped_column(
        default=3, info={"label": _l("Escalate after unanswered reminders (0: never)")}
    )


class SendingWindow(db.Model):
    """When reminders may go out, in each election's timezone (one row)."""

    __tablename__ = "reminder_windows"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    # first local hour of sending
    start_hour: Mapped[int] = mapped_column(default=8, info={"label": _l("Sending starts at (hour)")})
    # sending stops at this local hour
    end_hour: Mapped[int] = mapped_column(default=16, info={"label": _l("Sending stops at (hour)")})
    # ISO weekdays - 1 (Mon=0)
    working_days: Mapped[str] = mapped_column(String(20), default="0,1,2,3,4", info={"label": _l("Working days")})
    # no sending on Indonesian public holidays
    skip_holidays: Mapped[bool] = mapped_column(
        default=True, info={"label": _l("No reminders on Indonesian public holidays")}
    )
    # remind invitees this many working days before; 0: never
    meeting_reminder_days: Mapped[int] = mapped_column(
        default=1, info={"label": _l("Remind meeting invitees (working days before; 0: never)")}
    )

    @property
    def weekdays(self) -> frozenset[int]:
        """Return the working days as weekday numbers (Monday is 0)."""
        return frozenset(int(d) for d in self.working_days.split(",") if d.strip())


class ReminderDelivery(db.Model):
    """One email in the outbox: one recipient, one kind, one window; the unique key stops a second send."""

    __tablename__ = "reminder_deliveries"
    __table_args__ = (
        UniqueConstraint("recipient_email", "kind", "window_key"),
        Index("ix_reminder_deliveries_status_enqueued", "status", "enqueued_dt"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_email: Mapped[str] = mapped_column(String(254))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)  # one of DELIVERY_KINDS
    window_key: Mapped[str] = mapped_column(String(64))  # the local date of a digest, or the event it reports
    language: Mapped[str] = mapped_column(String(5), default="id")
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)  # sending attempts so far
    last_error: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(String(300), default="")  # as sent
    message_id: Mapped[str | None] = mapped_column(String(255))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    enqueued_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)  # last hand-over to the broker
    claimed_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when a worker took it (its lease)
    sent_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)

    contact = relationship("Contact")
    user = relationship("User")
    meeting = relationship("Meeting")
    issues = relationship("Issue", secondary=delivery_issues, order_by="Issue.due_date, Issue.id")
    commitments = relationship(
        "Commitment", secondary=delivery_commitments, order_by="Commitment.due_date, Commitment.id"
    )

    def __repr__(self) -> str:
        return f"<ReminderDelivery {self.id} {self.kind} {self.recipient_email} {self.status}>"


class ReplyToken(db.Model):
    """A reply link: only the SHA-256 of its random token is kept."""

    __tablename__ = "reply_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int | None] = mapped_column(
        ForeignKey("reminder_deliveries.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    used_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)  # last reply sent with it
    revoked_dt: Mapped[datetime | None] = mapped_column(UTCDateTime)  # staff withdrew it: it opens nothing
    meeting_id: Mapped[int | None] = mapped_column(  # an RSVP link: answers this meeting's invitation, nothing else
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )

    delivery = relationship("ReminderDelivery")
    contact = relationship("Contact")
    meeting = relationship("Meeting")
    issues = relationship("Issue", secondary=reply_token_issues, order_by="Issue.due_date, Issue.id")


class UnsubscribeToken(db.Model):
    """An unsubscribe link: random and opaque (nothing readable in it), only its SHA-256 kept, with an expiry."""

    __tablename__ = "unsubscribe_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_dt: Mapped[datetime] = mapped_column(UTCDateTime)

    contact = relationship("Contact")
