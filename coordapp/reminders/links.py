"""Tokens in email links: reply tokens (hash stored) and signed unsubscribe tokens (URLs: core.urls.external_url)."""

import hashlib
import secrets

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

UNSUBSCRIBE_SALT = "reminders.unsubscribe"


def new_reply_token() -> tuple[str, str]:
    """Return a fresh random token and the hash to store for it."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest kept instead of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(contact) -> str:
    """Sign a contact's id and address into a link token that never expires."""
    return _serializer().dumps([contact.id, contact.email])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """Return (contact id, email) from a valid unsubscribe token, else None."""
    try:
        contact_id, email = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    return int(contact_id), str(email)
