"""On a phone the menu folds under a button and the header stays small; every staff page starts with a skip link."""

import pytest
from playwright.sync_api import expect

from coordapp.extensions import db
from tests import factories
from tests.browser import PHONE, PageProblems, Screenshots, log_in

pytestmark = pytest.mark.browser
expect.set_options(timeout=15_000)
WIDE = {"width": 1280, "height": 900}


def _header_height(page) -> float:
    return page.evaluate("document.querySelector('header.topbar').getBoundingClientRect().height")


def test_phone_menu_folds_and_the_skip_link_comes_first(site, chromium):
    admin = factories.make_user("admin", name="Yudha Prasetya")  # the longest menu
    db.session.commit()
    shots = Screenshots("phone-menu")
    context = chromium.new_context(locale="id-ID", timezone_id="Asia/Jakarta", viewport=PHONE, base_url=site)
    page = context.new_page()
    problems = PageProblems(page)
    log_in(page, admin.email)
    page.goto("/issues/")
    menu = page.get_by_role("navigation", name="Menu utama")
    toggle = page.locator("summary.navtoggle")

    expect(toggle).to_be_visible()
    expect(toggle).to_have_text("Menu")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    assert _header_height(page) <= 90  # one or two short lines, not the 155-230 px of the wrapped menu
    shots.take(page, "phone-folded")

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Kendala saya")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shots.take(page, "phone-open")
    menu.get_by_role("link", name="Rapat", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapat")
    expect(menu).to_be_hidden()  # the next page starts folded again

    # The keyboard's first stop skips the header and lands on the page's content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Langsung ke isi")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    shots.take(page, "skip-link")
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()

    # On a wide screen the menu is always open and there is no button.
    page.set_viewport_size(WIDE)
    expect(toggle).to_be_hidden()
    expect(menu.get_by_role("link", name="Kendala saya")).to_be_visible()
    shots.take(page, "wide")
    assert problems.problems == []
    context.close()


def test_without_script_the_menu_is_open_and_folds_by_hand(site, chromium):
    staff = factories.make_user("staff")
    db.session.commit()
    context = chromium.new_context(
        locale="id-ID", timezone_id="Asia/Jakarta", viewport=PHONE, base_url=site, java_script_enabled=False
    )
    page = context.new_page()
    log_in(page, staff.email)
    menu = page.get_by_role("navigation", name="Menu utama")
    expect(menu.get_by_role("link", name="Kendala saya")).to_be_visible()
    page.locator("summary.navtoggle").click()
    expect(menu).to_be_hidden()
    context.close()
