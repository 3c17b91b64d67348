"""Inbound email: replies by mail (SMTP/LMTP intake), parsing, auto-replies, bounces, quarantine."""

from flask import Blueprint, Flask

bp = Blueprint("mailin", __name__, url_prefix="/mail-in")


def init_app(app: Flask) -> None:
    """Register the blueprint and the `mail-in` CLI group; load the models and tasks."""
    from coordapp.mailin import models, tasks, views  # noqa: F401
    from coordapp.mailin.cli import mailin_cli

    app.register_blueprint(bp)
    app.cli.add_command(mailin_cli)
