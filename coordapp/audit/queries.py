"""The admin audit page's query: filters and keyset pages over the audit trail (newest first)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import joinedload

from coordapp.audit.models import AuditEvent
from coordapp.core.time import DEFAULT_TZ, local_to_utc
from coordapp.extensions import db

PAGE_SIZE = 50
SYSTEM = "system"  # the actor filter value for changes made by no user (system, stakeholders' links)


@dataclass
class AuditFilter:
    entity_type: str | None = None
    entity_id: int | None = None
    action: str | None = None
    actor: int | str | None = None  # a user id or SYSTEM
    date_from: date | None = None
    date_to: date | None = None

    def to_args(self) -> dict:
        """Return the query args of this filter, for url_for."""
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in vars(self).items() if v not in (None, "")}

    def apply(self, stmt, tz: str = DEFAULT_TZ):
        """Add this filter's WHERE clauses; dates are local days, both ends included."""
        if self.entity_type:
            stmt = stmt.where(AuditEvent.entity_type == self.entity_type)
        if self.entity_id is not None:
            stmt = stmt.where(AuditEvent.entity_id == self.entity_id)
        if self.action:
            stmt = stmt.where(AuditEvent.action == self.action)
        if self.actor == SYSTEM:
            stmt = stmt.where(AuditEvent.actor_user_id.is_(None))
        elif self.actor is not None:
            stmt = stmt.where(AuditEvent.actor_user_id == self.actor)
        if self.date_from:
            stmt = stmt.where(AuditEvent.created_dt >= local_to_utc(datetime.combine(self.date_from, time()), tz))
        if self.date_to:
            end = datetime.combine(self.date_to + timedelta(days=1), time())
            stmt = stmt.where(AuditEvent.created_dt < local_to_utc(end, tz))
        return stmt


@dataclass
class EventPage:
    rows: list[AuditEvent]
    next_cursor: int | None = None
    prev_cursor: int | None = None


def fetch_events(
    f: AuditFilter, after: int | None = None, before: int | None = None, size: int = PAGE_SIZE, tz: str = DEFAULT_TZ
) -> EventPage:
    """Return one page of events, newest first, by keyset on the id (ids grow with time)."""
    stmt = f.apply(db.select(AuditEvent).options(joinedload(AuditEvent.actor)), tz)
    if after is not None:
        stmt = stmt.where(AuditEvent.id < after).order_by(AuditEvent.id.desc())
    elif before is not None:
        stmt = stmt.where(AuditEvent.id > before).order_by(AuditEvent.id.asc())
    else:
        stmt = stmt.order_by(AuditEvent.id.desc())
    rows = list(db.session.execute(stmt.limit(size + 1)).scalars())
    more, rows = len(rows) > size, rows[:size]
    if before is not None:
        rows.reverse()
    page = EventPage(rows)
    if rows:
        has_next, has_prev = (True, more) if before is not None else (more, after is not None)
        page.next_cursor = rows[-1].id if has_next else None
        page.prev_cursor = rows[0].id if has_prev else None
    return page


def entity_types() -> list[str]:
    """Return the tables of every audited model (what the trail can hold)."""
    return sorted(m.class_.__tablename__ for m in db.Model.registry.mappers if getattr(m.class_, "__audited__", False))
