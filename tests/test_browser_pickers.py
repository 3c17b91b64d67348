"""Pickers: on the meeting and issue forms staff find contacts by typing, pick two as chips; the record has them."""

import re

import pytest
from playwright.sync_api import expect

from coordapp.extensions import db
from coordapp.issues.models import Issue
from coordapp.meetings.models import Meeting
from coordapp.stakeholders.models import Contact
from tests import factories
from tests.browser import PHONE, PageProblems, Screenshots, log_in, pick, submit

pytestmark = pytest.mark.browser
expect.set_options(timeout=15_000)
WIDE = {"width": 1280, "height": 900}


def _world() -> dict:
    election = factories.make_election(name="Pilkada Kota Tangerang Selatan 2020")
    bawaslu = factories.make_organization(name="Bawaslu Kota Tangerang Selatan", short_name="Bawaslu")
    polres = factories.make_organization(name="Polres Tangerang Selatan", short_name="Polres")
    factories.make_contact(bawaslu, name="Siti Rahmawati", position="Koordinator Divisi Pengawasan")
    factories.make_contact(bawaslu, name="Rudi Hartono")
    factories.make_contact(polres, name="Siti Nurhaliza", position="Kasat Intelkam")
    factories.make_contact(polres, name="Agus Salim")
    staff = factories.make_user("manager", name="Dewi Lestari")
    db.session.commit()
    return {"election": election.id, "email": staff.email}


def _pick(page, field_id: str, typed: str, option: str) -> None:
    """Type into a picker's search box and choose one option of the filtered list."""
    box = page.locator(f"#{field_id}-ts-control")
    box.fill(typed)
    dropdown = page.locator(f"#{field_id}-ts-dropdown")
    expect(dropdown.locator(".option", has_text="Agus Salim")).to_have_count(0)  # filtered out by the typing
    dropdown.locator(".option", has_text=option).click()


def _chips(page, field_id: str):
    return (
        page.locator(f"#{field_id}")
        .locator("xpath=following-sibling::div[contains(@class,'ts-wrapper')]")
        .locator(".item")
    )


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["wide", "phone"])
def test_staff_pick_two_contacts_by_typing_on_the_meeting_and_issue_forms(site, chromium, viewport):
    world = _world()
    shots = Screenshots(f"pickers-{viewport['width']}")
    context = chromium.new_context(locale="id-ID", timezone_id="Asia/Jakarta", viewport=viewport, base_url=site)
    page = context.new_page()
    problems = PageProblems(page)
    log_in(page, world["email"])

    page.goto("/meetings/new")
    page.locator("#title").fill("Rakor pengamanan kampanye")
    page.locator("#start").fill("2020-09-28T09:00")
    page.locator("#end").fill("2020-09-28T11:00")
    page.locator("#location").fill("Aula KPU Kota Tangerang Selatan")
    page.locator("#contacts-ts-control").press("ArrowDown")  # the arrow key opens the whole list, grouped
    expect(page.locator("#contacts-ts-dropdown .optgroup-header").first).to_be_visible()
    page.locator("#contacts-ts-control").fill("siti")
    dropdown = page.locator("#contacts-ts-dropdown")
    expect(dropdown.locator(".optgroup-header")).to_have_text(
        ["Bawaslu Kota Tangerang Selatan", "Polres Tangerang Selatan"]  # grouped by organization
    )
    shots.take(page, "meeting-typing")
    _pick(page, "contacts", "siti", "Siti Rahmawati")
    _pick(page, "contacts", "nurha", "Siti Nurhaliza")
    chips = _chips(page, "contacts")
    expect(chips).to_have_count(2)
    shots.take(page, "meeting-form")
    page.locator("#contacts-ts-control").press("Escape")
    page.locator("#contacts-ts-control").blur()
    pick(page, "organizations", ["Polres Tangerang Selatan"])
    pick(page, "users", ["Dewi Lestari"])
    page.locator("#agenda").fill("1. Pengamanan kampanye")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    submit(page, page.get_by_role("button", name="Simpan", exact=True))
    expect(page.locator(".flash-success")).to_have_text("Rapat disimpan.")

    meeting = db.session.execute(db.select(Meeting)).scalar_one()
    db.session.refresh(meeting)
    invited = sorted(a.contact.name for a in meeting.attendees if a.contact is not None)
    assert invited == ["Siti Nurhaliza", "Siti Rahmawati"]

    page.goto("/issues/new")
    page.locator("#title").fill("Pengamanan kampanye di Pamulang")
    _pick(page, "contact_ids", "SITI", "Siti Rahmawati")  # case does not matter
    _pick(page, "contact_ids", "siti", "Siti Nurhaliza")
    chips = _chips(page, "contact_ids")
    expect(chips).to_have_count(2)
    # A chip is removed with its button, and picked again.
    chips.filter(has_text="Siti Nurhaliza").locator(".remove").click()
    expect(chips).to_have_count(1)
    _pick(page, "contact_ids", "nurhaliza", "Siti Nurhaliza")
    expect(chips).to_have_count(2)
    # The full-page screenshot resizes the page for a moment (as in the meeting part: taken before leaving the picker).
    shots.take(page, "issue-form")
    page.locator("#contact_ids-ts-control").press("Escape")
    page.locator("#contact_ids-ts-control").blur()
    expect(page.locator(".ts-dropdown:visible")).to_have_count(0)  # no list left open over the form
    submit(page, page.get_by_role("button", name="Catat kendala", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^#\d+ Pengamanan kampanye di Pamulang$"))

    issue = db.session.execute(db.select(Issue)).scalar_one()
    db.session.refresh(issue)
    assert sorted(c.name for c in issue.contacts) == ["Siti Nurhaliza", "Siti Rahmawati"]
    assert problems.problems == []
    context.close()


def test_without_script_the_plain_select_works(site, chromium):
    world = _world()
    agus = db.session.execute(db.select(Contact).filter_by(name="Agus Salim")).scalar_one().id
    context = chromium.new_context(locale="id-ID", viewport=WIDE, base_url=site, java_script_enabled=False)
    page = context.new_page()
    log_in(page, world["email"])
    page.goto("/issues/new")
    expect(page.locator(".ts-wrapper")).to_have_count(0)
    page.locator("#title").fill("Tanpa skrip")
    page.get_by_label("Kontak penanggung jawab", exact=True).select_option(value=[str(agus)])
    submit(page, page.get_by_role("button", name="Catat kendala", exact=True))
    issue = db.session.execute(db.select(Issue)).scalar_one()
    assert [c.name for c in issue.contacts] == ["Agus Salim"]
    context.close()
