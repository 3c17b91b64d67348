"""Files: attachments on meetings, issues, commitments and reports, kept by content hash, served by access rule."""

from flask import Blueprint, Flask

bp = Blueprint("files", __name__, url_prefix="/files")


def init_app(app: Flask) -> None:
    """Register the blueprint and the template helper; load the models."""
    from coordapp.files import models, services, views  # noqa: F401

    app.register_blueprint(bp)
    app.add_template_global(services.attachments_of)
