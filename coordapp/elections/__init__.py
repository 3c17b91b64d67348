"""Elections and their ordered stages; the home page."""

from flask import Blueprint, Flask

bp = Blueprint("elections", __name__)


def init_app(app: Flask) -> None:
    """Register the blueprint."""
    # Imported here, not at the top: these modules import bp from this package (a cycle at import time).
    from coordapp.elections import admin_views, views  # noqa: F401

    app.register_blueprint(bp)
