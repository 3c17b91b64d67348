"""A journalist on a phone, without an account: login page -> portal -> election -> stage -> report (budget
table, PDF) -> issue, the feed and the open data.

Run on the demo in a real Chromium at 390 px (and the same pages at 1280 px for the screenshots
in test-output/browser/portal/); no page is wider than the screen and none needs a script.
"""

import pytest
from playwright.sync_api import expect

from tests.browser import PHONE, PageProblems, Screenshots

pytestmark = pytest.mark.browser
WIDE = {"width": 1280, "height": 900}


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


def test_an_anonymous_reader_finds_a_stage_on_a_phone(chromium, demo, site):
    shots = Screenshots("portal")
    context = chromium.new_context(
        base_url=site, locale="id-ID", timezone_id="Asia/Jakarta", viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    problems = PageProblems(page)
    page.goto("/auth/login")
    page.get_by_role("link", name="Buka portal publik").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Portal publik KPU")
    shots.take(page, "phone-portal")
    page.get_by_role("link", name="Pilkada Kota Tangerang Selatan 2020").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pilkada Kota Tangerang Selatan 2020")
    expect(page.locator(".figures .figure").first).to_contain_text("rapat dipublikasikan")
    assert _overflow(page) <= 0
    shots.take(page, "phone-election")
    page.get_by_role("link", name="7. Pemutakhiran dan penyusunan daftar pemilih").click()
    expect(page.get_by_role("heading", name="Kendala yang diangkat")).to_be_visible()
    rows = page.locator("table.responsive tbody tr")
    expect(rows.first).to_be_visible()
    assert _overflow(page) <= 0
    shots.take(page, "phone-stage")
    stage_url = page.url
    page.get_by_role("link", name="Laporan pertanggungjawaban tahapan pemutakhiran data pemilih").click()
    expect(page.get_by_role("heading", name="Realisasi anggaran")).to_be_visible()
    expect(page.locator("body")).to_contain_text("Rp 45.000.000")
    assert _overflow(page) <= 0
    shots.take(page, "phone-report")
    report_path = page.url.replace(site, "")
    pdf = page.request.get(page.get_by_role("link", name="Unduh PDF").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    page.goto(stage_url)
    rows = page.locator("table.responsive tbody tr")
    rows.first.get_by_role("link").click()
    expect(page.get_by_text("Hari hingga selesai")).to_be_visible()
    assert _overflow(page) <= 0
    shots.take(page, "phone-issue")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_text("Days to resolve")).to_be_visible()
    feed = page.request.get("/public/pilkada-tangsel-2020/feed.atom")
    assert feed.ok and "<entry>" in feed.text()
    budget = page.request.get("/public/data/budget_lines.csv?election=pilkada-tangsel-2020")
    assert budget.ok and "Rapat koordinasi pemutakhiran data pemilih" in budget.text()
    exercise = context.new_page()
    exercise.goto("/public/simulasi-pilkada/")
    expect(exercise.locator(".stage-timeline li.is-current")).to_contain_text("Kampanye")
    shots.take(exercise, "phone-exercise")
    for path in ("/public/data/", "/public/search?q=kampanye", "/public/"):
        page.goto(path)
        assert _overflow(page) <= 0, path
    assert not problems.problems
    wide = chromium.new_context(base_url=site, locale="id-ID", timezone_id="Asia/Jakarta", viewport=WIDE).new_page()
    for path, name in (
        ("/public/pilkada-tangsel-2020/", "wide-election"),
        ("/public/pilkada-tangsel-2020/daftar_pemilih/", "wide-stage"),
        (report_path, "wide-report"),
        ("/public/data/", "wide-open-data"),
    ):
        wide.goto(path)
        assert _overflow(wide) <= 0
        shots.take(wide, name)
    context.close()
