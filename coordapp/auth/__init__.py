"""Login, logout, accounts and roles."""

from flask import Blueprint, Flask

bp = Blueprint("auth", __name__, url_prefix="/auth")


def init_app(app: Flask) -> None:
    """Register the blueprint, the user loader, the session rules and the denied-request log."""
    # Imported here, not at the top: these modules import bp from this package (a cycle at import time).
    from coordapp.auth import admin_views, link_views, login, preview, sessions, tasks, views  # noqa: F401
    from coordapp.auth.denied import log_denied

    login.init_app(app)
    sessions.init_app(app)
    app.after_request(log_denied)
    app.register_blueprint(bp)
