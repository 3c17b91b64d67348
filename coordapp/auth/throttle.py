"""Throttling that slows a guesser without locking the owner out.

Failures (wrong password, wrong current password, wrong code) are security events; they are
counted per (account, address) and per address over the last window. After a few free
failures each further one doubles the wait before the next attempt is even checked. An
attacker on one address is slowed; the owner on another address is not. The owner is told
by email when an account collects repeated failures from anywhere.
"""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func

from coordapp.auth.security_log import FAILURES, SecurityEvent
from coordapp.core.time import utcnow
from coordapp.extensions import db

WINDOW = timedelta(minutes=15)
MAX_DELAY = timedelta(minutes=15)


def _failures(now: datetime, **match) -> tuple[int, datetime | None]:
    """Count failures (and the latest) in the window since the last success on the same account and address."""
    since = now - WINDOW
    if match.get("email"):
        last_ok = db.session.execute(
            db.select(func.max(SecurityEvent.created_dt)).where(
                SecurityEvent.event == "login_success",
                SecurityEvent.email == match["email"],
                SecurityEvent.ip == match["ip"],
            )
        ).scalar()
        if last_ok is not None and last_ok > since:
            since = last_ok
    stmt = db.select(func.count(), func.max(SecurityEvent.created_dt)).where(
        SecurityEvent.event.in_(FAILURES), SecurityEvent.created_dt > since, SecurityEvent.ip == match["ip"]
    )
    if match.get("email"):
        stmt = stmt.where(SecurityEvent.email == match["email"])
    count, latest = db.session.execute(stmt).one()
    return count, latest


def _delay(count: int, free: int) -> timedelta:
    if count < free:
        return timedelta(0)
    return min(timedelta(seconds=2 ** (count - free)), MAX_DELAY)


def wait_seconds(email: str, ip: str, now: datetime | None = None) -> int:
    """Return how many seconds this address must wait before trying this account again (0: go ahead)."""
    now = now or utcnow()
    email = (email or "").strip().lower()
    cfg = current_app.config
    waits = []
    for match, free in (
        ({"email": email, "ip": ip}, cfg["LOGIN_FREE_FAILURES"]),
        ({"ip": ip}, cfg["LOGIN_FREE_FAILURES_IP"]),
    ):
        count, latest = _failures(now, **match)
        if latest is not None:
            waits.append((latest + _delay(count, free) - now).total_seconds())
    return max([0, *[int(w) + 1 for w in waits if w > 0]])


def failures_of_account(email: str, now: datetime | None = None, hours: int = 1) -> int:
    """Count the failures on one account from any address in the last hours."""
    since = (now or utcnow()) - timedelta(hours=hours)
    stmt = db.select(func.count()).where(
        SecurityEvent.event.in_(FAILURES),
        SecurityEvent.email == email.strip().lower(),
        SecurityEvent.created_dt > since,
    )
    return db.session.execute(stmt).scalar_one()
