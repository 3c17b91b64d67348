"""Stakeholders feature."""
from flask import Blueprint, Flask

bp = Blueprint("stakeholders", __name__, url_prefix="/stakeholders")


def init_app(app: Flask) -> None:
    """Register the blueprint and load the models."""
    from coordapp.stakeholders import models  # noqa: F401

    app.register_blueprint(bp)
