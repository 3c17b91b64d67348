"""Reading the audit trail: an entity's history ("Riwayat"), described for people.

Events store raw values (ids, codes, ISO dates). ``describe`` turns them into
translated lines (field label, old, new), resolving referenced ids to names with
one query per kind of reference, so a page's query count does not grow with its history.
"""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from coordapp.audit.models import AuditEvent
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
}
FIELDS = {
    "title": _l("Title"),
    "description": _l("Description"),
    "status": _l("Status"),
    "priority": _l("Priority"),
    "owner_id": _l("Owner"),
    "created_by_id": _l("Created by"),
    "due_date": _l("Due date"),
    "election_id": _l("Election"),
    "stage_id": _l("Stage"),
    "meeting_id": _l("Meeting"),
    "organizations": _l("Organizations"),
    "contacts": _l("Responsible contacts"),
    "organization_id": _l("Organization"),
    "first_response_dt": _l("First response"),
    "resolved_dt": _l("Resolved"),
    "is_public": _l("Public"),
    "public_summary": _l("Public summary"),
    "public_title": _l("Public title"),
    "published_dt": _l("Published"),
    "published_by_id": _l("Published by"),
    "publish_proposed": _l("Proposed for publication"),
    "is_archived": _l("Archived"),
    "is_active": _l("Active"),
    "name": _l("Name"),
    "short_name": _l("Short name"),
    "category": _l("Category"),
    "influence": _l("Influence"),
    "interest": _l("Interest"),
    "notes": _l("Notes"),
    "position": _l("Position"),
    "email": _l("Email"),
    "phone": _l("Phone"),
    "language": _l("Language"),
    "reminder_mode": _l("Reminders"),
    "unsubscribed_dt": _l("Unsubscribed"),
    "kind": _l("Kind"),
    "start_dt": _l("Start"),
    "end_dt": _l("End"),
    "location": _l("Place"),
    "online_url": _l("Online link"),
    "agenda": _l("Agenda"),
    "role": _l("Role"),
    "start_date": _l("Start date"),
    "end_date": _l("End date"),
    "invited_contacts": _l("Invited stakeholders"),
    "invited_users": _l("Invited staff"),
    "attended_contacts": _l("Stakeholders present"),
    "attended_users": _l("Staff present"),
}
# Fields holding coded values, and the label kind that translates them.
CODED = {
    "status": "status",
    "priority": "priority",
    "category": "category",
    "role": "role",
    "reminder_mode": "reminder_mode",
    "phase": "phase",
}
CODED_BY_ENTITY = {("meetings", "kind"): "meeting_kind"}
LONG_TEXT = 140


def _references() -> dict:
    from coordapp.auth.models import User
    from coordapp.elections.models import Election, Stage
    from coordapp.meetings.models import Meeting
    from coordapp.stakeholders.models import Contact, Organization

    users = (User, lambda u: u.name)
    orgs = (Organization, lambda o: o.label)
    contacts = (Contact, lambda c: c.name)
    return {
        "owner_id": users,
        "created_by_id": users,
        "published_by_id": users,
        "author_id": users,
        "user_id": users,
        "stage_id": (Stage, lambda s: s.display_name(str(get_locale()))),
        "election_id": (Election, lambda e: e.name),
        "meeting_id": (Meeting, lambda m: m.title),
        "organization_id": orgs,
        "organizations": orgs,
        "contacts": contacts,
        "invited_contacts": contacts,
        "attended_contacts": contacts,
        "invited_users": users,
        "attended_users": users,
    }


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
                    wanted.setdefault(refs[key][0], set()).update(i for i in ids if isinstance(i, int))
    names = {}
    for model, ids in wanted.items():
        namer = next(n for m, n in refs.values() if m is model)
        for row in db.session.execute(db.select(model).where(model.id.in_(ids))).scalars():
            names[(model, row.id)] = namer(row)
    return names


def _show(entity_type: str, key: str, value, refs: dict, names: dict) -> str:
    """Return one stored value as a reader sees it."""
    if value is None or value == "" or value == []:
        return "—"
    if key in refs:
        model = refs[key][0]
        ids = value if isinstance(value, list) else [value]
        return ", ".join(names.get((model, i), f"#{i}") for i in ids) or "—"
    kind = CODED_BY_ENTITY.get((entity_type, key)) or CODED.get(key)
    if kind:
        return label(kind, value)
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    if isinstance(value, str) and key.endswith("_date"):
        return _try(lambda: format_date(date.fromisoformat(value)), value)
    if isinstance(value, str) and key.endswith("_dt"):
        return _try(lambda: format_datetime(datetime.fromisoformat(value), "short"), value)
    text = str(value)
    return text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1] + "…"


def _try(formatter, fallback: str) -> str:
    try:
        return formatter()
    except ValueError:
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
                str(FIELDS.get(key, key)),
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
}


def entity_url(event: AuditEvent) -> str | None:
    """Return the page of the record an event changed, where there is one."""
    from flask import current_app, url_for

    endpoint, arg = ENTITY_PAGES.get(event.entity_type, (None, None))
    if endpoint is None or event.entity_id is None or endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **{arg: event.entity_id})
