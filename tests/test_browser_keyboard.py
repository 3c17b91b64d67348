"""Keyboard shortcuts in a real browser: "/" search, "c" raise an issue, "g i" / "g m" / "g b", "?" the help.

A key typed in a field is text, not a shortcut; a key with Ctrl does what the browser does.
"""

import pytest
from playwright.sync_api import expect

from coordapp.extensions import db
from tests import factories
from tests.browser import PageProblems, Screenshots, log_in, submit

pytestmark = pytest.mark.browser


def _arrive(page, site: str, path: str) -> None:
    """Wait until the page a shortcut opened is there, its scripts running (a key pressed before is lost)."""
    expect(page).to_have_url(f"{site}{path}")
    page.wait_for_load_state("load")


def test_a_manager_moves_around_with_the_keyboard_and_reads_the_help(chromium, site):
    factories.make_election()
    manager = factories.make_user("manager")
    db.session.commit()
    shots = Screenshots("keyboard")
    context = chromium.new_context(base_url=site, locale="id-ID", timezone_id="Asia/Jakarta")
    page = context.new_page()
    problems = PageProblems(page)
    log_in(page, manager.email)
    page.goto("/meetings/")
    help_dialog = page.get_by_role("dialog", name="Pintasan papan ketik")
    expect(help_dialog).to_be_hidden()
    menu_link = page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Rapat")
    menu_link.focus()
    page.keyboard.press("?")
    expect(help_dialog).to_be_visible()
    for text in (
        "Cari",
        "Catat kendala",
        "Buka: Kendala",
        "Buka: Rapat",
        "Buka: Papan Tahapan",
        "Tampilkan bantuan ini",
    ):
        expect(help_dialog.get_by_text(text, exact=True)).to_be_visible()
    shots.take(page, "help")
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()
    expect(menu_link).to_be_focused()  # the focus is back where it was

    page.keyboard.press("g")
    page.keyboard.press("i")
    _arrive(page, site, "/issues/")
    page.keyboard.press("/")
    search = page.locator("input[type=search]").first
    expect(search).to_be_focused()
    page.keyboard.type("c g m")  # typed into the search box: text, not shortcuts
    expect(search).to_have_value("c g m")
    _arrive(page, site, "/issues/")
    search.blur()
    page.keyboard.press("Control+c")  # the browser's copy, not "raise an issue"
    page.wait_for_timeout(200)
    _arrive(page, site, "/issues/")

    page.keyboard.press("g")
    page.keyboard.press("b")
    _arrive(page, site, "/dashboard/")
    page.keyboard.press("g")
    page.keyboard.press("m")
    _arrive(page, site, "/meetings/")
    page.keyboard.press("c")
    _arrive(page, site, "/issues/new")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    submit(page, page.get_by_role("button", name="English", exact=True))
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_contain_text("Go to: Stage board")
    page.keyboard.press("Escape")
    context.close()
    assert not problems.problems, problems.problems


def test_staff_get_no_board_shortcut(chromium, site):
    staff = factories.make_user("staff")
    db.session.commit()
    context = chromium.new_context(base_url=site, locale="id-ID", timezone_id="Asia/Jakarta")
    page = context.new_page()
    log_in(page, staff.email)
    page.keyboard.press("?")
    help_dialog = page.get_by_role("dialog", name="Pintasan papan ketik")
    expect(help_dialog).to_be_visible()
    expect(help_dialog).not_to_contain_text("Papan Tahapan")
    page.keyboard.press("Escape")
    page.keyboard.press("g")
    page.keyboard.press("b")
    page.wait_for_timeout(300)
    _arrive(page, site, "/")
    context.close()


def test_without_javascript_the_help_stays_out_of_the_page(chromium, site):
    staff = factories.make_user("staff")
    db.session.commit()
    context = chromium.new_context(base_url=site, locale="id-ID", java_script_enabled=False)
    page = context.new_page()
    log_in(page, staff.email)
    expect(page.get_by_text("Pintasan papan ketik")).to_be_hidden()
    context.close()
