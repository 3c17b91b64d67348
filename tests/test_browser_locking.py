"""No edit is lost, in a real browser: two people save the same issue; a double click raises one issue.

Debian's Chromium through Playwright, on the real app (CSRF on) from a live server on the test
database. Screenshots under test-output/browser/locking/.
"""

import re

import pytest
from playwright.sync_api import expect

from coordapp.extensions import db
from coordapp.issues.models import Issue
from tests.browser import PHONE, PageProblems, Screenshots, log_in, submit
from tests.issues_support import make_world

pytestmark = pytest.mark.browser
expect.set_options(timeout=15_000)


def _browser(chromium, site, email: str):
    context = chromium.new_context(
        base_url=site, locale="id-ID", timezone_id="Asia/Jakarta", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    log_in(page, email)
    return context, page


def test_two_browsers_editing_the_same_issue(chromium, site):
    world = make_world()
    shots = Screenshots("locking")
    owner_context, owner = _browser(chromium, site, world.owner.email)
    manager_context, manager = _browser(chromium, site, world.manager.email)
    problems = PageProblems(owner)
    try:
        edit = f"/issues/{world.issue.id}/edit"
        owner.goto(edit)
        manager.goto(edit)
        expect(owner.get_by_role("heading", level=1)).to_have_text("Ubah kendala")

        manager.get_by_label("Prioritas", exact=True).select_option(label="Kritis")
        submit(manager, manager.get_by_role("button", name="Simpan", exact=True))
        expect(manager.locator(".flash-success")).to_be_visible()

        owner.get_by_label("Judul", exact=True).fill("e-KTP: 1.200 warga, jemput bola minggu ini")
        submit(owner, owner.get_by_role("button", name="Simpan", exact=True), expected_status=409)
        conflict = owner.locator("#conflict")
        expect(conflict).to_contain_text("Orang lain mengubah data ini saat Anda menyunting")
        row = conflict.locator("tr", has_text="Prioritas")
        expect(row).to_contain_text("Normal")  # what the owner saw
        expect(row).to_contain_text("Kritis")  # what the manager saved
        expect(row).to_contain_text(world.manager.name)
        expect(owner.get_by_label("Judul", exact=True)).to_have_value("e-KTP: 1.200 warga, jemput bola minggu ini")
        shots.take(owner, "conflict")
        owner.set_viewport_size(PHONE)
        shots.take(owner, "conflict-phone")
        unexpected = [p for p in problems.problems if "status of 409" not in p]  # the browser logs the 409 itself
        assert not unexpected, unexpected

        db.session.expire_all()
        issue = db.session.get(Issue, world.issue.id)
        assert (issue.priority, issue.title) == ("critical", world.issue.title)  # nothing of the stale copy saved
    finally:
        owner_context.close()
        manager_context.close()


def test_a_double_click_raises_one_issue(chromium, site):
    world = make_world()
    context, page = _browser(chromium, site, world.owner.email)
    try:
        page.goto("/issues/new")
        page.get_by_label("Judul", exact=True).fill("Gudang logistik di Serpong bocor")
        with page.expect_navigation():
            page.get_by_role("button", name="Catat kendala", exact=True).dblclick()
        numbered = re.compile(r"^#\d+ Gudang logistik di Serpong bocor$")  # the heading carries the number
        expect(page.get_by_role("heading", level=1)).to_have_text(numbered)
        db.session.expire_all()
        titles = db.session.execute(db.select(Issue.title)).scalars().all()
        assert titles.count("Gudang logistik di Serpong bocor") == 1
    finally:
        context.close()
