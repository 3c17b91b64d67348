"""Login, logout, accounts and roles."""

from flask import Blueprint, Flask

bp = Blueprint("auth", __name__, url_prefix="/auth")


def init_app(app: Flask) -> None:
    """Register the blueprint and the user loader."""
    # Imported here, not at the top: these modules import bp from this package (a cycle at import time).
    from coordapp.auth import admin_views, login, views  # noqa: F401

    login.init_app(app)
    app.register_blueprint(bp)
