"""Notifications: the in-app inbox, watchers of issues, and each user's email about them (through the outbox)."""

from flask import Blueprint, Flask

bp = Blueprint("notifications", __name__, url_prefix="/inbox")


def init_app(app: Flask) -> None:
    """Register the blueprint, the header's unread count, the issue page's watchers and the home page's parts."""
    from coordapp.core import lookups
    from coordapp.notifications import commitments, emails, events, home, models, tasks, views  # noqa: F401

    app.register_blueprint(bp)
    app.add_template_global(home.unread_in_header, "inbox_unread")
    app.add_template_global(home.watch_state, "issue_watch")
    lookups.answer(lookups.HOME_PANELS, home.panels)
    lookups.answer(lookups.PAGE_VERSION, home.page_version)
    lookups.answer(lookups.NOTICE_RELEVANT, emails.still_relevant)
    lookups.answer(lookups.NOTICE_EMAIL, emails.render)
