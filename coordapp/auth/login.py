"""Flask-Login wiring: sessions carry the user's session version."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from coordapp.auth.models import User
from coordapp.extensions import db, login_manager


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Load the user of a session id "id:version"; a stale version logs the session out."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def init_app(app: Flask) -> None:
    """Bind Flask-Login to the app."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
