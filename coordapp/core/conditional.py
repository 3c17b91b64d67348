"""HTTP revalidation of staff pages: a weak ETag from a cheap data version, 304 when nothing changed.

The data version is one query of indexed maxima: the newest audit event (every ORM write of an
audited record writes one, deletions included), and the newest row of the tables that grow
without an audit event (timeline entries, outbox rows, minutes, reports' versions and posts,
attachments, saved filters). The ETag also holds who asks (user, language, CSRF secret), the
hour (overdue counts change with the date in every Indonesian timezone) and the code's build,
so a 304 is only ever given to the same person for the same page content; features add what
the page shows of its reader (core.lookups.PAGE_VERSION: the header's unread count). Pages stay private:
``Cache-Control: private, no-cache``, so the browser keeps its copy and asks every time.
"""

import hashlib
from functools import wraps
from pathlib import Path

from flask import Response, current_app, g, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import func, select

from coordapp.core import lookups
from coordapp.core.time import utcnow
from coordapp.extensions import db

VERSION_COLUMNS = (
    ("audit_events", "id"),
    ("issues", "id"),
    ("follow_ups", "id"),
    ("meetings", "id"),
    ("minutes_revisions", "id"),
    ("reminder_deliveries", "id"),
    ("report_versions", "id"),
    ("channel_posts", "id"),
    ("attachments", "id"),
    ("saved_filters", "updated_dt"),
    ("saved_filters", "id"),
)
_build: list[str] = []


def data_version() -> tuple:
    """Return the maxima that change whenever what the staff pages show may have changed (one query).

    The first part (shared_version) is the same for every reader; the rest is what the page
    shows of its reader (core.lookups.PAGE_VERSION).
    """
    return shared_version() + reader_version()


def reader_version() -> tuple:
    """Return what the page shows of its reader (the header's unread count)."""
    return tuple(lookups.ask(lookups.PAGE_VERSION, default=()))


def shared_version() -> tuple:
    """Return the part of the data version that is the same for every reader."""
    tables = db.metadata.tables
    columns = [
        select(func.max(tables[name].c[column])).scalar_subquery() for name, column in VERSION_COLUMNS if name in tables
    ]
    saved = tables.get("saved_filters")
    if saved is not None:  # a deleted saved filter leaves no newer row: count them
        columns.append(select(func.count()).select_from(saved).scalar_subquery())
    return tuple(db.session.execute(select(*columns)).one())


def code_build() -> str:
    """Return a fingerprint of the code and templates (a deploy changes the pages without changing data)."""
    if not _build:
        roots = [Path(current_app.root_path), Path(current_app.root_path, current_app.template_folder)]
        stamps = sorted(
            f"{p}:{p.stat().st_mtime_ns}" for root in roots for p in root.rglob("*") if p.suffix in (".py", ".html")
        )
        _build.append(hashlib.sha256("\n".join(stamps).encode()).hexdigest()[:16])
    return _build[0]


def page_etag(version: tuple) -> str:
    """Return the weak ETag of the current page at a data version, for the current user and session."""
    parts = (
        request.full_path,
        getattr(current_user, "id", None),
        str(get_locale()),
        session.get("csrf_token", ""),  # the page's forms carry a token of this session
        utcnow().strftime("%Y%m%d%H"),
        code_build(),
        *version,
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _private(response: Response, etag: str) -> Response:
    response.set_etag(etag, weak=True)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def revalidated(view):
    """Answer a GET of a staff page with 304 when the browser's copy is current; tag a fresh 200 otherwise.

    Goes under the view's access rule, so access is checked first. A page with a message to show
    once (a flash) is always rendered and never tagged. The version is read before the page, so
    a tag is never newer than what the page shows.
    """

    @wraps(view)
    def wrapper(*args, **kwargs):
        if session.get("_flashes"):
            return view(*args, **kwargs)
        g.shared_version = shared_version()  # read once: the page's cached content is keyed by it (core.page_cache)
        version = g.shared_version + reader_version()
        etag = page_etag(version)
        if request.if_none_match.contains_weak(etag):
            return _private(Response(status=304), etag)
        response = make_response(view(*args, **kwargs))
        if response.status_code == 200 and not session.get("_flashes"):
            _private(response, page_etag(version))  # again: rendering may have created the CSRF secret
        return response

    return wrapper
