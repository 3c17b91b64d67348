"""Every refused request (403) lands in the security log, with who asked and for what."""

from flask import request
from flask_login import current_user

from coordapp.auth.security_log import record
from coordapp.extensions import db


def log_denied(response):
    """Record an access_denied security event for a 403 answer (the refused request changed nothing)."""
    if response.status_code != 403:
        return response
    db.session.rollback()
    user = current_user._get_current_object() if current_user.is_authenticated else None
    record("access_denied", user=user, detail=f"{request.method} {request.path}"[:300])
    db.session.commit()
    return response
