"""Browser: a meeting typed into the year 9999 is refused next to its field; a stored one still shows in the week."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from coordapp.extensions import db
from tests import factories, hostile
from tests.browser import PHONE, PageProblems, Screenshots, log_in, submit

pytestmark = pytest.mark.browser


def test_hostile_dates_are_refused_in_the_form_and_do_not_break_the_week_view(chromium, site):
    world = hostile.seed_world()
    factories.make_meeting(
        world["election"], title="Rapat akhir zaman", start_dt=datetime(9999, 12, 31, 20, tzinfo=UTC)
    )
    db.session.commit()
    shots = Screenshots("robust")
    for size, viewport in (("wide", {"width": 1280, "height": 900}), ("phone", PHONE)):
        context = chromium.new_context(base_url=site, locale="id-ID", timezone_id="Asia/Jakarta", viewport=viewport)
        page = context.new_page()
        problems = PageProblems(page)
        log_in(page, world["users"]["staff"].email)
        page.goto("/meetings/new")
        page.locator("input[name=title]").fill("Rapat di tahun 9999")
        page.locator("input[name=start]").fill("9999-12-31T10:00")
        submit(page, page.locator("form[data-meeting-form] button[type=submit]"), 422)
        expect(page.locator("#start-error")).to_have_text("Masukkan tanggal antara tahun 1900 dan 2100.")
        shots.take(page, f"meeting-form-year-9999-{size}")
        page.goto(f"/meetings/?election={world['election'].id}&view=week")
        expect(page.get_by_text("Rapat akhir zaman")).to_be_visible()
        shots.take(page, f"week-view-with-year-9999-{size}")
        assert not [p for p in problems.problems if "status of 422" not in p]  # the refused form is a 422
        context.close()
