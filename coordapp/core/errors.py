"""Error pages in the reader's language; JSON for JSON clients."""

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


def _page(error: HTTPException):
    titles = {
        400: _("The request could not be understood."),
        403: _("You may not open this page."),
        404: _("This page does not exist."),
        405: _("This action is not allowed here."),
        409: _("Someone else changed this in the meantime. Reload the page and try again."),
        413: _("The upload is too large."),
        422: _("The data sent could not be processed."),
        429: _("Too many attempts. Wait a moment and try again."),
    }
    message = titles.get(error.code, _("Something went wrong on our side."))
    if error.code == 409 and error.description != type(error).description:
        message = error.description  # what the view said (already translated) says more than the code's title
    if isinstance(error, CSRFError):
        message = _("The form expired or did not come from this site. Go back, reload the page and send it again.")
    if request.accept_mimetypes.best == "application/json":
        return {"error": message, "status": error.code}, error.code
    return render_template("errors/error.html", code=error.code, message=message), error.code


def init_app(app: Flask) -> None:
    """Render every HTTP error with the error page."""
    for code in (400, 403, 404, 405, 409, 413, 422, 429, 500):
        app.register_error_handler(code, _page)
