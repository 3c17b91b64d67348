"""A checked upload kept for its confirmation: a file a "check only" run found correct is applied as it is.

The bytes wait in ``<instance>/held-uploads`` (``HELD_UPLOADS_FOLDER``) under a random name; the page
carries only a signed ticket naming that file, the user who checked it, the file's name and its
SHA-256. A ticket opens the file for the same user and purpose only, for ``HELD_UPLOAD_SECONDS``
(an hour by default), and once: taking it deletes the file. Files older than that are swept each
time a new one is kept, so an abandoned check leaves nothing behind for long.
"""

import hashlib
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

DEFAULT_SECONDS = 3600


@dataclass(frozen=True)
class Held:
    """A kept file handed back: its bytes and the name it was uploaded under."""

    data: bytes
    filename: str


def _folder() -> Path:
    folder = current_app.config.get("HELD_UPLOADS_FOLDER") or os.path.join(current_app.instance_path, "held-uploads")
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _seconds() -> int:
    return int(current_app.config.get("HELD_UPLOAD_SECONDS", DEFAULT_SECONDS))


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"held-upload:{purpose}")


def _sweep(folder: Path) -> None:
    """Delete the files whose tickets have run out."""
    oldest = time.time() - _seconds()
    for path in folder.glob("*.upload"):
        try:
            if path.stat().st_mtime < oldest:
                path.unlink(missing_ok=True)
        except FileNotFoundError:  # another request swept it first
            continue


def keep(data: bytes, filename: str, *, purpose: str, user_id: int) -> str:
    """Keep data for user_id's confirmation and return the ticket that takes it back."""
    folder = _folder()
    _sweep(folder)
    name = secrets.token_hex(16)
    (folder / f"{name}.upload").write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    return _serializer(purpose).dumps({"f": name, "u": user_id, "h": digest, "n": filename[:200]})


def take(ticket: str, *, purpose: str, user_id: int) -> Held | None:
    """Return the file a ticket names and forget it; None when the ticket is bad, old, another's or used."""
    try:
        claim = _serializer(purpose).loads(ticket or "", max_age=_seconds())
    except BadSignature:  # also SignatureExpired
        return None
    if not isinstance(claim, dict) or claim.get("u") != user_id or not str(claim.get("f", "")).isalnum():
        return None
    path = _folder() / f"{claim['f']}.upload"
    taken = path.with_suffix(f".taken-{secrets.token_hex(4)}")
    try:
        path.rename(taken)  # atomic: of two requests with one ticket, one gets the file
    except FileNotFoundError:  # used already, or swept
        return None
    data = taken.read_bytes()
    taken.unlink(missing_ok=True)
    if hashlib.sha256(data).hexdigest() != claim.get("h"):
        return None
    return Held(data=data, filename=str(claim.get("n", "")))
