"""Stakeholders feature: the register of organizations and contacts, the grid, CSV import and export."""

from flask import Blueprint, Flask

bp = Blueprint("stakeholders", __name__, url_prefix="/stakeholders")


def init_app(app: Flask) -> None:
    """Load the models and views, register the blueprint and the import-stakeholders command."""
    # Imported here, not at the top: these modules import bp from this package (a cycle at import time).
    from coordapp.stakeholders import contact_views, models, privacy_views, transfer_views, views  # noqa: F401
    from coordapp.stakeholders.cli import import_stakeholders_command

    app.register_blueprint(bp)
    app.cli.add_command(import_stakeholders_command)
