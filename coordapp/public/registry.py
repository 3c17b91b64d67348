"""What the portal, the Atom feeds and the open data publish: a small registry every feature feeds.

Two kinds of source register here, at app start (``init_app`` of the feature that owns them):

- ``register_publication_source(fn)``: ``fn(election_id, stage_id=None, limit=SOURCE_LIMIT)`` yields
  ``PublicationEntry`` objects (``id``, ``title``, ``url``, ``updated_dt``, ``summary``, ``kind``,
  ``stage_id``) for the published items of an election, or of one stage when ``stage_id`` is
  given. ``id`` is a stable tag such as ``"meeting-12"``; ``url`` an absolute or site-relative
  portal address. A source yields only what is public (it asks ``coordapp.core.visibility``) and
  may stop after its newest ``limit`` entries (never more than ``SOURCE_LIMIT`` are asked for).
  Meetings and issues are registered by ``coordapp.public``; accountability reports register their own.
- ``register_dataset(Dataset(...))``: one open-data table (``name``, ``title``, ``description``,
  ``columns`` as ``(name, meaning)`` pairs, and ``rows(election_id | None)`` yielding dicts with
  those keys), downloadable as CSV and JSON and described on the data dictionary page.

Both are stored on the app (``app.extensions["public"]``), so test apps do not share them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask import Flask, current_app

SOURCE_LIMIT = 100


@dataclass(frozen=True)
class PublicationEntry:
    """One published item, as a feed or a "latest publications" list shows it."""

    id: str
    title: str
    url: str
    updated_dt: datetime
    summary: str = ""
    kind: str = ""
    stage_id: int | None = None


@dataclass(frozen=True)
class Dataset:
    """One open-data table: its columns (name, meaning) and a function yielding its rows."""

    name: str
    title: object
    description: object
    columns: tuple[tuple[str, object], ...]
    rows: Callable[[int | None], Iterable[dict]] = field(compare=False)


def _state(app: Flask | None = None) -> dict:
    app = app or current_app
    return app.extensions.setdefault("public", {"sources": [], "datasets": {}})


def register_publication_source(fn: Callable, app: Flask | None = None) -> None:
    """Add a source of published items to the feeds and the portal's latest publications."""
    sources = _state(app)["sources"]
    if fn not in sources:
        sources.append(fn)


def register_dataset(dataset: Dataset, app: Flask | None = None) -> None:
    """Offer a dataset for download (CSV and JSON) and describe it on the data dictionary page."""
    _state(app)["datasets"][dataset.name] = dataset


def publications(election_id: int, stage_id: int | None = None, limit: int = 50) -> list[PublicationEntry]:
    """Return the newest published items of an election (or of one stage), newest first."""
    each = min(limit, SOURCE_LIMIT)  # no source can have more than `limit` among the newest `limit`
    entries = [entry for source in _state()["sources"] for entry in source(election_id, stage_id, limit=each)]
    entries.sort(key=lambda e: (e.updated_dt, e.id), reverse=True)
    return entries[:limit]


def datasets() -> dict[str, Dataset]:
    """Return the registered datasets by name."""
    return dict(_state()["datasets"])
