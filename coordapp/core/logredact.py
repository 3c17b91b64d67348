"""A safety net on the log handlers of web and worker: email addresses in a line become ``<address>``.

CoordApp's own lines carry ids and counts only; this catches what libraries write, above all
Celery's "Task … raised unexpected: SMTPRecipientsRefused({'…@…': …})" with its traceback.
"""

import logging
import re

ADDRESS = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
MASK = "<address>"


class RedactAddresses(logging.Filter):
    """Replace every email address in a record's message and traceback (keeps every record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; always let it through."""
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is logging's problem, not ours
            return True
        if "@" in message and ADDRESS.search(message):
            record.msg, record.args = ADDRESS.sub(MASK, message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and "@" in record.exc_text:
            record.exc_text = ADDRESS.sub(MASK, record.exc_text)
        return True


def redact_handlers(logger: logging.Logger | None = None) -> None:
    """Put the filter on every handler of logger (default: the root logger), once."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, RedactAddresses) for f in handler.filters):
            handler.addFilter(RedactAddresses())
