"""Helpers for the locking tests: read a form's hidden fields, run threads that start together."""

import re
import threading

from tests.conftest import AuthActions


def hidden(html: str, name: str) -> str:
    """Return the value of the hidden input called name in html."""
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', html)
    assert match, f"no hidden field {name}"
    return match.group(1)


def second_client(app, user):
    """Return another browser (test client) logged in as user."""
    other = app.test_client()
    assert AuthActions(other).login(user).status_code == 302
    return other


def run_together(count: int, work) -> list:
    """Run work(n) in count threads released at the same moment; return what each returned or raised."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(n: int) -> None:
        try:
            results[n] = work(n, barrier)
        except Exception as exc:  # noqa: BLE001 - reported to the test, which asserts on it
            results[n] = exc

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
