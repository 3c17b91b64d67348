"""Elections and their ordered stages; the home page."""

from flask import Blueprint, Flask

bp = Blueprint("elections", __name__)


def init_app(app: Flask) -> None:
    """Register the blueprint."""
    from coordapp.elections import admin_views, views  # noqa: F401

    app.register_blueprint(bp)
