"""Operations: /metrics for Prometheus."""

from flask import Blueprint, Flask

bp = Blueprint("ops", __name__)


def init_app(app: Flask) -> None:
    """Register /metrics and the per-request measurements."""
    from coordapp.ops import metrics, views  # noqa: F401

    metrics.init_app(app)
    app.register_blueprint(bp)
