"""Issues feature."""
from flask import Blueprint, Flask

bp = Blueprint("issues", __name__, url_prefix="/issues")


def init_app(app: Flask) -> None:
    """Register the blueprint and load the models."""
    from coordapp.issues import models  # noqa: F401

    app.register_blueprint(bp)
