"""The embedded default's mail: one ``.eml`` file per message in ``instance/mail/``, newest sorting last.

Any mail program opens an ``.eml`` file (Thunderbird, Outlook, Apple Mail: double-click it), and
``ls instance/mail/`` lists the messages in the order they were sent. Flask-Mailman's own file
backend appends every message of a process to one log, which no mail program can open.
"""

import itertools
import os
from datetime import UTC, datetime
from pathlib import Path

from flask_mailman.backends.base import BaseEmailBackend

_sequence = itertools.count()


def message_filename(now: datetime | None = None) -> str:
    """Return a new file name that sorts after every earlier one (UTC time to the microsecond, process, counter)."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S.%fZ")
    return f"{stamp}-{os.getpid()}-{next(_sequence):06d}.eml"


class EmailBackend(BaseEmailBackend):
    """Write each message to its own .eml file in MAIL_FILE_PATH."""

    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.folder = Path(file_path or self.mailman.file_path)

    def send_messages(self, email_messages) -> int:
        """Write the messages, one file each (written under a temporary name, then renamed); return how many."""
        self.folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages or []:
            if not message.recipients():
                continue
            target = self.folder / message_filename()
            partial = target.with_suffix(".part")
            partial.write_bytes(message.message().as_bytes())
            os.replace(partial, target)
            sent += 1
        return sent
