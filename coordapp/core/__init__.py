"""Pages every feature relies on: health check, language switch, error pages."""

from flask import Blueprint, Flask

bp = Blueprint("core", __name__)


def init_app(app: Flask) -> None:
    """Register the blueprint, the error pages and the worker heartbeat task."""
    # Imported here, not at the top: these modules import bp from this package (a cycle at import time).
    from coordapp.core import errors, tasks, views  # noqa: F401

    errors.init_app(app)
    app.register_blueprint(bp)
