"""Browser-test support: the real app on a live server, Debian's Chromium, screenshots of each page."""

import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server

from coordapp.extensions import db

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"]
OUTPUT = Path(__file__).resolve().parent.parent / "test-output" / "browser"
PHONE = {"width": 390, "height": 844}  # a common phone screen, in CSS pixels


def chromium_available() -> bool:
    """Tell whether Debian's Chromium is installed where the tests expect it."""
    return os.access(CHROMIUM, os.X_OK)


def launch_chromium(playwright):
    """Start Debian's Chromium headless (Playwright's own browser builds are not downloaded)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


class _QuietRequestHandler(WSGIRequestHandler):
    """Log errors only, not every request (the browser asks for many)."""

    def log_request(self, code="-", size="-") -> None:
        pass


@contextmanager
def live_server(app):
    """Serve app on a free local port from a daemon thread; yield its base URL, then stop it."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():  # close the server's connections before the tables are emptied
            db.engine.dispose()


class Screenshots:
    """Save numbered full-page screenshots under test-output/browser/<journey>/ (emptied first)."""

    def __init__(self, journey: str):
        self.folder = OUTPUT / journey
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.count = 0

    def take(self, page, name: str, full_page: bool = True) -> Path:
        """Save the whole page (or what the screen shows) as NN-name.png and return its path."""
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path


class PageProblems:
    """Collect what a user would not see but a broken page shows: script errors, CSP refusals, 5xx."""

    def __init__(self, page):
        self.problems: list[str] = []
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message) -> None:
        url = (message.location or {}).get("url", "")
        if message.type == "error" and not url.endswith("/favicon.ico"):  # the app has no icon; browsers ask anyway
            self.problems.append(f"console: {message.text} ({url})")

    def _response(self, response) -> None:
        if response.status >= 500:
            self.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")


def submit(page, button, expected_status: int = 200):
    """Click a submit button and wait for the page it leads to; check its HTTP status."""
    with page.expect_navigation() as navigation:
        button.click()
    assert navigation.value.status == expected_status, navigation.value.url
    return navigation.value


def log_in(page, email: str, shots: "Screenshots | None" = None) -> None:
    """Log in through the login form (an Indonesian browser gets it in Indonesian); the password is the factories'."""
    from playwright.sync_api import expect

    from tests import factories

    page.goto("/auth/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Masuk ke CoordApp")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Kata sandi", exact=True).fill(factories.PASSWORD)
    if shots is not None:
        shots.take(page, "login")
    submit(page, page.get_by_role("button", name="Masuk", exact=True))
    expect(page.get_by_role("navigation", name="Menu utama", include_hidden=True)).to_contain_text(
        "Rapat"
    )  # every role has the meetings


def pick(page, field_id: str, labels) -> None:
    """Choose options of a picker (static/js/picker.js) as a user does: type each label, click its option."""
    from playwright.sync_api import expect

    box = page.locator(f"#{field_id}-ts-control")
    for text in [labels] if isinstance(labels, str) else labels:
        box.fill(text)
        option = page.locator(f"#{field_id}-ts-dropdown").get_by_role("option", name=text, exact=True)
        option.click()
        expect(page.locator(f"#{field_id} option:checked", has_text=text).first).to_be_attached()
    box.press("Escape")
    box.blur()  # leave the picker as a click elsewhere does
