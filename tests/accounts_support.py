"""Helpers of the account tests: links out of real emails, TOTP codes, clients at an address."""

import re

import pyotp

from coordapp.auth import mail
from coordapp.extensions import db

LINK = re.compile(r"https?://\S+/auth/(?:invite|reset)/[A-Za-z0-9_\-]+")
STRONG = "lembayung senja di pelabuhan ratu"
STRONGER = "kopi tubruk pagi hari di bintaro"


def deliver() -> int:
    """Send every pending account email now (the worker's job)."""
    db.session.expire_all()
    return mail.send_pending()


def text_of(received) -> str:
    """Return the plain-text part of a received message."""
    return received.message.get_body(preferencelist=("plain",)).get_content()


def link_in(received) -> str:
    """Return the one-time link of an invitation or reset email, as a path."""
    url = LINK.search(text_of(received)).group(0)
    return "/" + url.split("/", 3)[3]


def code_for(secret: str, at: float | None = None) -> str:
    """Return the TOTP code an authenticator app shows for secret (now, or at a timestamp)."""
    totp = pyotp.TOTP(secret)
    return totp.at(at) if at is not None else totp.now()


def post_from(client, ip: str, path: str, **data):
    """POST a form as if from the IP address ip."""
    return client.post(path, data=data, environ_base={"REMOTE_ADDR": ip})
