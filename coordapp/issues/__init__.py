"""Issues feature."""

from flask import Blueprint, Flask

from coordapp.core.labels import choices

bp = Blueprint("issues", __name__, url_prefix="/issues")


def init_app(app: Flask) -> None:
    """Register the blueprint, load the models, give templates the access rules."""
    # Imported here, not at the top: these modules import bp from this package (a cycle at import time).
    from coordapp.issues import detail_views, edit_views, models, permissions, related, views  # noqa: F401

    related.answer_lookups()
    app.add_template_global(permissions, "issue_rules")
    app.add_template_global(choices, "coded_choices")
    app.register_blueprint(bp)
