"""The audit trail: every create, update, status change and archive, with actor and values."""

from flask import Blueprint, Flask

bp = Blueprint("audit", __name__, url_prefix="/audit")


def init_app(app: Flask) -> None:
    """Load the audit listener and register the blueprint."""
    # Imported here, not at the top: these modules import bp from this package (a cycle at import time).
    from coordapp.audit import models, security_views, services, views  # noqa: F401
    from coordapp.audit.history import entity_url
    from coordapp.extensions import db

    app.add_template_global(entity_url, "audit_entity_url")
    for mapper in db.Model.registry.mappers:  # models configured before the listener was loaded
        if mapper.configured:
            services.want_old_values(mapper)
    app.register_blueprint(bp)
