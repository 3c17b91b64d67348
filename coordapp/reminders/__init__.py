"""Reminders feature."""
from flask import Blueprint, Flask

bp = Blueprint("reminders", __name__, url_prefix="/reminders")


def init_app(app: Flask) -> None:
    """Register the blueprint and load the models."""
    from coordapp.reminders import models  # noqa: F401

    app.register_blueprint(bp)
