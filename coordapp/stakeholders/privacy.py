"""Personal data rights of contacts (UU 27/2022): an export of everything held, and anonymisation.

Both walk the schema rather than name other features' tables: every row that points at the
contact (any foreign key to contacts.id) is exported, and anonymisation replaces the person's
name, email and phone in every text and JSON column of every table, the audit trail included.
Organisation-level records (issues, meetings, follow-ups, counts) stay; only the person goes.
"""

import json
from datetime import date, datetime, timedelta

from sqlalchemy import JSON, String, Text, and_, func, literal, or_, select, update

from coordapp.audit.models import AuditEvent
from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.stakeholders.models import Contact

ANONYMOUS_DOMAIN = "anonymised.invalid"
SECRET_COLUMNS = {"token_hash", "password_hash", "code_hash", "totp_secret"}
# Other people's own name and phone are never rewritten (a namesake, a shared office line).
IDENTITY_COLUMNS = {("contacts", "name"), ("contacts", "phone"), ("users", "name")}
EXACT_COLUMNS = {("contacts", "email"), ("users", "email"), ("reminder_deliveries", "recipient_email")}


def is_anonymised(contact: Contact) -> bool:
    """Tell whether a contact was anonymised already."""
    return contact.email.endswith("@" + ANONYMOUS_DOMAIN)


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _row(table, row) -> dict:
    return {k: _plain(v) for k, v in row._mapping.items() if k not in SECRET_COLUMNS}


def _referencing(contact_id: int):
    """Yield (table, column) for every foreign key that points at contacts.id."""
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == "contacts" and fk.column.name == "id" for fk in column.foreign_keys):
                yield table, column


def export(contact: Contact) -> dict:
    """Return everything held about a contact, as JSON-ready data."""
    contacts = db.metadata.tables["contacts"]
    data = {
        "exported_at": utcnow().isoformat(),
        "contact": _row(contacts, db.session.execute(select(contacts).where(contacts.c.id == contact.id)).one()),
        "organization": {"id": contact.organization.id, "name": contact.organization.name},
        "related": {},
    }
    for table, column in _referencing(contact.id):
        rows = db.session.execute(select(table).where(column == contact.id)).all()
        if rows:
            data["related"].setdefault(f"{table.name}.{column.name}", []).extend(_row(table, r) for r in rows)
    audit = db.session.execute(
        select(AuditEvent)
        .where(
            or_(
                and_(AuditEvent.entity_type == "contacts", AuditEvent.entity_id == contact.id),
                AuditEvent.actor_label == contact.email,
            )
        )
        .order_by(AuditEvent.id)
    ).scalars()
    data["audit_trail"] = [
        {"when": e.created_dt.isoformat(), "action": e.action, "by": e.actor_label, "changes": e.changes} for e in audit
    ]
    return data


def _text_columns():
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, JSON):
                yield table, column, "json"
            elif isinstance(column.type, (String, Text)) and column.name not in SECRET_COLUMNS:
                yield table, column, "text"


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _replace_in(value, pairs):
    if isinstance(value, str):
        for old, new in pairs:
            value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [_replace_in(v, pairs) for v in value]
    if isinstance(value, dict):
        return {_replace_in(k, pairs): _replace_in(v, pairs) for k, v in value.items()}
    return value


def _scrub_json(table, column, pairs) -> None:
    keys = list(table.primary_key.columns)
    as_text = func.cast(column, Text)
    patterns = [_like(old) for old, _ in pairs] + [_like(json.dumps(old)[1:-1]) for old, _ in pairs]
    stmt = select(*keys, column).where(or_(*[as_text.like(p, escape="\\") for p in patterns]))
    for row in db.session.execute(stmt).all():
        new = _replace_in(row[-1], pairs)
        where = and_(*[k == row[i] for i, k in enumerate(keys)])
        db.session.execute(update(table).where(where).values({column.name: new}))


def _scrub(pairs: list[tuple[str, str]]) -> None:
    """Replace each old value by its new one in every text and JSON column of every table."""
    for table, column, kind in _text_columns():
        if kind == "json":
            _scrub_json(table, column, pairs)
            continue
        key = (table.name, column.name)
        for old, new in pairs:
            if key in IDENTITY_COLUMNS and new != pairs[0][1]:
                continue  # the person's name in another person's row is that other person's name
            if key in EXACT_COLUMNS:
                stmt = update(table).where(column == old).values({column.name: new})
            else:
                stmt = (
                    update(table)
                    .where(column.like(_like(old), escape="\\"))
                    .values({column.name: func.replace(column, literal(old), literal(new))})
                )
            db.session.execute(stmt.execution_options(synchronize_session=False))


def _former_values(contact: Contact) -> dict[str, set[str]]:
    """Return every name, email and phone the contact had, as the audit trail remembers them."""
    values = {"name": set(), "email": set(), "phone": set()}
    events = db.session.execute(
        select(AuditEvent.changes).where(AuditEvent.entity_type == "contacts", AuditEvent.entity_id == contact.id)
    ).scalars()
    for changes in events:
        for field, found in values.items():
            for value in (changes or {}).get(field) or []:
                if isinstance(value, str) and value.strip():
                    found.add(value.strip())
    return values


def _pairs(former: dict[str, set[str]], new_email: str, new_name: str) -> list[tuple[str, str]]:
    """Return (old, new) replacements: emails first, longest first, skipping values too short to be safe."""
    pairs = [(old, new_email) for old in sorted(former["email"], key=len, reverse=True)]
    pairs += [(old, new_name) for old in sorted(former["name"], key=len, reverse=True) if len(old) >= 3]
    pairs += [(old, "") for old in sorted(former["phone"], key=len, reverse=True) if sum(c.isdigit() for c in old) >= 6]
    return pairs


def anonymise(contact: Contact, now: datetime | None = None) -> None:
    """Replace the contact's name, email and phone everywhere; stop every email and link; the caller commits."""
    if is_anonymised(contact):
        return
    now = now or utcnow()
    former = _former_values(contact)
    former["email"].add(contact.email)
    former["name"].add(contact.name.strip())
    former["phone"].add(contact.phone.strip())
    new_email, new_name = f"contact-{contact.id}@{ANONYMOUS_DOMAIN}", f"Anonim #{contact.id}"
    contact.email, contact.name, contact.phone, contact.position = new_email, new_name, "", ""
    contact.is_active, contact.reminder_mode = False, "off"
    contact.unsubscribed_dt = contact.unsubscribed_dt or now
    db.session.flush()  # the audit trail records the change; the scrub below removes the old values from it
    former["email"].discard(new_email)
    former["name"].discard(new_name)
    _scrub(_pairs(former, new_email, new_name))
    tokens = db.metadata.tables.get("reply_tokens")
    if tokens is not None:  # a link in an old email no longer opens anything
        db.session.execute(update(tokens).where(tokens.c.contact_id == contact.id).values(expires_dt=now))
    db.session.expire_all()


def inactive_beyond_retention(days: int, now: datetime | None = None) -> list[Contact]:
    """Return inactive, not yet anonymised contacts with no recorded change for more than days."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    last_change = (
        select(func.max(AuditEvent.created_dt))
        .where(AuditEvent.entity_type == "contacts", AuditEvent.entity_id == Contact.id)
        .scalar_subquery()
    )
    stmt = select(Contact).where(
        Contact.is_active.is_(False),
        Contact.created_dt < cutoff,
        or_(last_change.is_(None), last_change < cutoff),
        Contact.email.not_like("%@" + ANONYMOUS_DOMAIN),
    )
    return list(db.session.execute(stmt).scalars())
