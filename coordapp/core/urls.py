"""Redirect helpers."""
from urllib.parse import urlsplit

from flask import request, url_for


def safe_next(default_endpoint: str = "elections.home") -> str:
    """Return the ?next= target when it stays on this site, else the default page."""
    target = request.args.get("next") or request.form.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc:
        return target
    return url_for(default_endpoint)
