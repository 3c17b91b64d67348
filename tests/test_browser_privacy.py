"""A staff member shares one update and keeps a note internal; the contact reads only the shared one;
a manager withdraws the contact's links and the link then says so. Wide screen and phone.
"""

import pytest
from playwright.sync_api import expect

from coordapp.extensions import db
from coordapp.issues.services import add_follow_up
from tests import factories
from tests.browser import PHONE, PageProblems, Screenshots, log_in, submit

pytestmark = pytest.mark.browser
expect.set_options(timeout=15_000)
WIDE = {"width": 1280, "height": 900}
SHARED_TEXT = "Gudang logistik siap menerima kotak suara mulai Senin."
INTERNAL_TEXT = "Catatan internal: vendor terlambat, jangan diteruskan."


def _world() -> dict:
    """An issue waiting on a Bawaslu contact, who replied once and holds a reply link; commit."""
    election = factories.make_election(name="Pilkada Kota Tangerang Selatan 2020")
    owner = factories.make_user("staff", name="Rina Staf")
    manager = factories.make_user("manager", name="Dewi Manajer")
    bawaslu = factories.make_organization(name="Bawaslu Kota Tangerang Selatan", short_name="Bawaslu")
    contact = factories.make_contact(bawaslu, name="Ani Pengawas", email="ani@bawaslu.example.org")
    issue = factories.make_issue(election, title="Pengamanan gudang logistik", owner=owner, created_by=owner)
    issue.status = "waiting"
    issue.contacts.append(contact)
    add_follow_up(issue, kind="stakeholder_reply", body="Pengawas sudah ditugaskan.", author_contact=contact)
    token = factories.make_reply_token(contact, [issue])
    db.session.commit()
    return {"owner": owner.email, "manager": manager.email, "issue": issue.id, "contact": contact.id, "token": token}


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["wide", "phone"])
def test_staff_share_one_update_and_the_contact_reads_only_that(site, chromium, viewport):
    world = _world()
    shots = Screenshots(f"privacy-{viewport['width']}")
    context = chromium.new_context(locale="id-ID", timezone_id="Asia/Jakarta", viewport=viewport, base_url=site)
    page = context.new_page()
    problems = PageProblems(page)
    log_in(page, world["owner"])

    page.goto(f"/issues/{world['issue']}#follow-up")
    form = page.locator("#follow-up")
    expect(form.get_by_label("Internal: hanya staf KPU")).to_be_checked()
    expect(form).to_contain_text("Ani Pengawas (Bawaslu)")
    form.get_by_label("Dibagikan kepada kontak penanggung jawab kendala ini").check()
    form.get_by_label("Isi", exact=True).fill(SHARED_TEXT)
    shots.take(page, "share-form")
    submit(page, form.get_by_role("button", name="Tambah"))
    form = page.locator("#follow-up")
    form.get_by_label("Isi", exact=True).fill(INTERNAL_TEXT)
    submit(page, form.get_by_role("button", name="Tambah"))
    timeline = page.locator("#timeline")
    expect(timeline.locator("li").filter(has_text=SHARED_TEXT)).to_contain_text("Dibagikan kepada kontak")
    expect(timeline.locator("li").filter(has_text=INTERNAL_TEXT)).to_contain_text("Internal")
    expect(timeline.locator("li").filter(has_text="Pengawas sudah")).to_contain_text("Staf dan Bawaslu")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    shots.take(page, "timeline-badges")

    stakeholder = context.browser.new_context(locale="id-ID", viewport=viewport, base_url=site)
    link = stakeholder.new_page()
    link.goto(f"/reminders/r/{world['token']}")
    expect(link.locator("main")).to_contain_text(SHARED_TEXT)
    expect(link.locator("main")).not_to_contain_text(INTERNAL_TEXT)
    shots.take(link, "reply-page")

    context.clear_cookies()  # the manager logs in next on this browser
    log_in(page, world["manager"])
    page.goto(f"/stakeholders/contacts/{world['contact']}")
    page.once("dialog", lambda dialog: dialog.accept())
    shots.take(page, "contact-revoke")
    submit(page, page.get_by_role("button", name="Tarik tautan tanggapan"))
    expect(page.locator(".flash-success")).to_contain_text("sudah ditarik")

    gone = link.goto(f"/reminders/r/{world['token']}")
    assert gone.status == 410
    expect(link.get_by_role("heading", level=1)).to_have_text("Tautan ini sudah ditarik")
    assert link.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    shots.take(link, "link-withdrawn")
    stakeholder.close()
    context.close()
    assert problems.problems == []
