"""Issues feature."""
from flask import Blueprint, Flask, current_app, url_for

bp = Blueprint("issues", __name__, url_prefix="/issues")


def optional_url(endpoint: str, **values) -> str | None:
    """Return the URL of endpoint, or None while that feature's page does not exist."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


def init_app(app: Flask) -> None:
    """Register the blueprint, load the models, give templates the access rules."""
    from coordapp.issues import detail_views, edit_views, models, permissions, views  # noqa: F401

    from coordapp.core.labels import choices

    app.add_template_global(permissions, "issue_rules")
    app.add_template_global(choices, "coded_choices")
    app.add_template_global(optional_url, "optional_url")
    app.register_blueprint(bp)
