"""Pages every feature relies on: health check, language switch, error pages."""

from flask import Blueprint, Flask

bp = Blueprint("core", __name__)


def init_app(app: Flask) -> None:
    """Register the blueprint, the error pages (409 for conflicts), the heartbeat task and the input cleaning."""
    # Imported here, not at the top: these modules import bp from this package (a cycle at import time).
    from coordapp.core import cli, errors, locking, submissions, tasks, validation, views  # noqa: F401
    from coordapp.core.urls import external_url

    # Before any feature adds its routes: they are compiled with the bounded int converter.
    app.request_class = validation.CleanRequest
    app.url_map.converters["int"] = validation.BoundedIntConverter
    errors.init_app(app)
    app.cli.add_command(cli.health_command)
    locking.init_app(app)
    submissions.init_app(app)
    app.add_template_global(lambda: external_url("core.privacy"), "privacy_url")
    app.register_blueprint(bp)
