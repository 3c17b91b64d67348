"""A refused form brings its error summary into view with the focus on it; each link of it focuses its field."""

import pytest
from playwright.sync_api import expect

from tests.browser import PHONE, PageProblems, Screenshots, log_in, submit
from tests.issues_support import make_world

pytestmark = pytest.mark.browser
expect.set_options(timeout=15_000)
WIDE = {"width": 1280, "height": 900}


IN_VIEW = """(selector) => {
  const box = document.querySelector(selector).getBoundingClientRect();
  return box.top >= -1 && box.bottom <= innerHeight + 1;
}"""


def _in_view(page, selector: str) -> bool:
    return page.evaluate(IN_VIEW, selector)


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["wide", "phone"])
def test_a_refused_follow_up_lands_on_its_error_summary(site, chromium, viewport):
    world = make_world()
    shots = Screenshots(f"form-errors-{viewport['width']}")
    context = chromium.new_context(locale="id-ID", timezone_id="Asia/Jakarta", viewport=viewport, base_url=site)
    page = context.new_page()
    problems = PageProblems(page)
    log_in(page, world.owner.email)
    page.goto(f"/issues/{world.issue.id}")
    due = page.locator("#follow-up .action-only")
    expect(due.locator(".req-when")).to_have_text("*")
    expect(due.locator(".req-hint")).to_have_text("Wajib diisi untuk tindakan.")
    page.locator("#follow-up").get_by_label("Tindakan", exact=True).check()
    page.locator("#follow-up").get_by_label("Isi", exact=True).fill("Surati Disdukcapil")
    submit(page, page.locator("#follow-up").get_by_role("button", name="Tambah", exact=True), expected_status=422)

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    assert _in_view(page, ".error-summary")  # not 1,100 px below the top of the page
    assert page.evaluate("window.scrollY") > 0
    expect(summary.get_by_role("link", name="Tenggat tindakan")).to_be_visible()
    shots.take(page, "summary")
    page.screenshot(path=str(shots.folder / "summary-in-view.png"))  # what the user sees after the reload
    summary.get_by_role("link", name="Tenggat tindakan").click()
    expect(page.locator("#action_due_date")).to_be_focused()
    expect(page.locator("#action_due_date")).to_have_attribute("aria-invalid", "true")
    assert _in_view(page, "#action_due_date")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert [p for p in problems.problems if "status of 422" not in p] == []

    # The same page's history: the issue's creation says so, its first values fold away (no "— →" per field).
    history = page.locator("section.history")
    created = history.locator("tbody tr").last
    expect(created).to_contain_text("Dibuat")
    expect(created).not_to_contain_text("→")
    created.get_by_text("Isian awal").click()
    expect(created.get_by_text("1.200 warga belum punya e-KTP sebelum DPT ditetapkan")).to_be_visible()
    history.screenshot(path=str(shots.folder / "history.png"))
    context.close()
