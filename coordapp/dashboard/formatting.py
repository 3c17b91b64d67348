"""Template helpers for the managers' pages: figures in the reader's locale, links to the issue list.

A board renders a few hundred figures and links, so these avoid per-call overhead where the
result cannot differ: small counts need no thousands separator, and the issue list's path is
looked up once per request.
"""

import re
from urllib.parse import quote_plus

from babel.numbers import get_decimal_symbol
from flask import Flask, g, url_for
from flask_babel import format_decimal, format_percent, get_locale
from markupsafe import Markup, escape

PLAIN = re.compile(r"[A-Za-z0-9_.-]*\Z")  # query values that need no percent-encoding


def days(value: float | int | None) -> str:
    """Format a number of days with one decimal, or a dash when there is none."""
    if value is None:
        return "–"
    if -1000 < value < 1000:  # no thousands separator: only the locale's decimal sign differs
        return f"{value:.1f}".replace(".", _decimal_sign())
    return format_decimal(value, format="#,##0.0")


def _decimal_sign() -> str:
    locale = get_locale()
    cache = g.setdefault("decimal_signs", {})
    if locale not in cache:
        cache[locale] = get_decimal_symbol(locale)
    return cache[locale]


def share(ratio) -> str:
    """Format a Ratio as a whole percentage, or a dash when nothing was measured."""
    return "–" if ratio.share is None else format_percent(ratio.share, format="#,##0%")


def count(value: int | None) -> str:
    """Format a count with the locale's thousands separator."""
    value = value or 0
    return str(value) if -1000 < value < 1000 else format_decimal(value, format="#,##0")


def query_string(args: dict) -> str:
    """Encode query args as urlencode(args, doseq=True) does; ids and codes are passed through as they are."""
    parts = []
    for key, value in args.items():
        for item in value if isinstance(value, (list, tuple)) else (value,):
            item = str(item)
            parts.append(f"{key}={item if PLAIN.match(item) else quote_plus(item)}")
    return "&".join(parts)


def issue_list_url(issue_filter) -> str:
    """Return the URL of the issue list filtered by issue_filter (as url_for('issues.index', **f.to_args()))."""
    base = g.get("dashboard_issue_list")
    if base is None:
        base = g.dashboard_issue_list = url_for("issues.index")
    query = query_string(issue_filter.to_args())
    return f"{base}?{query}" if query else base


def issues_link(issue_filter, text, title=None, class_: str = "") -> Markup:
    """Return a link to the issue list filtered by issue_filter (a function, not a macro: boards hold hundreds)."""
    attributes = (f' class="{escape(class_)}"' if class_ else "") + (f' title="{escape(title)}"' if title else "")
    return Markup(f'<a href="{escape(issue_list_url(issue_filter))}"{attributes}>{escape(text)}</a>')


def init_app(app: Flask) -> None:
    """Make the filters and the link helper available to every template."""
    app.add_template_filter(count, "figure")
    app.add_template_filter(days, "day_figure")
    app.add_template_filter(share, "share_figure")
    app.add_template_global(issue_list_url, "issue_list_url")
    app.add_template_global(issues_link, "issues_link")
