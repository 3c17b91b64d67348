"""Suite-wide: no email address in what CoordApp logs, in any test (a pytest plugin, loaded by conftest).

A handler on the ``coordapp`` and ``celery`` loggers looks at every record of the session (coordapp
at INFO, so the request and task lines are seen): a coordapp record must not hold an address at
all; a Celery record must not hold one once the worker's own filter has masked it (that is what
reaches the worker's log). A test during which a record broke the rule fails at its teardown,
naming the record. One regular expression per record: the suite does not notice it.
"""

import logging
import re

import pytest

from coordapp.core.logredact import RedactAddresses

# Every address the factories and fixtures make (…@kpu.example.org, …@example.org, …@bawaslu.example).
ADDRESS = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.(?:example|org|com|id|test|local)\b", re.I)
WATCHED = ("coordapp", "celery")


class AddressWatch(logging.Handler):
    """Remember every coordapp or celery record whose text holds an email address."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.found: list[str] = []
        self._mask = RedactAddresses()

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith("celery"):
            self._mask.filter(record)  # as the worker's handlers do
        try:
            text = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is not this check's concern
            return
        if record.exc_info and not record.name.startswith("celery"):
            text += logging.Formatter().formatException(record.exc_info)
        elif record.exc_text:
            text += record.exc_text
        if "@" in text and ADDRESS.search(text):  # the cheap test first: most lines have no @
            self.found.append(f"{record.name} {record.levelname}: {text[:500]}")


WATCH = AddressWatch()


def pytest_configure(config):
    coordapp = logging.getLogger("coordapp")
    if coordapp.level == logging.NOTSET:
        coordapp.setLevel(logging.INFO)
    for name in WATCHED:
        logging.getLogger(name).addHandler(WATCH)


def pytest_unconfigure(config):
    for name in WATCHED:
        logging.getLogger(name).removeHandler(WATCH)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if call.when != "teardown" or not WATCH.found:
        return
    report = outcome.get_result()
    found, WATCH.found = WATCH.found, []
    report.outcome = "failed"
    report.longrepr = "email addresses were logged during this test:\n" + "\n".join(found)
