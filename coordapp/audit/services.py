"""One mechanism writes the audit trail: a flush listener on every audited model.

A model opts in with ``__audited__ = True`` (and may hide columns with
``__audit_exclude__``). Views and services never call the audit trail themselves;
they set who is acting with ``acting_as`` when it is not the logged-in user.
"""
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from enum import Enum

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from coordapp.core.time import utcnow

_actor: ContextVar[tuple[int | None, str] | None] = ContextVar("audit_actor", default=None)


@contextmanager
def acting_as(user=None, label: str = ""):
    """Attribute the changes made inside the block to user, or to a label such as a contact's email."""
    token = _actor.set((user.id if user is not None else None, label or (user.email if user else "system")))
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> tuple[int | None, str]:
    """Return (user id, label) of whoever is making the current change."""
    explicit = _actor.get()
    if explicit is not None:
        return explicit
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id, current_user.email
    return None, "system"


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "id"):
        return value.id
    return str(value)


def _changes(obj, creating: bool) -> dict:
    state = inspect(obj)
    mapper = state.mapper
    excluded = getattr(obj, "__audit_exclude__", set())
    changes = {}
    for attr in mapper.column_attrs:
        key = attr.key
        if key in excluded or key in {"id", "created_dt", "updated_dt"}:
            continue
        hist = state.attrs[key].history
        if creating:
            value = getattr(obj, key)
            if value not in (None, ""):
                changes[key] = [None, _plain(value)]
        elif hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if _plain(old) != _plain(new):
                changes[key] = [_plain(old), _plain(new)]
    for rel in mapper.relationships:
        if not (rel.uselist and rel.secondary is not None):
            continue
        hist = state.attrs[rel.key].history
        if hist.has_changes():
            kept = [o.id for o in hist.unchanged]
            changes[rel.key] = [sorted(kept + [o.id for o in hist.deleted]), sorted(kept + [o.id for o in hist.added])]
    return changes


def _action(changes: dict) -> str:
    if "is_archived" in changes:
        return "archive" if changes["is_archived"][1] else "restore"
    if "status" in changes:
        return "status_change"
    return "update"


@event.listens_for(Session, "after_flush")
def _record_audit_events(session: Session, flush_context) -> None:
    rows = []
    actor_id, label = current_actor()
    now = utcnow()
    for obj, creating in [(o, True) for o in session.new] + [(o, False) for o in session.dirty]:
        if not getattr(obj, "__audited__", False):
            continue
        changes = _changes(obj, creating)
        if not changes:
            continue
        rows.append({
            "actor_user_id": actor_id, "actor_label": label,
            "action": "create" if creating else _action(changes),
            "entity_type": obj.__tablename__, "entity_id": obj.id,
            "changes": changes, "created_dt": now,
        })
    for obj in session.deleted:
        if getattr(obj, "__audited__", False):
            rows.append({
                "actor_user_id": actor_id, "actor_label": label, "action": "delete",
                "entity_type": obj.__tablename__, "entity_id": obj.id, "changes": {}, "created_dt": now,
            })
    if rows:
        from coordapp.audit.models import AuditEvent

        session.connection().execute(insert(AuditEvent.__table__), rows)
