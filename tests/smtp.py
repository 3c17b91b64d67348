"""A real SMTP server for tests (aiosmtpd), able to refuse mail with 4xx codes for a while."""

import asyncio
import email
import socket
import threading
from dataclasses import dataclass
from email import policy

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: email.message.EmailMessage

    @property
    def to(self) -> str:
        return self.message["To"]


class RecordingHandler:
    """Accepts and records messages; refuses the next N with a temporary error when told to."""

    def __init__(self):
        self.messages: list[Received] = []
        self.refusals = 0
        self.delay = 0.0  # seconds to wait before answering DATA (a slow server)
        self._failures: list[str] = []
        self._lock = threading.Lock()

    def fail_next(self, count: int, *codes: str) -> None:
        """Answer the next count DATA commands with the given replies in turn (e.g. '421 ...', '451 ...')."""
        codes = codes or ("451 4.3.0 Try again later",)
        with self._lock:
            self._failures = [codes[i % len(codes)] for i in range(count)]

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            if self._failures:
                self.refusals += 1
                return self._failures.pop(0)
            parsed = email.message_from_bytes(envelope.content, policy=policy.default)
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 2.0.0 OK"

    def to(self, address: str) -> list[Received]:
        """Return the messages delivered to one address."""
        return [m for m in self.messages if address in m.rcpt_tos]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    """An aiosmtpd server on a free local port."""

    def __init__(self):
        self.handler = RecordingHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def messages(self) -> list[Received]:
        return self.handler.messages

    def mail_config(self) -> dict:
        """Return the app settings that send through this server."""
        return {
            "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": self.port,
            "MAIL_USE_TLS": False,
            "MAIL_USE_SSL": False,
            "MAIL_USERNAME": None,
            "MAIL_PASSWORD": None,
        }


@pytest.fixture
def smtp_server():
    """A real SMTP server recording what it receives."""
    with SmtpServer() as server:
        yield server


@pytest.fixture
def smtp_app(database_url, _schema, smtp_server):
    """An app (context pushed, tables emptied afterwards) whose mail goes to smtp_server."""
    from coordapp.extensions import db, limiter
    from coordapp.reminders.outbox import drop_connection
    from tests.conftest import _empty_tables, _make_app

    app = _make_app(
        database_url, BASE_URL="https://coord.example.org", MAIL_REPLY_TO="kpu@example.org", **smtp_server.mail_config()
    )
    with app.app_context():
        limiter.reset()
        yield app
        drop_connection()
        db.session.remove()
        _empty_tables()
        db.engine.dispose()
