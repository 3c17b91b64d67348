"""Reminders feature: policy, sweep (planner), outbox, send task, reply links, unsubscribe."""

from flask import Blueprint, Flask

bp = Blueprint("reminders", __name__, url_prefix="/reminders")


def init_app(app: Flask) -> None:
    """Register the blueprint, the CLI group and the outbox listeners; load the models."""
    # Imported here, not at the top: these modules import bp from this package (a cycle at import time).
    from coordapp.reminders import (  # noqa: F401
        admin_views,
        link_views,
        meeting_emails,
        meeting_queue,
        models,
        notifications,
        rsvp_views,
        tasks,
    )
    from coordapp.reminders.cli import reminders_cli

    app.register_blueprint(bp)
    app.cli.add_command(reminders_cli)
