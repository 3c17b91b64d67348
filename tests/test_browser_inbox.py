"""A stakeholder replies through the reply link; the owner finds the reply through the inbox, in Chromium.

The owner sees the unread count in the header, opens the inbox (screenshots at 1280 and 390 px),
clicks the item and lands on the reply on the issue's timeline; the count is gone afterwards.
"""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from coordapp.extensions import db
from tests import factories
from tests.browser import PHONE, PageProblems, Screenshots, live_server, log_in, submit

pytestmark = pytest.mark.browser
expect.set_options(timeout=15_000)
REPLY = "Truk logistik tiba di Kecamatan Setu besok pukul 07.00; kotak suara lengkap."


def _issue_with_a_reply_link() -> dict:
    election = factories.make_election(name="Pilkada Kota Tangerang Selatan 2020")
    owner = factories.make_user("staff", name="Rina Staf", email="rina@kpu.example.org")
    org = factories.make_organization(name="Polres Tangerang Selatan", short_name="Polres", category="security")
    contact = factories.make_contact(org, name="Budi Penghubung", email="budi@polres.example.org")
    issue = factories.make_issue(
        election,
        title="Logistik terlambat di Kecamatan Setu",
        owner=owner,
        status="waiting",
        due_date=date(2020, 12, 1),
    )
    issue.contacts.append(contact)
    token = factories.make_reply_token(contact, [issue])
    manager = factories.make_user("manager", name="Ratna Manajer", email="ratna@kpu.example.org")
    db.session.commit()
    return {"manager": manager.email, "token": token, "owner": owner.email, "issue": issue.id, "title": issue.title}


def test_the_owner_finds_a_stakeholders_reply_through_the_inbox(make_app, chromium):
    app = make_app(WTF_CSRF_ENABLED=True)
    with live_server(app) as site:
        with app.app_context():
            world = _issue_with_a_reply_link()
            db.session.remove()
        shots = Screenshots("inbox")

        stakeholder = chromium.new_context(locale="id-ID", timezone_id="Asia/Jakarta", viewport=PHONE, base_url=site)
        page = stakeholder.new_page()
        page.goto(f"/reminders/r/{world['token']}")
        page.get_by_role("group", name=world["title"]).get_by_label("Jawaban Anda", exact=True).fill(REPLY)
        submit(page, page.get_by_role("button", name="Kirim tanggapan", exact=True))
        expect(page.locator(".flash-success")).to_be_visible()
        stakeholder.close()

        context = chromium.new_context(
            locale="id-ID", timezone_id="Asia/Jakarta", viewport={"width": 1280, "height": 900}, base_url=site
        )
        page = context.new_page()
        problems = PageProblems(page)
        log_in(page, world["owner"])
        expect(page.locator(".home-panels")).to_contain_text("Belum dibaca di kotak masuk")
        shots.take(page, "home-staff")
        inbox_link = page.locator(".topbar-right").get_by_role("link", name="Kotak masuk, 1 belum dibaca")
        expect(inbox_link.locator("[data-unread]")).to_have_text("1")
        inbox_link.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Kotak masuk")
        item = page.locator(".inbox-item.is-unread")
        expect(item).to_have_count(1)
        expect(item).to_contain_text(f"Budi Penghubung (Polres) membalas #{world['issue']} {world['title']}")
        expect(item).to_contain_text(REPLY)
        shots.take(page, "inbox-1280")
        page.set_viewport_size(PHONE)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shots.take(page, "inbox-390")
        page.set_viewport_size({"width": 1280, "height": 900})

        item.get_by_role("link", name=re.compile("membalas")).click()
        expect(page).to_have_url(re.compile(rf"/issues/{world['issue']}#entry-\d+$"))
        anchor = page.url.rpartition("#")[2]
        entry = page.locator(f"#{anchor}")
        expect(entry).to_contain_text(REPLY)
        expect(entry).to_be_in_viewport()
        expect(page.locator(".topbar-right [data-unread]")).to_have_count(0)  # read now
        shots.take(page, "issue-reply")
        context.close()
        assert problems.problems == []

        # The manager's home: the current stage first, then the stages at risk and the last day's reply.
        context = chromium.new_context(
            locale="id-ID", timezone_id="Asia/Jakarta", viewport={"width": 1280, "height": 900}, base_url=site
        )
        page = context.new_page()
        log_in(page, world["manager"])
        expect(page.locator(".home-current")).to_contain_text("Tahapan saat ini")
        expect(page.locator(".home-panels")).to_contain_text("1 balasan pemangku kepentingan diterima")
        expect(page.locator(".home-panels")).to_contain_text("1 kendala terbuka lewat tenggat")
        shots.take(page, "home-manager-1280")
        page.set_viewport_size(PHONE)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shots.take(page, "home-manager-390")
        context.close()
