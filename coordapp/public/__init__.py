"""The public portal, its feeds and open data, and the publishing controls staff use."""

from flask import Blueprint, Flask

bp = Blueprint("public", __name__, url_prefix="/public")
root = Blueprint("public_root", __name__)  # robots.txt and sitemap.xml live at the site's root
manage = Blueprint("publishing", __name__, url_prefix="/publishing")


def init_app(app: Flask) -> None:
    """Set up the page cache, register the portal's sources and datasets, and the blueprints."""
    from coordapp.core import lookups
    from coordapp.extensions import cache

    # publishing: its listeners stamp publications and bump the cache version after each commit.
    from coordapp.public import (  # noqa: F401
        admin_views,
        data_views,
        portal,
        publishing,
        registry,
        report_sources,
        sources,
        views,
    )

    cache.init_app(app)
    lookups.answer(lookups.PORTAL_PAGE, portal.page)  # the public report pages are framed and cached as ours
    registry.register_publication_source(sources.meeting_entries, app)
    registry.register_publication_source(sources.issue_entries, app)
    registry.register_dataset(sources.MEETINGS, app)
    registry.register_dataset(sources.ISSUES, app)
    registry.register_publication_source(report_sources.report_entries, app)
    registry.register_dataset(report_sources.REPORTS, app)
    registry.register_dataset(report_sources.BUDGET_LINES, app)
    for blueprint in (bp, root, manage):
        app.register_blueprint(blueprint)
