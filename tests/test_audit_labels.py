"""Every audited field carries its own label, so a new column shows a word in the history, never its raw name."""

from flask_babel import force_locale
from sqlalchemy import inspect

from coordapp.audit.history import field_label
from coordapp.audit.services import NEVER_RECORDED
from coordapp.extensions import db
from coordapp.meetings.models import Meeting


def _audited_fields() -> list[tuple[str, str]]:
    fields = []
    for mapper in db.Model.registry.mappers:
        model = mapper.class_
        if not getattr(model, "__audited__", False):
            continue
        skipped = NEVER_RECORDED | set(getattr(model, "__audit_exclude__", set()))
        table = model.__tablename__
        fields += [(table, a.key) for a in mapper.column_attrs if a.key not in skipped]
        fields += [(table, r.key) for r in mapper.relationships if r.uselist and r.secondary is not None]
    return fields


def test_every_audited_column_has_a_label(app):
    fields = _audited_fields()
    assert ("issues", "title") in fields and ("organizations", "name") in fields
    unlabelled = [f"{table}.{key}" for table, key in fields if field_label(table, key) == key]
    assert not unlabelled, 'give these columns info={"label": _l(...)}: ' + ", ".join(unlabelled)


def test_the_attendee_summary_of_a_meeting_is_labelled(app):
    keys = Meeting.audit_attendees([], None)
    assert keys and all(field_label("meetings", key) != key for key in keys)


def test_labels_follow_the_reader_language(app):
    with force_locale("en"):
        assert field_label("issues", "due_date") == "Due date"
    with force_locale("id"):
        assert field_label("issues", "due_date") == "Tenggat"


def test_an_unlabelled_column_would_be_reported(app):
    column = inspect(Meeting).columns["location"]
    saved = dict(column.info)
    column.info.clear()
    try:
        assert field_label("meetings", "location") == "location"
    finally:
        column.info.update(saved)
