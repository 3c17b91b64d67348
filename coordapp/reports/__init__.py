"""Reports feature: accountability reports in versions, budget lines, PDF, publication kit and channel log."""

from flask import Blueprint, Flask

bp = Blueprint("reports", __name__, url_prefix="/reports")
public_bp = Blueprint("public_reports", __name__, url_prefix="/public/reports")


def init_app(app: Flask) -> None:
    """Load the models and views, register the blueprints and the template helpers."""
    from coordapp.reports import attachments, budget_views, kit_views, models, public_views, publications, views  # noqa: F401

    attachments.register()
    publications.init_app(app)
    app.register_blueprint(bp)
    app.register_blueprint(public_bp)
