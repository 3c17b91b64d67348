"""Health check and language switch."""

from flask import current_app, jsonify, make_response, redirect, render_template, request
from flask_login import current_user

from coordapp.core import bp, services
from coordapp.core.access import public
from coordapp.core.urls import safe_next
from coordapp.extensions import csrf, db
from coordapp.i18n import LANG_COOKIE


@bp.get("/healthz")
@public
@csrf.exempt
def healthz():
    """Answer JSON with the state of the database, the broker and the workers."""
    report, status = services.health()
    return jsonify(report), status


@bp.post("/language")
@public
def set_language():
    """Switch the interface language (a cookie; also the setting of a logged-in user)."""
    language = request.form.get("language", "")
    response = make_response(redirect(safe_next()))
    if language in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANG_COOKIE,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            httponly=True,
        )
        if current_user.is_authenticated:
            current_user.language = language
            db.session.commit()
    return response


@bp.get("/privacy")
@public
def privacy():
    """Show the privacy notice: what personal data CoordApp keeps, why, for how long, and people's rights."""
    return render_template("core/privacy.html", retention_days=current_app.config["CONTACT_RETENTION_DAYS"])
