"""Issues feature."""

from flask import Blueprint, Flask

bp = Blueprint("issues", __name__, url_prefix="/issues")


def init_app(app: Flask) -> None:
    """Register the blueprint, load the models, give templates the access rules."""
    from coordapp.core.labels import choices
    from coordapp.issues import detail_views, edit_views, models, permissions, views  # noqa: F401

    app.add_template_global(views.optional_url, "optional_url")
    app.add_template_global(permissions, "issue_rules")
    app.add_template_global(choices, "coded_choices")
    app.register_blueprint(bp)
