"""The content of staff pages every reader sees alike, rendered once per data version.

The board and the scorecard show the same figures to every manager, and rendering them costs
hundreds of milliseconds at 100k issues. Their content (the page below the header) is kept in
the cache (Flask-Caching: Redis when REDIS_URL, this process's memory otherwise) under a key
of the page's address and arguments, the language, the election's local day and the hour, the
code's build, and the shared data version of core.conditional: the maxima that move with every
write the page may show. A write therefore makes a new key, and the next view renders afresh;
nothing is invalidated by hand and an old entry just ages out. The version is read before the
content is rendered, so content is never stored under a version newer than what it shows.

Values every reader computes alike (an issue filter's counts) are kept the same way (shared_value).
Only what is the same for every reader may go through here: no CSRF token, no reader's name,
nothing one role sees and another does not (the board and the scorecard are for managers alone).
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from flask import g, request
from flask_babel import get_locale
from markupsafe import Markup

from coordapp.core.conditional import code_build, shared_version
from coordapp.core.time import utcnow
from coordapp.extensions import cache

T = TypeVar("T")
TIMEOUT = 600  # seconds an entry is kept (a newer version replaces it sooner)


def _key(kind: str, parts: tuple) -> str:
    version = g.get("shared_version") or shared_version()
    digest = hashlib.sha256(repr((parts, code_build(), version)).encode()).hexdigest()
    return f"staff-{kind}:{digest}"


def shared_content(parts: tuple, render: Callable[[], str]) -> Markup:
    """Return the content cached for this page at the current data version, rendering it when missing.

    parts: what else the content depends on beyond the request (the election shown, its local day).
    """
    page = (request.path, sorted(request.args.items(multi=True)), str(get_locale()), utcnow().strftime("%Y%m%d%H"))
    return Markup(_cached(_key("content", (page, *parts)), render))


def shared_value(parts: tuple, compute: Callable[[], T]) -> T:
    """Return a value every reader would compute alike (e.g. a filter's counts), once per data version.

    parts must name everything the value depends on besides the data (the function, its arguments,
    the day); the value must pickle (Redis keeps it).
    """
    return _cached(_key("value", parts), compute)


def _cached(key: str, make: Callable[[], T]) -> T:
    value = cache.get(key)
    if value is None:
        value = make()
        cache.set(key, value, timeout=TIMEOUT)
    return value
