"""Pages every feature relies on: health check, language switch, error pages."""

from flask import Blueprint, Flask

bp = Blueprint("core", __name__)


def init_app(app: Flask) -> None:
    """Register the blueprint, the error pages (409 for edit conflicts), and the worker heartbeat task."""
    from coordapp.core import errors, locking, submissions, tasks, views  # noqa: F401

    errors.init_app(app)
    locking.init_app(app)
    submissions.init_app(app)
    app.register_blueprint(bp)
