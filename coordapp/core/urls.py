"""URL helpers: safe redirects, and absolute links that leave the browser (emails, calendar apps)."""

from urllib.parse import urlsplit

from flask import current_app, request, url_for


def external_url(endpoint: str, **values) -> str:
    """Build an absolute URL under BASE_URL, the address people reach the app by.

    Emails and calendar feeds are read far from the request that made them (in a worker, or
    by a calendar server), so they link to the configured address, never the request's host.
    """
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


def safe_next(default_endpoint: str = "elections.home") -> str:
    """Return the ?next= target when it stays on this site, else the default page."""
    target = request.args.get("next") or request.form.get("next") or ""
    # Browsers read a backslash as a slash and drop tabs and newlines: "/<backslash>evil" leaves the site.
    if "\\" in target or any(ord(char) < 33 or ord(char) == 127 for char in target):
        return url_for(default_endpoint)
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc:
        return target
    return url_for(default_endpoint)
