"""How a portal page is answered: in the reader's language (or ?lang=), cached, cacheable."""

from collections.abc import Callable

from flask import current_app, render_template, request, url_for
from flask_babel import force_locale

from coordapp.core.urls import external_url
from coordapp.i18n import select_locale
from coordapp.public import cache


def portal_locale() -> str:
    """Return the page's language: ?lang= when given (links stay cacheable), else the reader's."""
    asked = request.args.get("lang", "")
    return asked if asked in current_app.config["LANGUAGES"] else select_locale()


def lang_args() -> dict:
    """Return the ?lang= argument to keep in the portal's links, when the reader chose one."""
    asked = request.args.get("lang", "")
    return {"lang": asked} if asked in current_app.config["LANGUAGES"] else {}


def _frame(extra_args: dict) -> dict:
    """Return what the frame needs: the page's public address and its address in each language.

    Built from the route and the page's own arguments only, never from the rest of the query
    string or the Host header: the page is cached and served to everyone.
    """
    endpoint, values = request.endpoint, dict(request.view_args or {}, **extra_args)
    return {
        "portal_lang": lang_args(),
        "canonical_url": external_url(endpoint, **values),
        "lang_links": {code: url_for(endpoint, **values, lang=code) for code in current_app.config["LANGUAGES"]},
    }


def page(template: str, key: tuple, context: Callable[[], dict], mimetype: str = "text/html", args: dict | None = None):
    """Answer a cached page rendered from template with the context context() builds.

    args are the query arguments that make the page (the search words): part of its address.
    """
    locale = portal_locale()

    def render() -> str:
        with force_locale(locale):
            return render_template(template, **_frame(args or {}), **context())

    # ?lang= pages link with ?lang= (a browser's choice does not): a page of its own.
    body = cache.cached_text((template, locale, bool(lang_args()), *key), render)
    return cache.cacheable(body, mimetype)
