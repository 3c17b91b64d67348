"""Meetings feature."""

from flask import Blueprint, Flask

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


def init_app(app: Flask) -> None:
    """Register the blueprint, load the models, answer the lower features' questions."""
    # Imported here, not at the top: these modules import bp from this package (a cycle at import time).
    from coordapp.meetings import calendar_views, minutes_views, models, queries, views  # noqa: F401

    queries.answer_lookups()
    app.register_blueprint(bp)
