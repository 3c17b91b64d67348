"""Inbound email: replies by mail (SMTP/LMTP intake), parsing, auto-replies, quarantine."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Load the models and tasks and register the `mail-in` CLI group."""
    from coordapp.mailin import models, tasks  # noqa: F401
    from coordapp.mailin.cli import mailin_cli

    app.cli.add_command(mailin_cli)
