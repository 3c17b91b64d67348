"""Staff read a held reply (raw message escaped), attach it to an issue, and see a bouncing address. Wide and phone."""

import pytest
from playwright.sync_api import expect

from coordapp.extensions import db
from tests import factories
from tests.browser import PHONE, PageProblems, Screenshots, log_in, submit
from tests.test_mailin_intake import DOMAIN, deliver, fixture, linked

pytestmark = pytest.mark.browser
expect.set_options(timeout=15_000)
WIDE = {"width": 1280, "height": 900}


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["wide", "phone"])
def test_staff_attach_a_held_reply_to_an_issue(app, site, chromium, viewport):
    app.config["MAIL_REPLY_DOMAIN"] = DOMAIN
    linked()
    deliver(fixture("gmail_id.eml", "D" * 43).replace(b"Sudah kami", b"<b>Sudah</b> kami"))
    bounced = factories.make_contact(name="Siti Panwascam", email="siti@panwascam.example")
    deliver(fixture("bounce_dsn.eml", "", bounced=bounced.email))
    staff = factories.make_user("staff", name="Rina Staf")
    issue = factories.make_issue(title="Distribusi logistik Serpong")
    db.session.commit()
    shots = Screenshots(f"mailin-{viewport['width']}")
    context = chromium.new_context(locale="id-ID", timezone_id="Asia/Jakarta", viewport=viewport, base_url=site)
    page = context.new_page()
    problems = PageProblems(page)
    log_in(page, staff.email)

    page.goto("/mail-in/")
    expect(page.get_by_role("heading", name="Karantina")).to_be_visible()
    expect(page.locator("body")).to_contain_text("Siti Panwascam")
    shots.take(page, "list")
    page.locator("section[aria-labelledby=held-title] tbody a").first.click()
    expect(page.locator(".mail-visible")).to_contain_text("<b>Sudah</b> kami koordinasikan")
    page.get_by_text("Pesan mentah").click()
    expect(page.locator(".mail-raw")).to_contain_text("Message-ID")
    shots.take(page, "message")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.get_by_label("Nomor kendala").fill(str(issue.id))
    submit(page, page.get_by_role("button", name="Lampirkan ke kendala"))
    expect(page.locator("#timeline")).to_contain_text("kami koordinasikan dengan Panwascam")
    shots.take(page, "on-issue")
    page.goto(f"/stakeholders/contacts/{bounced.id}")
    expect(page.locator("body")).to_contain_text("Email tidak terkirim")
    shots.take(page, "bouncing-contact")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert problems.problems == []
    context.close()
