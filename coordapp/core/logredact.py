"""A safety net on the log handlers of web and worker: email addresses in a line become ``<address>``,
and the row values PostgreSQL quotes in an error ("Failing row contains (…)", "Key (email)=(…)")
become ``(<values>)``.

CoordApp's own lines carry ids and counts only; this catches what libraries write, above all
Celery's "Task … raised unexpected: SMTPRecipientsRefused({'…@…': …})" with its traceback, and a
database error's traceback (SQLAlchemy hides its parameters; the server's DETAIL is its own).
"""

import logging
import re

ADDRESS = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
MASK = "<address>"
# PostgreSQL's DETAIL quotes the values of a row ("Failing row contains (7, Siti, …).") or a key
# ("Key (email)=(siti@…) already exists."): a name or a phone number can be among them.
ROW_VALUES = re.compile(r"(Failing row contains |Key \([^()]*\)=)\(.*?\)(?=\.?\s*$| already| is not)", re.MULTILINE)
ROW_MASK = r"\1(<values>)"


def _redact(text: str) -> str:
    if "@" in text:
        text = ADDRESS.sub(MASK, text)
    if "Failing row" in text or "Key (" in text:
        text = ROW_VALUES.sub(ROW_MASK, text)
    return text


class RedactAddresses(logging.Filter):
    """Replace every email address and quoted row in a record's message and traceback (keeps every record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; always let it through."""
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is logging's problem, not ours
            return True
        redacted = _redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = _redact(record.exc_text)
        return True


def redact_handlers(logger: logging.Logger | None = None) -> None:
    """Put the filter on every handler of logger (default: the root logger), once."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, RedactAddresses) for f in handler.filters):
            handler.addFilter(RedactAddresses())
