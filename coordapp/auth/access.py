"""One decorator family declares who may call a route; unmarked routes are refused.

Every view carries an ``access_rule`` attribute. ``enforce_access_rules`` (a
before_request hook) answers 403 for any endpoint that has none, so a route that
forgot its rule fails closed, and tests walk ``app.url_map`` to list such routes.
"""

from functools import wraps

from flask import abort, current_app, request
from flask_login import current_user

# The marks for routes anyone may call live in core (its own routes carry them); features import them from here.
from coordapp.core.access import ANONYMOUS_LINK, PUBLIC, public, signed_link  # noqa: F401
from coordapp.core.access import mark as _mark

ROLES = ("staff", "manager", "admin")
RANK = {role: index for index, role in enumerate(ROLES)}

LOGGED_IN = "login"  # any active user


def login_required(view):
    """Let any logged-in, active user call this route."""
    return role_required("staff")(view)


def has_role(user, role: str) -> bool:
    """Tell whether user holds role or a higher one (admin > manager > staff)."""
    return bool(user and user.is_authenticated and RANK.get(user.role, -1) >= RANK[role])


def role_required(role: str):
    """Let users with role, or a higher one, call this route."""
    if role not in RANK:
        raise ValueError(f"unknown role {role!r}")

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not has_role(current_user, role):
                abort(403)
            return view(*args, **kwargs)

        return _mark(wrapped, role)

    return decorator


def enforce_access_rules():
    """Refuse any request to an endpoint that declares no access rule."""
    if request.endpoint is None or request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "access_rule", None) is None:
        abort(403)
    return None
