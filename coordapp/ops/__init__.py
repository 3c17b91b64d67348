"""Operations: /metrics for Prometheus, one structured log line per request, the admin's backups page."""

from flask import Blueprint, Flask

bp = Blueprint("ops", __name__)


def init_app(app: Flask) -> None:
    """Register /metrics, the per-request measurements and the request log."""
    from coordapp.ops import admin_views, metrics, requestlog, views  # noqa: F401

    requestlog.init_app(app)
    metrics.init_app(app)
    app.register_blueprint(bp)
