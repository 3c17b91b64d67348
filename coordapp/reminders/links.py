"""Tokens in email links: random, opaque, only their hash stored (URLs: core.urls.external_url).

A reply token opens a contact's issues of one email; an unsubscribe token stops a contact's
reminders. Neither carries anything readable: the link is a random string, the database keeps
its SHA-256, and each has an expiry.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app

from coordapp.extensions import db
from coordapp.reminders.models import UnsubscribeToken


def new_reply_token() -> tuple[str, str]:
    """Return a fresh random token and the hash to store for it."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest kept instead of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def reply_address(token: str) -> str | None:
    """Return the reply+TOKEN@MAIL_REPLY_DOMAIN address for a reply token, or None when no domain is set."""
    domain = current_app.config.get("MAIL_REPLY_DOMAIN")
    return f"reply+{token}@{domain}" if domain else None


def unsubscribe_token(contact, now: datetime) -> str:
    """Store a new opaque unsubscribe token for a contact (valid UNSUBSCRIBE_TOKEN_DAYS) and return it."""
    token, token_hash = new_reply_token()
    days = current_app.config.get("UNSUBSCRIBE_TOKEN_DAYS", 180)
    db.session.add(UnsubscribeToken(contact=contact, token_hash=token_hash, expires_dt=now + timedelta(days=days)))
    return token


def read_unsubscribe_token(token: str, now: datetime):
    """Return the contact a live unsubscribe token stands for, else None (unknown, old-style or expired)."""
    if not token or len(token) > 200:
        return None
    row = db.session.execute(db.select(UnsubscribeToken).filter_by(token_hash=hash_token(token))).scalar_one_or_none()
    if row is None or row.expires_dt <= now:
        return None
    return row.contact
