"""Dashboard feature."""
from flask import Blueprint, Flask

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def init_app(app: Flask) -> None:
    """Register the blueprint and load the models."""
    from coordapp.dashboard import models  # noqa: F401

    app.register_blueprint(bp)
