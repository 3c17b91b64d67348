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
from sqlalchemy import event, insert, inspect, update
from sqlalchemy.orm import Mapper, Session

from coordapp.audit.history import describe, history_for  # noqa: F401  (the read side, for other features)
from coordapp.audit.models import AuditEvent
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


# Columns the trail never records: keys, bookkeeping times, and the optimistic-lock version (core.locking).
NEVER_RECORDED = frozenset({"id", "created_dt", "updated_dt", "version"})


def _changes(obj, creating: bool) -> dict:
    state = inspect(obj)
    mapper = state.mapper
    excluded = getattr(obj, "__audit_exclude__", set())
    changes = {}
    for attr in mapper.column_attrs:
        key = attr.key
        if key in excluded or key in NEVER_RECORDED:
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
    changes.update(_collection_changes(obj, state, creating))
    return changes


def _committed(child, key: str):
    """Return a child's value of key as the database last had it."""
    hist = inspect(child).attrs[key].history
    return hist.deleted[0] if hist.deleted else getattr(child, key)


def _collection_changes(obj, state, creating: bool) -> dict:
    """Record changes to child rows (a meeting's attendees) as fields of their parent.

    ``__audit_collections__`` maps a one-to-many relationship to the name of a method that
    summarizes children into fields (sorted id lists): ``summarize(children, value)`` where
    ``value(child, key)`` reads a child's attribute. The summary is taken before (committed
    values) and after the change; differing fields are recorded.
    """
    changes = {}
    for key, method in getattr(obj, "__audit_collections__", {}).items():
        hist = state.attrs[key].history
        summarize = getattr(obj, method)
        after = summarize(list(hist.unchanged) + list(hist.added), getattr)
        before = {} if creating else summarize(list(hist.unchanged) + list(hist.deleted), _committed)
        for field, value in after.items():
            old = None if creating else before.get(field)
            if old != value and not (creating and not value):
                changes[field] = [old, value]
    return changes


def _version(obj) -> int | None:
    """Return the version a locked record has after this flush (coordapp.core.locking), or None."""
    mapper = inspect(obj).mapper
    column = mapper.version_id_col
    return getattr(obj, mapper.get_property_by_column(column).key) if column is not None else None


def _action(changes: dict) -> str:
    if "is_archived" in changes:
        return "archive" if changes["is_archived"][1] else "restore"
    if "status" in changes:
        return "status_change"
    return "update"


def _merge(earlier: dict, later: dict) -> dict:
    """Combine two change sets of one entity: the first old value, the last new one."""
    merged = {key: list(pair) for key, pair in earlier.items()}
    for key, (old, new) in later.items():
        merged[key] = [merged[key][0] if key in merged else old, new]
    return {key: pair for key, pair in merged.items() if pair[0] != pair[1]}


def _keep_old_value(target, value, oldvalue, initiator) -> None:
    """Do nothing: being registered with active_history is the point."""


def want_old_values(mapper) -> None:
    """Make an audited model load a column's old value when it is set, even on an expired object.

    Without this, changing an object after a commit records the old value as None.
    """
    audited = getattr(mapper.class_, "__audited__", False) or getattr(mapper.class_, "__audit_parent__", None)
    if not audited or mapper.class_.__dict__.get("_audit_old_values"):
        return
    for attr in mapper.column_attrs:
        event.listen(getattr(mapper.class_, attr.key), "set", _keep_old_value, active_history=True)
    mapper.class_._audit_old_values = True


@event.listens_for(Mapper, "mapper_configured")
def _on_mapper_configured(mapper, class_) -> None:
    want_old_values(mapper)


def _pending(session: Session) -> dict:
    """The events this transaction wrote so far: (type, id, actor) -> [row id, action, changes]."""
    return session.info.setdefault("audit_events", {})


@event.listens_for(Session, "after_transaction_end")
def _forget_pending(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop("audit_events", None)


def _with_parents(session: Session) -> list[tuple[object, bool]]:
    """Return the new and changed objects, plus the parents of changed child rows (``__audit_parent__``)."""
    candidates = [(o, True) for o in session.new] + [(o, False) for o in session.dirty]
    seen = {id(o) for o, _ in candidates}
    for child in [*session.new, *session.dirty, *session.deleted]:
        parent_key = getattr(child, "__audit_parent__", None)
        parent = getattr(child, parent_key, None) if parent_key else None
        if parent is not None and id(parent) not in seen and parent not in session.deleted:
            candidates.append((parent, False))
            seen.add(id(parent))
    return candidates


def _collect(session: Session) -> list[tuple[object, str, dict]]:
    found = []
    for obj, creating in _with_parents(session):
        if getattr(obj, "__audited__", False):
            changes = _changes(obj, creating)
            if changes:
                found.append((obj, "create" if creating else _action(changes), changes))
    found += [(o, "delete", {}) for o in session.deleted if getattr(o, "__audited__", False)]
    return found


@event.listens_for(Session, "after_flush")
def _record_audit_events(session: Session, flush_context) -> None:
    """Write one AuditEvent per entity and transaction, however many flushes the transaction has."""
    table = AuditEvent.__table__
    actor_id, label = current_actor()
    pending, connection, fresh = _pending(session), session.connection(), []
    for obj, action, changes in _collect(session):
        key = (obj.__tablename__, obj.id, actor_id, label)
        if key in pending:
            row_id, first_action, earlier = pending[key]
            merged = _merge(earlier, changes)
            action = (
                first_action
                if first_action == "create" or action == "delete"
                else (_action(merged) if merged else "update")
            )
            done = connection.execute(
                update(table)
                .where(table.c.id == row_id)
                .values(action=action, changes=merged, entity_version=_version(obj))
            )
            if done.rowcount == 1:  # 0 when a rolled-back savepoint took the row with it
                pending[key] = [row_id, action, merged]
                continue
        fresh.append(
            (
                key,
                {
                    "actor_user_id": actor_id,
                    "actor_label": label,
                    "action": action,
                    "entity_type": obj.__tablename__,
                    "entity_id": obj.id,
                    "changes": changes,
                    "entity_version": _version(obj),
                    "created_dt": utcnow(),
                },
            )
        )
    if fresh:
        ids = (
            connection.execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True), [row for _, row in fresh]
            )
            .scalars()
            .all()
        )
        for (key, row), row_id in zip(fresh, ids, strict=True):
            pending[key] = [row_id, row["action"], row["changes"]]
