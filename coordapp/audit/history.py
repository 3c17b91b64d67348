"""Reading the audit trail: an entity's history ("Riwayat"), described for people.

Events store raw values (ids, codes, ISO dates). ``describe`` turns them into
translated lines (field label, old, new), resolving referenced ids to names with
one query per kind of reference, so a page's query count does not grow with its history.
"""

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from flask import current_app, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from coordapp.audit.models import AuditEvent
from coordapp.core.dates import datetime_pattern
from coordapp.core.labels import label
from coordapp.extensions import db

ACTIONS = {
    "create": _l("Created"),
    "update": _l("Changed"),
    "status_change": _l("Status changed"),
    "archive": _l("Archived"),
    "restore": _l("Restored from the archive"),
    "delete": _l("Deleted"),
}
ENTITY_TYPES = {
    "issues": _l("Issue"),
    "meetings": _l("Meeting"),
    "organizations": _l("Organization"),
    "contacts": _l("Contact"),
    "users": _l("User"),
    "elections": _l("Election"),
    "stages": _l("Stage"),
    "accountability_reports": _l("Accountability report"),
    "report_versions": _l("Report version"),
    "channel_posts": _l("Channel log entry"),
}
LONG_TEXT = 140


@cache
def field_info() -> dict[tuple[str, str], dict]:
    """Return each audited table's field infos by (table, field): the ``info`` of its columns and relationships.

    A column says ``info={"label": _l("Title")}`` (and ``"coded": kind`` when core.labels translates
    its values); fields a model computes for its history (``__audit_collections__``) are described
    in the model's ``__audit_fields__`` (``{"label": ..., "refers": table}``).
    """
    found = {}
    for mapper in db.Model.registry.mappers:
        model = mapper.class_
        if not getattr(model, "__audited__", False):
            continue
        table = model.__tablename__
        for attr in mapper.column_attrs:
            found[(table, attr.key)] = attr.columns[0].info
        for rel in mapper.relationships:
            found[(table, rel.key)] = rel.info
        for key, info in getattr(model, "__audit_fields__", {}).items():
            found[(table, key)] = info
    return found


def field_label(entity_type: str, key: str) -> str:
    """Return the translated label of an audited field (the raw key only for a field nobody labelled)."""
    return str(field_info().get((entity_type, key), {}).get("label", key))


@cache
def _references() -> dict[str, type]:
    """Return the model each reference field points at, by field: foreign keys, many-to-many, declared ones."""
    models = {m.class_.__tablename__: m.class_ for m in db.Model.registry.mappers}
    refs = {}
    for mapper in db.Model.registry.mappers:
        for attr in mapper.column_attrs:
            for key in attr.columns[0].foreign_keys:
                refs.setdefault(attr.key, models.get(key.column.table.name))
        for rel in mapper.relationships:
            if rel.uselist and rel.secondary is not None:
                refs.setdefault(rel.key, rel.mapper.class_)
    for (_table, key), info in field_info().items():
        if "refers" in info:
            refs[key] = models.get(info["refers"])
    return {key: model for key, model in refs.items() if model is not None}


def _display_name(row) -> str:
    """Name a referenced row as readers know it: a stage in their language, else its label, title or name."""
    if hasattr(row, "display_name"):
        return row.display_name(str(get_locale()))
    return next((v for a in ("label", "title", "name", "email") if isinstance(v := getattr(row, a, None), str)), "")


@dataclass
class ChangeLine:
    """One changed field, ready to show."""

    field: str
    old: str
    new: str


def _names(events: list[AuditEvent], refs: dict) -> dict:
    """Load the display names of every id the events mention, one query per model."""
    wanted: dict[type, set[int]] = {}
    for event in events:
        for key, pair in (event.changes or {}).items():
            if key in refs:
                for value in pair:
                    ids = value if isinstance(value, list) else [value]
                    wanted.setdefault(refs[key], set()).update(i for i in ids if isinstance(i, int))
    names = {}
    for model, ids in wanted.items():
        for row in db.session.execute(db.select(model).where(model.id.in_(ids))).scalars():
            names[(model, row.id)] = _display_name(row)
    return names


