"""Optimistic locking: a record edited from a stale form is refused, never silently overwritten.

A locked model has a ``version`` column named as SQLAlchemy's ``version_id_col``: every UPDATE
says ``WHERE id = :id AND version = :loaded`` and bumps it, so of two concurrent saves the
second finds no row and fails. The edit form carries the version the user opened
(``VersionMixin``); ``ensure_current`` compares it with the record before anything changes,
and the database catches the race between that check and the write (``StaleDataError``).
"""

from flask import Flask, render_template
from flask_babel import gettext as _
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField

from coordapp.extensions import db


class EditConflict(Exception):
    """The record changed after the user opened its form; nothing was saved."""


class VersionMixin:
    """A form field holding the version of the record the user opened (filled from obj= or data=)."""

    version = HiddenField()

    @property
    def seen_version(self) -> int | None:
        """Return the version the form was opened at: None when not sent, 0 (no version) when not a number."""
        value = str(self.version.data or "").strip()
        if not value:
            return None
        return int(value) if value.isdigit() and len(value) < 10 else 0


def ensure_current(record, seen_version: int | None) -> None:
    """Refuse (EditConflict) when record is no longer at the version its form was opened at (None: not sent)."""
    if seen_version is not None and record.version != seen_version:
        raise EditConflict


# What a view catches around a save: a stale form, or a concurrent save the database caught at a flush
# (any flush: an autoflush inside a service too). Roll back before showing the conflict.
CONFLICTS = (EditConflict, StaleDataError)


def _links_changed(obj, state) -> bool:
    """Tell whether the links edited with the record (many-to-many, ``__audit_collections__``) changed."""
    collections = getattr(obj, "__audit_collections__", {})
    return any(
        state.attrs[rel.key].history.has_changes()
        for rel in state.mapper.relationships
        if rel.secondary is not None or rel.key in collections
    )


def _bump_when_only_links_changed(session: Session, flush_context, instances) -> None:
    """Count a change of a locked record's links (organizations, attendees) as a change of the record.

    SQLAlchemy updates the row, and so checks and bumps its version, only when one of its own
    columns changed; setting the next version by hand makes it do both.
    """
    for obj in session.dirty:
        state = inspect(obj)
        column = state.mapper.version_id_col
        if column is None or state.deleted or not state.has_identity:
            continue
        if any(state.attrs[a.key].history.has_changes() for a in state.mapper.column_attrs):
            continue
        if _links_changed(obj, state):
            key = state.mapper.get_property_by_column(column).key
            setattr(obj, key, getattr(obj, key) + 1)


def _conflict_page(error: StaleDataError):
    """Answer a race no view expected (a concurrent archive, say) with a 409, not a 500."""
    db.session.rollback()
    message = _("Someone else changed this in the meantime. Reload the page and try again.")
    return render_template("errors/error.html", code=409, message=message), 409


def init_app(app: Flask) -> None:
    """Install the flush hook once and the fallback 409 page."""
    if not event.contains(Session, "before_flush", _bump_when_only_links_changed):
        event.listen(Session, "before_flush", _bump_when_only_links_changed)
    app.register_error_handler(StaleDataError, _conflict_page)
