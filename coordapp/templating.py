"""Template filters and globals shared by every page."""

from datetime import date, datetime

from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import format_date, format_datetime, get_locale, get_timezone
from flask_login import current_user
from markupsafe import Markup

from coordapp.auth.access import has_role
from coordapp.core.dates import datetime_pattern
from coordapp.core.labels import label, labels_of
from coordapp.core.options import select_options
from coordapp.core.text import render_markdown
from coordapp.core.visibility import PUBLIC_READER, STAFF, Reader

DATETIME_KINDS = ("short", "medium")  # both give the one date-and-time format below


def localdt(value: datetime | None, fmt: str = "medium") -> str:
    """Format a UTC datetime in the election's timezone and the reader's language; "short" and "medium" (the usual
    kinds) give the same format everywhere (datetime_pattern), "long" and "full" stay Babel's."""
    if not value:
        return ""
    if fmt in DATETIME_KINDS:
        fmt = datetime_pattern()
    try:
        return format_datetime(value, fmt)
    except OverflowError:  # a bad row near the year 9999: shown in UTC rather than breaking the page
        return format_datetime(value, fmt, rebase=False)


def localdate(value: date | None, fmt: str = "medium") -> str:
    """Format a date in the reader's language (each date once per request: lists repeat their due dates)."""
    if not value:
        return ""
    if not has_request_context():
        return _date_text(value, fmt)
    formatted = g.setdefault("formatted_dates", {})
    key = (value, fmt, str(get_locale()))  # an email rendered mid-request may be in another language
    if key not in formatted:
        formatted[key] = _date_text(value, fmt)
    return formatted[key]


def localday(value: datetime | None, fmt: str = "medium") -> str:
    """Format the day of a UTC datetime in the reader's timezone and language (a date pattern; each day once).

    The same text as ``localdt`` with a date-only pattern, at the cost of one date per list, not one per row.
    """
    if not value:
        return ""
    try:
        day = value.astimezone(get_timezone()).date()
    except OverflowError:  # a bad row near the year 9999: its UTC day
        day = value.date()
    return localdate(day, fmt)


def _date_text(value: date, fmt: str) -> str:
    try:
        return format_date(value, fmt)
    except OverflowError:  # a datetime near the year 9999 (a bad row): its UTC date
        return format_date(value, fmt, rebase=False)


def optional_url(endpoint: str, **values) -> str | None:
    """Return the URL of endpoint, or None while that feature's page does not exist (for templates)."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


def _globals() -> dict:
    locale = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    return {
        "current_locale": locale,
        "languages": current_app.config["LANGUAGES"],
        "has_role": lambda role: has_role(current_user, role),
        "request_path": request.full_path.rstrip("?") if request else "/",
        "label": label,
        "labels_of": labels_of,
        "select_options": select_options,
        "role_label": lambda role: label("role", role),
    }


READERS = {"staff": STAFF, "contact": Reader("contact"), "public": PUBLIC_READER}


def markdown(text: str | None, audience: str = "public") -> Markup:
    """Render Markdown for an audience ("staff", "contact" or "public", the default): it decides where "#66" leads."""
    return render_markdown(text, READERS[audience])


def init_app(app: Flask) -> None:
    """Register the filters and the context processor."""
    app.jinja_env.filters["localdt"] = localdt
    app.jinja_env.filters["localdate"] = localdate
    app.jinja_env.filters["localday"] = localday
    app.jinja_env.filters["markdown"] = markdown
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.add_template_global(optional_url, "optional_url")
    app.context_processor(_globals)
