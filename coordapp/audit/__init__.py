"""The audit trail: every create, update, status change and archive, with actor and values."""
from flask import Blueprint, Flask

bp = Blueprint("audit", __name__, url_prefix="/audit")


def init_app(app: Flask) -> None:
    """Load the audit listener and register the blueprint."""
    from coordapp.audit import models, services  # noqa: F401

    app.register_blueprint(bp)
