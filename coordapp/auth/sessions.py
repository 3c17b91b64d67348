"""Session rules: a sign-in lasts at most SESSION_MAX_HOURS and ends after SESSION_IDLE_MINUTES idle.

The session cookie carries when the sign-in happened and when the user was last seen. A
remember-me cookie lives only as long as the idle timeout and is renewed by each request, so
it keeps the idle rule too. Users whose role requires two-factor sign-in and who have not set
it up can open nothing but the setup page until they do.
"""

from datetime import timedelta

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from coordapp.auth import twofactor
from coordapp.auth.models import User
from coordapp.auth.security_log import record
from coordapp.core.time import utcnow
from coordapp.extensions import db

AUTH_KEY, SEEN_KEY = "auth_ts", "seen_ts"
PENDING_2FA = "pending_2fa"
# What a user who must still set up two-factor sign-in may open.
SETUP_ENDPOINTS = {"auth.two_factor", "auth.logout", "core.set_language", "core.privacy", "core.healthz"}


def _now() -> float:
    return utcnow().timestamp()


def start(user: User, remember: bool = False) -> None:
    """Begin a fresh session for user: nothing from before the sign-in survives it."""
    session.clear()
    login_user(user, remember=remember)
    session[AUTH_KEY] = session[SEEN_KEY] = _now()


def end() -> None:
    """End this browser's session and its remember cookie."""
    session.clear()
    logout_user()  # after clear(): it leaves the flag that deletes the remember cookie


def _expired(now: float) -> bool:
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"]).total_seconds()
    longest = timedelta(hours=current_app.config["SESSION_MAX_HOURS"]).total_seconds()
    seen, started = session.get(SEEN_KEY), session.get(AUTH_KEY)
    if seen is None:  # brought back by a remember cookie, itself no older than the idle timeout
        last_login = current_user.last_login_dt
        started = last_login.timestamp() if last_login else now
        session[AUTH_KEY] = started
        seen = now
    return now - seen > idle or now - started > longest


def check_session():
    """End a session that was idle or open too long; send users who must set up 2FA to its page."""
    if request.endpoint in (None, "static") or not current_user.is_authenticated:
        return None
    now = _now()
    if _expired(now):
        record("session_timeout", user=current_user._get_current_object())
        db.session.commit()
        end()
        flash(_("Your session ended after a period without activity. Please log in again."), "info")
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
    session[SEEN_KEY] = now
    if (
        twofactor.required_for(current_user)
        and not current_user.has_two_factor
        and request.endpoint not in SETUP_ENDPOINTS
    ):
        flash(_("Your role requires two-factor sign-in. Set it up to continue."), "warning")
        return redirect(url_for("auth.two_factor"))
    return None


def renew_remember_cookie(response):
    """Give a remember cookie in use a new expiry (the idle timeout from now); Flask-Login writes it."""
    cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    if cookie in request.cookies and "_remember" not in session and current_user.is_authenticated:
        session["_remember"] = "set"
    return response


def init_app(app: Flask) -> None:
    """Check every request's session."""
    app.before_request(check_session)
    app.after_request(renew_remember_cookie)  # runs before Flask-Login's own after_request
