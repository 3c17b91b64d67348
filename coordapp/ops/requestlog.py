"""One log line per request: request id, user id, route, status, duration and SQL statement count.

The request id comes from a sane incoming X-Request-ID (a proxy's) or is made here; it goes back
in the X-Request-ID response header and on the error page, so a user can quote it. Lines name the
route's pattern, never the URL's values or query string, and the user by id only: no personal data.
``LOG_FORMAT=json`` writes JSON objects; otherwise ``key=value`` text.
"""

import json
import logging
import re
import time
import uuid

from flask import Flask, current_app, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Engine

from coordapp.core.logredact import redact_handlers

log = logging.getLogger("coordapp.request")
INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
HEADER = "X-Request-ID"


def _count_statement(conn, cursor, statement, parameters, context, executemany) -> None:
    if has_request_context() and "query_count" in g:
        g.query_count += 1


def _start() -> None:
    incoming = request.headers.get(HEADER, "")
    g.request_id = incoming if INCOMING_ID.match(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()
    g.query_count = 0


def format_line(fields: dict, as_json: bool) -> str:
    """Render one log record's fields as JSON or as key=value text."""
    if as_json:
        return json.dumps(fields, separators=(",", ":"))
    return " ".join(f"{key}={value}" for key, value in fields.items())


def _finish(response):
    if "request_started" not in g:
        return response
    response.headers[HEADER] = g.request_id
    try:
        user_id = current_user.id if current_user and current_user.is_authenticated else None
    except Exception:  # noqa: BLE001 - the user loader itself failed; the line must still be written
        user_id = None
    fields = {
        "event": "request",
        "request_id": g.request_id,
        "user_id": user_id,
        "method": request.method,
        "route": request.url_rule.rule if request.url_rule else "unmatched",
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - g.request_started) * 1000, 1),
        "queries": g.query_count,
    }
    log.info(format_line(fields, current_app.config.get("LOG_FORMAT") == "json"))
    return response


def init_app(app: Flask) -> None:
    """Give every request an id and log it when it ends."""
    if not event.contains(Engine, "before_cursor_execute", _count_statement):
        event.listen(Engine, "before_cursor_execute", _count_statement)
    if log.level == logging.NOTSET:
        log.setLevel(logging.INFO)
    if not app.testing and not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
        redact_handlers()  # a library's line (a traceback) may quote an address
    app.before_request(_start)
    app.after_request(_finish)
