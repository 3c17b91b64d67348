"""Audit events: who changed what, with old and new values."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordapp.core.time import utcnow
from coordapp.core.types import UTCDateTime
from coordapp.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor_label: Mapped[str] = mapped_column(String(200), default="")  # "system", a contact's email ...
    action: Mapped[str] = mapped_column(String(40), index=True)  # create|update|status_change|archive|...
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    changes: Mapped[dict] = mapped_column(JSON, default=dict)  # {field: [old, new]}
    entity_version: Mapped[int | None]  # the record's version after the change (coordapp.core.locking)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    actor = relationship("User")
