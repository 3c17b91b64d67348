"""Redirect helpers."""
from urllib.parse import urlsplit

from flask import request, url_for


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
