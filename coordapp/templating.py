"""Template filters and globals shared by every page."""
from datetime import date, datetime

from flask import Flask, current_app, request
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from coordapp.auth.access import has_role
from coordapp.core.labels import label
from coordapp.core.text import render_markdown


def localdt(value: datetime | None, fmt: str = "medium") -> str:
    """Format a UTC datetime in the election's timezone and the reader's language."""
    return format_datetime(value, fmt) if value else ""


def localdate(value: date | None, fmt: str = "medium") -> str:
    """Format a date in the reader's language."""
    return format_date(value, fmt) if value else ""


def _globals() -> dict:
    locale = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    return {
        "current_locale": locale,
        "languages": current_app.config["LANGUAGES"],
        "has_role": lambda role: has_role(current_user, role),
        "request_path": request.full_path.rstrip("?") if request else "/",
        "label": label,
        "role_label": lambda role: label("role", role),
    }


def init_app(app: Flask) -> None:
    """Register the filters and the context processor."""
    app.jinja_env.filters["localdt"] = localdt
    app.jinja_env.filters["localdate"] = localdate
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.context_processor(_globals)
