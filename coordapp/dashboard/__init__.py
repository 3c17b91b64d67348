"""Dashboard feature: the managers' stage board, scorecard, saved filters and exports of the issue list."""

from flask import Blueprint, Flask

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def init_app(app: Flask) -> None:
    """Register the blueprint with its template filters, models and views."""
    # Imported here, not at the top: these modules import bp from this package (a cycle at import time).
    from coordapp.dashboard import export_views, formatting, list_views, models, views  # noqa: F401

    formatting.init_app(app)
    list_views.answer_lookups()
    app.register_blueprint(bp)
