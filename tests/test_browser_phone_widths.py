"""Every page fits a phone, in both languages: nothing makes the page itself scroll sideways at 390 px.

Election-day work happens on phones: staff log issues from the field, stakeholders answer
their reminder emails. Wide tables either turn into cards or scroll inside their own box.
"""

import re

import pytest
from playwright.sync_api import expect

from coordapp.extensions import db
from tests import factories
from tests.browser import PHONE, PageProblems, log_in, submit

pytestmark = pytest.mark.browser


def make_world() -> dict:
    """One of everything a page lists, with an admin who may open every page; commit."""
    election = factories.make_election(name="Pilkada Kota Tangerang Selatan")
    org = factories.make_organization(
        name="Dinas Kependudukan dan Pencatatan Sipil Kota Tangerang Selatan", category="local_government"
    )
    contact = factories.make_contact(org, name="Rina Kusuma", email="rina.kusuma@disdukcapil.example.org")
    admin = factories.make_user("admin", name="Yudha Prasetya", email="admin@kpu-tangsel.example.org")
    meeting = factories.make_meeting(election, title="Rapat koordinasi pemutakhiran data pemilih bersama Disdukcapil")
    factories.add_attendee(meeting, contact=contact)
    factories.add_minutes(meeting, author=admin, body="Disdukcapil menyerahkan data penduduk potensial pemilih.")
    issue = factories.make_issue(
        election,
        title="Data pemilih ganda di Kecamatan Pondok Aren belum dibersihkan",
        status="waiting",
        meeting=meeting,
        owner=admin,
        organizations=[org],
    )
    issue.contacts.append(contact)
    factories.make_delivery(contact, [issue])
    token = factories.make_reply_token(contact, [issue])
    db.session.commit()
    world = {
        "email": admin.email,
        "election": election.id,
        "org": org.id,
        "contact": contact.id,
        "meeting": meeting.id,
        "issue": issue.id,
        "title": issue.title,
        "meeting_title": meeting.title,
        "token": token,
    }
    db.session.close()
    return world


def _pages(w: dict) -> list[str]:
    return [
        "/",
        "/meetings/",
        "/meetings/new",
        f"/meetings/{w['meeting']}",
        f"/meetings/{w['meeting']}/edit",
        f"/meetings/{w['meeting']}/minutes",
        "/issues/",
        "/issues/mine",
        "/issues/new",
        f"/issues/{w['issue']}",
        f"/issues/{w['issue']}/edit",
        "/stakeholders/",
        "/stakeholders/grid",
        "/stakeholders/import",
        "/stakeholders/new",
        f"/stakeholders/{w['org']}",
        f"/stakeholders/contacts/{w['contact']}",
        "/dashboard/",
        "/dashboard/scorecard",
        "/issues/?status=all&overdue=1",
        "/issues/print",
        "/dashboard/filters",
        "/admin/elections",
        "/admin/elections/new",
        f"/admin/elections/{w['election']}/stages",
        "/auth/users",
        "/auth/users/new",
        "/auth/account",
        "/audit/",
        "/audit/security",
        "/auth/two-factor",
        "/privacy",
        "/reminders/outbox",
        "/reminders/policy",
    ]


def _overflow(page) -> int:
    """Return by how many pixels the page is wider than the screen."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_every_page_fits_a_phone_screen(chromium, site):
    world = make_world()
    context = chromium.new_context(base_url=site, locale="id-ID", timezone_id="Asia/Jakarta", viewport=PHONE)
    page = context.new_page()
    problems = PageProblems(page)

    page.goto(f"/reminders/r/{world['token']}")  # the stakeholder's reply page, from the email, without an account
    assert _overflow(page) <= 0, "reply page"
    page.goto("/auth/login")
    assert _overflow(page) <= 0, "login page"
    page.goto("/auth/forgot")
    assert _overflow(page) <= 0, "forgot password page"
    log_in(page, world["email"])

    too_wide = {}
    for language in ("id", "en"):  # Indonesian words run longer; English labels wrap differently
        if language == "en":
            submit(page, page.get_by_role("button", name="English", exact=True))
            assert page.locator("html").get_attribute("lang") == "en"
        for path in _pages(world):
            response = page.goto(path)
            assert response.status == 200, path
            if _overflow(page) > 0:
                too_wide[f"{language} {path}"] = _overflow(page)
    assert too_wide == {}
    context.close()
    assert not problems.problems, problems.problems


def test_on_a_phone_the_issue_list_comes_first_and_the_filters_open_on_request(chromium, site):
    world = make_world()
    context = chromium.new_context(base_url=site, locale="id-ID", timezone_id="Asia/Jakarta", viewport=PHONE)
    page = context.new_page()
    problems = PageProblems(page)
    log_in(page, world["email"])
    page.goto("/meetings/")  # the meeting list folds its filters the same way
    expect(page.get_by_role("search")).to_be_hidden()
    expect(page.get_by_role("link", name=world["meeting_title"])).to_be_in_viewport()
    page.goto("/issues/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kendala")
    filters = page.get_by_role("search")
    expect(filters).to_be_hidden()  # folded: the issues come first
    expect(page.get_by_role("link", name=world["title"])).to_be_in_viewport()
    page.locator("details.filter-panel > summary").click()
    expect(filters).to_be_visible()
    for label in ("Terbuka", "Sedang ditangani"):  # of the default unresolved ones, keep "waiting" only
        filters.get_by_role("checkbox", name=re.compile(rf"^{label} \d+$")).uncheck()
    submit(page, filters.get_by_role("button", name="Saring", exact=True))
    expect(filters).to_be_hidden()
    expect(page.locator("details.filter-panel > summary")).to_have_text("Saringan aktif")  # a filter is on
    expect(page.get_by_role("link", name=world["title"])).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})  # folded on a wide screen too: the chips say the filter
    expect(filters).to_be_hidden()
    expect(page.locator("#filter-words")).to_contain_text("Status: Menunggu pemangku kepentingan")
    expect(page.locator("details.filter-panel > summary")).to_be_visible()
    context.close()
    assert not problems.problems, problems.problems
