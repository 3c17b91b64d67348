"""Meetings feature."""

from flask import Blueprint, Flask

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


def init_app(app: Flask) -> None:
    """Register the blueprint and load the models."""
    from coordapp.meetings import calendar_views, minutes_views, models, views  # noqa: F401

    app.register_blueprint(bp)
