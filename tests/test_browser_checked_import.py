"""An admin checks a stakeholder file, then imports it from the result without choosing the file again."""

import pytest
from playwright.sync_api import expect

from coordapp.extensions import db
from coordapp.stakeholders.models import Contact
from tests import factories
from tests.browser import PHONE, PageProblems, Screenshots, log_in, submit

pytestmark = pytest.mark.browser
expect.set_options(timeout=15_000)
WIDE = {"width": 1280, "height": 900}
FILE = (
    b"organization_name,category,contact_name,contact_email\n"
    b"Kesbangpol Kota Tangerang Selatan,government,Dewi Lestari,dewi@kesbangpol.example.org\n"
    b"Bawaslu Kota Tangerang Selatan,supervisory,Rina Marlina,rina@bawaslu.example.org\n"
)


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["wide", "phone"])
def test_a_checked_file_is_imported_with_one_button(site, chromium, viewport):
    admin = factories.make_user("admin")
    db.session.commit()
    shots = Screenshots(f"checked-import-{viewport['width']}")
    context = chromium.new_context(locale="id-ID", timezone_id="Asia/Jakarta", viewport=viewport, base_url=site)
    page = context.new_page()
    problems = PageProblems(page)
    try:
        log_in(page, admin.email)
        page.goto("/stakeholders/import")
        page.locator("input[type=file]").set_input_files(
            files=[{"name": "daftar.csv", "mimeType": "text/csv", "buffer": FILE}]
        )
        page.locator("input[name=dry_run]").check()
        submit(page, page.get_by_role("button", name="Impor", exact=True))
        checked = page.locator(".import-checked")
        expect(checked.get_by_role("heading")).to_have_text("Berkas sudah benar; belum ada yang diimpor.")
        shots.take(page, "checked")
        db.session.expire_all()
        assert db.session.scalar(db.select(db.func.count()).select_from(Contact)) == 0
        submit(page, checked.get_by_role("button", name="Impor daftar.csv sekarang"))
        expect(page.locator(".flash-success")).to_contain_text("Impor selesai.")
        shots.take(page, "imported")
        db.session.expire_all()
        assert db.session.scalar(db.select(db.func.count()).select_from(Contact)) == 2
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert not problems.problems, problems.problems
    finally:
        context.close()
