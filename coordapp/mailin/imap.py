"""`mail-in fetch`: read new messages from an IMAP mailbox (stdlib imaplib) into the same intake as SMTP.

``MAILIN_IMAP_URL`` names the mailbox: ``imap://user:password@host:143/INBOX`` (plain) or
``imaps://...:993/...`` (TLS, certificate checked). Each unseen message is fetched without
marking it (``BODY.PEEK[]``), stored and committed through ``services.receive`` (the SMTP
server's way in, keyed by Message-ID), and only then flagged ``\\Seen``: a crash in between
fetches it again next time, and the Message-ID makes it one row. A message that cannot be
stored stays unseen for the next run and the others go on; one over ``MAILIN_MAX_BYTES`` is
never downloaded, only flagged (``\\Seen \\Flagged``) for the mailbox's owner.
"""

import contextlib
import imaplib
import logging
import re
import ssl
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from flask import current_app

from coordapp.extensions import db
from coordapp.mailin import services

log = logging.getLogger(__name__)
DEFAULT_PORTS = {"imap": 143, "imaps": 993}
_SIZE = re.compile(rb"UID (\d+) RFC822\.SIZE (\d+)|RFC822\.SIZE (\d+) UID (\d+)")


class MailboxUnreachable(RuntimeError):
    """The mailbox cannot be opened (address, login or folder): nothing was fetched."""


@dataclass(frozen=True)
class Mailbox:
    """Where to fetch from, read from an imap:// or imaps:// URL."""

    tls: bool
    host: str
    port: int
    user: str
    password: str
    folder: str

    @property
    def safe_url(self) -> str:
        """The address without the password, for logs and messages."""
        return f"{'imaps' if self.tls else 'imap'}://{self.user}@{self.host}:{self.port}/{self.folder}"


@dataclass
class FetchResult:
    """What one run did: messages stored (new or seen before), too large, and failed (left for the next run)."""

    stored: int = 0
    too_large: int = 0
    failed: int = 0


def parse_url(url: str) -> Mailbox:
    """Read an imap:// or imaps:// URL (user and password percent-encoded; the folder defaults to INBOX)."""
    parts = urlsplit(url or "")
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or not parts.username:
        raise ValueError("MAILIN_IMAP_URL must look like imap://user:password@host:143/INBOX (or imaps://)")
    return Mailbox(
        tls=parts.scheme == "imaps",
        host=parts.hostname,
        port=parts.port or DEFAULT_PORTS[parts.scheme],
        user=unquote(parts.username),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
    )


def _open(box: Mailbox, ssl_context: ssl.SSLContext | None, timeout: float) -> imaplib.IMAP4:
    try:
        if box.tls:
            conn = imaplib.IMAP4_SSL(
                box.host, box.port, ssl_context=ssl_context or ssl.create_default_context(), timeout=timeout
            )
        else:
            conn = imaplib.IMAP4(box.host, box.port, timeout=timeout)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxUnreachable(f"{box.safe_url}: {exc}") from exc
    try:
        conn.login(box.user, box.password)
        status, detail = conn.select(_quoted(box.folder))
        if status != "OK":
            raise MailboxUnreachable(f"{box.safe_url}: {detail[0]!r}")
    except (OSError, imaplib.IMAP4.error) as exc:
        _close(conn)
        raise MailboxUnreachable(f"{box.safe_url}: {exc}") from exc
    return conn


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _close(conn: imaplib.IMAP4) -> None:
    with contextlib.suppress(OSError, imaplib.IMAP4.error):
        conn.logout()


def _unseen_sizes(conn: imaplib.IMAP4) -> dict[bytes, int]:
    """Return the UIDs of the unseen messages with their sizes, in mailbox order."""
    status, data = conn.uid("SEARCH", None, "UNSEEN")
    uids = (data[0] or b"").split() if status == "OK" else []
    if not uids:
        return {}
    status, data = conn.uid("FETCH", b",".join(uids).decode(), "(RFC822.SIZE)")
    sizes = {}
    for line in data if status == "OK" else []:
        match = _SIZE.search(line if isinstance(line, bytes) else line[0])
        if match:
            uid, size = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
            sizes[uid] = int(size)
    return {uid: sizes.get(uid, 0) for uid in uids}


def _raw(conn: imaplib.IMAP4, uid: bytes) -> bytes:
    status, data = conn.uid("FETCH", uid.decode(), "(BODY.PEEK[])")
    parts = [item[1] for item in data if isinstance(item, tuple)] if status == "OK" else []
    if not parts:
        raise imaplib.IMAP4.error(f"no message under UID {uid.decode()}")
    return parts[0]


def fetch(url: str, ssl_context: ssl.SSLContext | None = None, timeout: float = 30) -> FetchResult:
    """Store every unseen message of the mailbox once (processing follows in the worker); return the counts."""
    box = parse_url(url)
    conn = _open(box, ssl_context, timeout)
    result = FetchResult()
    limit = current_app.config["MAILIN_MAX_BYTES"]
    try:
        for uid, size in _unseen_sizes(conn).items():
            if size > limit:
                log.warning("mail-in: message UID %s of %s is %d bytes, over the limit", uid, box.safe_url, size)
                conn.uid("STORE", uid.decode(), "+FLAGS", "(\\Seen \\Flagged)")
                result.too_large += 1
                continue
            try:
                services.receive(_raw(conn, uid), [])
            except services.MessageTooLarge:
                conn.uid("STORE", uid.decode(), "+FLAGS", "(\\Seen \\Flagged)")
                result.too_large += 1
                continue
            except imaplib.IMAP4.abort:  # the connection is gone: the rest waits for the next run
                raise
            except Exception:  # noqa: BLE001 - this one stays unseen for the next run; the others go on
                db.session.rollback()
                log.exception("mail-in: message UID %s of %s could not be stored", uid, box.safe_url)
                result.failed += 1
                continue
            conn.uid("STORE", uid.decode(), "+FLAGS", "(\\Seen)")
            result.stored += 1
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxUnreachable(f"{box.safe_url}: {exc}") from exc
    finally:
        _close(conn)
    return result
