"""The portal's page cache and HTTP caching.

Pages are cached whole (Flask-Caching: Redis when REDIS_URL is set, this process's memory
otherwise) under a key holding the *publication version*. Publishing or unpublishing anything,
or changing a published record, bumps the version after the commit (``publishing.py``), so
every cached page is outdated at once and ages out. Responses carry ``Cache-Control: public``
and an ``ETag`` of their body, so browsers and proxies revalidate cheaply (304).
In-process caches are per process: without Redis, another process serves its own copy for
at most ``CACHE_DEFAULT_TIMEOUT`` seconds after a publication.
"""

import time
from collections.abc import Callable

from flask import Response, make_response, request

from coordapp.extensions import cache

VERSION_KEY = "publication-version"
MAX_AGE = 60  # seconds a browser or proxy may keep a page before it revalidates


def version() -> str:
    """Return the current publication version (set on first use)."""
    current = cache.get(VERSION_KEY)
    if current is None:
        current = str(time.time_ns())
        cache.set(VERSION_KEY, current, timeout=0)
    return current


def bump_version() -> None:
    """Outdate every cached portal page (after something was published or changed)."""
    cache.set(VERSION_KEY, str(time.time_ns()), timeout=0)


def cached_text(key_parts: tuple, render: Callable[[], str]) -> str:
    """Return the text cached under key_parts at the current version, rendering it when missing."""
    key = "page:" + version() + ":" + ":".join(map(str, key_parts))
    text = cache.get(key)
    if text is None:
        text = render()
        cache.set(key, text)
    return text


def cacheable(body: str | bytes, mimetype: str = "text/html") -> Response:
    """Answer body with Cache-Control and an ETag; a request holding that ETag gets 304."""
    response = make_response(body)
    response.mimetype = mimetype
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response.vary.update(("Accept-Language", "Cookie"))  # the language comes from either
    response.add_etag()
    return response.make_conditional(request)
