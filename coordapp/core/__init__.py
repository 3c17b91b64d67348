"""Pages every feature relies on: health check, language switch, error pages."""

from flask import Blueprint, Flask

bp = Blueprint("core", __name__)


def init_app(app: Flask) -> None:
    """Register the blueprint, the error pages and the worker heartbeat task."""
    from coordapp.core import errors, tasks, views  # noqa: F401
    from coordapp.core.urls import external_url

    errors.init_app(app)
    app.add_template_global(lambda: external_url("core.privacy"), "privacy_url")
    app.register_blueprint(bp)
