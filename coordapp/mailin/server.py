"""The SMTP/LMTP listener a mail relay forwards replies to (aiosmtpd); each message goes to services.receive."""

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from flask import Flask

from coordapp.extensions import db
from coordapp.mailin import services


class IntakeHandler:
    """Store each delivered message through the app; refuse what is too large (552) or cannot be stored (451)."""

    def __init__(self, app: Flask):
        self.app = app

    async def handle_DATA(self, server, session, envelope):
        with self.app.app_context():
            try:
                services.receive(envelope.content, list(envelope.rcpt_tos), envelope.mail_from or "")
            except services.MessageTooLarge:
                return "552 5.3.4 Message too big"
            except Exception:  # noqa: BLE001 - the relay keeps the message and tries again later
                self.app.logger.exception("mail-in could not store a message")
                return "451 4.3.0 Try again later"
            finally:
                db.session.remove()
        return "250 2.0.0 OK"


class LmtpController(Controller):
    """The same listener speaking LMTP (what Postfix and Dovecot hand local mail over with)."""

    def factory(self):
        """Build an LMTP server instead of an SMTP one."""
        return LMTP(self.handler, **self.SMTP_kwargs)


def listener(app: Flask, host: str, port: int, lmtp: bool = False) -> Controller:
    """Build (not start) the intake listener on host:port."""
    kind = LmtpController if lmtp else Controller
    return kind(IntakeHandler(app), hostname=host, port=port, data_size_limit=app.config["MAILIN_MAX_BYTES"])
