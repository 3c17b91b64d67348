"""Commitments: what was agreed at a meeting or on an issue, who does it, by when, and whether it was done."""

from flask import Blueprint, Flask

bp = Blueprint("commitments", __name__, url_prefix="/commitments")


def init_app(app: Flask) -> None:
    """Register the blueprint and the template helper; load the models."""
    from coordapp.commitments import models, queries, views  # noqa: F401

    app.register_blueprint(bp)
    app.add_template_global(queries.commitments_of)
    app.add_template_global(queries.today_local)
