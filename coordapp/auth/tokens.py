"""One-time links to set a password: random, stored as a SHA-256 hash, single use, expiring.

A user has at most one live link per purpose: making a new one (a re-sent invitation, a second
reset request) retires the older ones, and so do a login and a successful reset.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import update

from coordapp.auth.models import AccountToken, User
from coordapp.core.time import utcnow
from coordapp.extensions import db

INVITE = "invite"
RESET = "reset"


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest kept instead of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def lifetime(purpose: str) -> timedelta:
    """Return how long a link of this purpose stays valid (INVITATION_HOURS, PASSWORD_RESET_MINUTES)."""
    if purpose == INVITE:
        return timedelta(hours=current_app.config["INVITATION_HOURS"])
    return timedelta(minutes=current_app.config["PASSWORD_RESET_MINUTES"])


def retire(user: User, purpose: str, now: datetime | None = None) -> None:
    """Make every unused link of this purpose unusable."""
    db.session.execute(
        update(AccountToken)
        .where(AccountToken.user_id == user.id, AccountToken.purpose == purpose, AccountToken.used_dt.is_(None))
        .values(used_dt=now or utcnow())
        .execution_options(synchronize_session=False)
    )


def new_token(user: User, purpose: str, now: datetime | None = None) -> str:
    """Retire the older links of this purpose and return a fresh token (only its hash is stored)."""
    now = now or utcnow()
    retire(user, purpose, now)
    token = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            user=user, purpose=purpose, token_hash=hash_token(token), created_dt=now, expires_dt=now + lifetime(purpose)
        )
    )
    return token


def find(token: str, purpose: str, now: datetime | None = None) -> AccountToken | None:
    """Return the live link of this token and purpose, or None (unknown, used, expired, or its user deactivated)."""
    if not token or len(token) > 100:
        return None
    row = db.session.execute(
        db.select(AccountToken).where(AccountToken.token_hash == hash_token(token), AccountToken.purpose == purpose)
    ).scalar_one_or_none()
    if row is None or row.used_dt is not None or row.expires_dt <= (now or utcnow()) or not row.user.is_active:
        return None
    return row


def live_invitations() -> dict[int, datetime]:
    """Return {user id: expiry} of every invitation link still usable."""
    rows = db.session.execute(
        db.select(AccountToken.user_id, AccountToken.expires_dt).where(
            AccountToken.purpose == INVITE, AccountToken.used_dt.is_(None), AccountToken.expires_dt > utcnow()
        )
    )
    return {user_id: expires for user_id, expires in rows}