def _show(entity_type: str, key: str, value, refs: dict, names: dict) -> str:
    """Return one stored value as a reader sees it."""
    if value is None or value == "" or value == []:
        return "—"
    if key in refs:
        model = refs[key]
        ids = value if isinstance(value, list) else [value]
        return ", ".join(names.get((model, i), f"#{i}") for i in ids) or "—"
    kind = field_info().get((entity_type, key), {}).get("coded")
    if kind:
        return label(kind, value)
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    if isinstance(value, str) and key.endswith("_date"):
        return _try(lambda: format_date(date.fromisoformat(value)), value)
    if isinstance(value, str) and key.endswith("_dt"):
        return _try(lambda: format_datetime(datetime.fromisoformat(value), datetime_pattern()), value)
    text = str(value)
    return text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1] + "…"


def _try(formatter, fallback: str) -> str:
    try:
        return formatter()
    except (ValueError, OverflowError):
        return fallback


def _record_names(events: list[AuditEvent]) -> dict[tuple[str, int], str]:
    """Name the records the events changed (title, label or name), one query per kind of record."""
    wanted: dict[str, set[int]] = {}
    for event in events:
        if event.entity_id is not None:
            wanted.setdefault(event.entity_type, set()).add(event.entity_id)
    models = {m.class_.__tablename__: m.class_ for m in db.Model.registry.mappers}
    names = {}
    for table, ids in wanted.items():
        model = models.get(table)
        if model is None:
            continue
        for row in db.session.execute(db.select(model).where(model.id.in_(ids))).scalars():
            names[(table, row.id)] = next(
                (v for a in ("title", "label", "name", "email") if isinstance(v := getattr(row, a, None), str) and v),
                "",
            )
    return names


def describe(events: list[AuditEvent], with_records: bool = False) -> list[AuditEvent]:
    """Give each event ``who``, ``action_label``, ``entity_label``, ``lines`` and, with_records, ``record_name``."""
    refs = _references()
    names = _names(events, refs)
    records = _record_names(events) if with_records else {}
    for event in events:
        event.who = (
            event.actor.name
            if event.actor
            else (str(_l("System")) if event.actor_label == "system" else event.actor_label)
        )
        event.action_label = str(ACTIONS.get(event.action, event.action))
        event.entity_label = str(ENTITY_TYPES.get(event.entity_type, event.entity_type))
        event.record_name = records.get((event.entity_type, event.entity_id), "")
        event.lines = [
            ChangeLine(
                field_label(event.entity_type, key),
                _show(event.entity_type, key, old, refs, names),
                _show(event.entity_type, key, new, refs, names),
            )
            for key, (old, new) in (event.changes or {}).items()
            if not (event.action == "create" and new in (False, [], None))  # "Archived: no" says nothing new
        ]
    return events


def history_for(entity_type: str, entity_id: int) -> list[AuditEvent]:
    """Return the audit events of one entity, newest first, actors loaded, described for display."""
    events = (
        db.session.execute(
            db.select(AuditEvent)
            .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
            .options(joinedload(AuditEvent.actor))
            .order_by(AuditEvent.created_dt.desc(), AuditEvent.id.desc())
        )
        .scalars()
        .all()
    )
    return describe(list(events))


# Where each kind of record is shown (endpoint, its id argument); pages that do not exist yet are skipped.
ENTITY_PAGES = {
    "issues": ("issues.detail", "issue_id"),
    "meetings": ("meetings.detail", "meeting_id"),
    "organizations": ("stakeholders.organization", "org_id"),
    "contacts": ("stakeholders.contact", "contact_id"),
    "users": ("auth.edit_user", "user_id"),
    "accountability_reports": ("reports.detail", "report_id"),
}


def entity_url(event: AuditEvent) -> str | None:
    """Return the page of the record an event changed, where there is one."""
    endpoint, arg = ENTITY_PAGES.get(event.entity_type, (None, None))
    if endpoint is None or event.entity_id is None or endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **{arg: event.entity_id})


@dataclass
class ConflictLine:
    """One field changed since a user opened a form: what they saw, what it is now, who changed it last, when."""

    field: str
    seen: str
    now: str
    who: str
    when: datetime


def changes_since(entity_type: str, entity_id: int, version: int | None) -> list[ConflictLine]:
    """Return the fields of a record changed after the given version of it (coordapp.core.locking), oldest first."""
    later = [
        event
        for event in reversed(history_for(entity_type, entity_id))
        if version is not None and event.entity_version is not None and event.entity_version > version
    ]
    lines: dict[str, ConflictLine] = {}
    for event in later:
        for line in event.lines:
            seen = lines[line.field].seen if line.field in lines else line.old
            lines[line.field] = ConflictLine(line.field, seen, line.new, event.who, event.created_dt)
    return [line for line in lines.values() if line.seen != line.now]
