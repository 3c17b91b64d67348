"""Browser: a manager follows a report to publication; anyone reads it on a phone (screenshots at 1280 and 390 px)."""

from playwright.sync_api import expect

from coordapp.extensions import db
from coordapp.reports.demo import seed_demo_reports
from tests import factories
from tests.browser import PHONE, PageProblems, Screenshots, log_in, submit
from tests.reports_support import make_report

WIDE = {"width": 1280, "height": 900}


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_reports_on_a_wide_screen_and_a_phone(chromium, site):
    election = factories.make_election(name="Pilkada Kota Tangerang Selatan 2020")
    manager = factories.make_user("manager", name="Manajer Satu")
    factories.make_user("admin", name="Admin Satu")
    reports = seed_demo_reports(election)
    corrected = next(r for r in reports if len(r.versions) == 2)
    draft = make_report(election, stage=election.stages[16], author=factories.make_user("staff"), title="Draf rekap")
    db.session.commit()
    shots = Screenshots("reports")
    problems = []
    for name, viewport in (("wide", WIDE), ("phone", PHONE)):
        context = chromium.new_context(base_url=site, locale="id-ID", timezone_id="Asia/Jakarta", viewport=viewport)
        page = context.new_page()
        watch = PageProblems(page)
        page.goto(f"/public/reports/{corrected.id}")  # anonymous, without an account
        expect(page.get_by_role("heading", level=1)).to_have_text(corrected.latest.title)
        expect(page.locator(".budget-table")).to_contain_text("Rp 2.318.000.000")
        expect(page.get_by_role("link", name="Unduh PDF")).to_be_visible()
        shots.take(page, f"{name}-public-report")
        assert _overflow(page) <= 0, f"{name} public report"
        page.goto(f"/public/reports/{corrected.id}/v1")
        expect(page.get_by_text("Ada versi yang lebih baru dari laporan ini.")).to_be_visible()
        shots.take(page, f"{name}-public-report-v1")

        log_in(page, manager.email)
        for path, label in (
            (f"/reports/?election={election.id}", "index"),
            (f"/reports/{draft.id}", "draft"),
            (f"/reports/{draft.id}/lines/new", "line-form"),
            (f"/reports/{draft.id}/import", "import"),
            (f"/reports/{corrected.id}", "published"),
            (f"/reports/{corrected.id}/kit", "kit"),
            (f"/dashboard/scorecard?election={election.id}#accountability", "scorecard"),
        ):
            assert page.goto(path).status == 200, path
            shots.take(page, f"{name}-{label}")
            assert _overflow(page) <= 0, f"{name} {path}"
        if name == "phone":  # last: the draft is no longer one afterwards
            page.goto(f"/reports/{draft.id}")
            submit(page, page.get_by_role("button", name="Ajukan untuk disetujui"))
            expect(page.locator(".badge")).to_have_text("Diajukan untuk disetujui")
            shots.take(page, f"{name}-submitted")
        context.close()
        problems += watch.problems
    assert not problems, problems
