"""Security headers on every response, the fail-closed access check on every request, and no cookie on shared pages."""

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface

from coordapp.auth.access import enforce_access_rules

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)


def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.endpoint != "static":  # pages, exports, calendars: personal unless a view says otherwise
        response.headers.setdefault("Cache-Control", "no-store")
    return response


class SharedPagesSetNoCookie(SecureCookieSessionInterface):
    """Sessions in a signed cookie, never set on a response any cache may share (``Cache-Control: public``).

    A portal page is cached whole and served to everyone: a cookie on it (a visitor's session, touched by
    Flask-Login on their first anonymous request after the login page, or a remember cookie renewed) would
    be handed to the next reader by a proxy. Saving the session is the last step of a response, after every
    ``after_request``, so this also drops a cookie one of them set.
    """

    def save_session(self, app, session, response) -> None:
        if response.cache_control.public:
            response.headers.remove("Set-Cookie")
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    """Install the access check, the response headers and the session interface."""
    app.before_request(enforce_access_rules)
    app.after_request(_headers)
    app.session_interface = SharedPagesSetNoCookie()
