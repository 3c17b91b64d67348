"""GET /metrics: Prometheus text, for a bearer of METRICS_TOKEN or a caller on this machine."""

import hmac

from flask import Response, abort, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from coordapp.auth.access import public
from coordapp.ops import bp

LOOPBACK = {"127.0.0.1", "::1"}


def allowed() -> bool:
    """Tell whether this request may read /metrics: the right token, or (without a token set) from loopback."""
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), token.encode())
    return request.remote_addr in LOOPBACK


@bp.get("/metrics")
@public  # the token or loopback check below is the rule
def metrics():
    """Serve the figures in Prometheus text format."""
    if not allowed():
        abort(403)
    registry = current_app.extensions["metrics"]["registry"]
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
