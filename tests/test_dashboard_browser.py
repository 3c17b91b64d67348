"""The manager's journey in a real browser: log in, read the stage board, follow a number to the
filtered issue list, save the filter "Kampanye, high+critical, overdue", download it as XLSX for
the plenary, and look at the board on a phone and on paper.

Debian's Chromium through Playwright, on the real app (CSRF on) served from a live server on the
test database (tests/browser.py). Screenshots are kept under test-output/browser/manager-board/.
"""

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from coordapp.core.time import local_today
from coordapp.dashboard.models import SavedFilter
from coordapp.elections.models import Election
from coordapp.extensions import db
from tests import factories
from tests.browser import PHONE, PageProblems, Screenshots, log_in, submit

DESKTOP = {"width": 1280, "height": 800}

pytestmark = pytest.mark.browser
expect.set_options(timeout=15_000)  # two cores, a cold Chromium: be patient, never sleep

PLAYED_DAY = date(2020, 11, 30)  # five days before the campaign ends
SAVED_NAME = "Kampanye, high+critical, overdue"


A4_WIDTH = 718  # px Chromium lays out an A4 sheet in: 210 mm less its default margins of 0.4 inch, at 96 px per inch


def make_world() -> dict:
    """An election running today as on 30 Nov 2020, with campaign issues, some urgent and overdue; commit."""
    today = local_today()
    election = factories.make_election(name="Pilkada Kota Tangerang Selatan")
    shift = today - PLAYED_DAY
    for stage in election.stages:
        stage.start_date, stage.end_date = stage.start_date + shift, stage.end_date + shift
    kampanye = next(s for s in election.stages if s.code == "kampanye")
    bawaslu = factories.make_organization(name="Bawaslu Kota Tangerang Selatan", category="supervisory")
    rows = [
        ("Izin lokasi kampanye di Pamulang belum terbit", "critical", -4),
        ("Alat peraga kampanye di jalan protokol", "high", -2),
        ("Hoaks tentang jadwal kampanye", "high", 3),
        ("Baliho tanpa izin di Ciputat", "low", -6),
        ("Protokol kesehatan kampanye tatap muka", "critical", -1),
    ]
    for title, priority, due in rows:
        factories.make_issue(
            election,
            stage=kampanye,
            title=title,
            priority=priority,
            due_date=today + timedelta(days=due),
            organizations=[bawaslu],
        )
    factories.make_issue(election, stage=kampanye, title="Jadwal debat publik", priority="high", status="resolved")
    manager = factories.make_user("manager", name="Ketua Sekretariat", email="sekretariat@kpu-tangsel.example.org")
    db.session.commit()
    world = {"election_id": election.id, "stage_id": kampanye.id, "email": manager.email, "user_id": manager.id}
    db.session.close()  # hold no snapshot open while the server writes
    return world


def _first_row_on_the_first_screen(page) -> None:
    """Check that the list's first issue shows without scrolling (the filter form is folded above it)."""
    row = page.locator(".issue-table tbody tr").first.bounding_box()
    height = page.viewport_size["height"]
    assert row is not None and row["y"] + row["height"] <= height, (row, height)


def test_manager_reads_the_board_follows_a_number_saves_the_filter_and_exports_it(chromium, site, tmp_path):
    world = make_world()
    shots = Screenshots("manager-board")
    context = chromium.new_context(
        base_url=site,
        locale="id-ID",
        timezone_id="Asia/Jakarta",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    page = context.new_page()
    problems = PageProblems(page)

    log_in(page, world["email"])

    menu = page.get_by_role("navigation", name="Menu utama")
    menu.get_by_role("link", name="Papan Tahapan", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Papan Tahapan")
    campaign = page.locator("table.board tr", has=page.get_by_role("rowheader", name=re.compile(r"^12\. Kampanye")))
    expect(campaign).to_have_attribute("aria-current", "true")  # the current stage
    expect(campaign).to_contain_text("berisiko")  # ends in 5 days with critical issues open
    expect(campaign.get_by_role("link", name="4 kendala tinggi atau kritis masih terbuka")).to_be_visible()
    expect(campaign.locator("svg.stackbar rect.seg-open")).to_have_count(1)
    overdue = campaign.locator("td[data-label='Lewat tenggat'] a")
    expect(overdue).to_have_text("4")
    shots.take(page, "board")

    page.set_viewport_size({"width": 1280, "height": 800})
    overdue.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kendala")  # the one list, /issues/
    expect(page.locator("#issue-total")).to_have_text("Ditemukan: 4")
    chips = page.locator("#filter-words")
    expect(chips.locator("a.chip")).to_have_text(
        [
            re.compile(r"^Pemilihan: Pilkada Kota Tangerang Selatan"),
            re.compile(r"^Tahapan: Kampanye, laporan dana kampanye .*×"),
            re.compile(r"^Hanya yang lewat tenggat"),
        ]
    )
    _first_row_on_the_first_screen(page)
    shots.take(page, "overdue-issues-1280", full_page=False)

    chips.get_by_role("link", name=re.compile("^Hanya yang lewat tenggat")).click()  # drop that one condition
    expect(page.locator("#issue-total")).to_have_text("Ditemukan: 6")  # the stage's issues, every status
    expect(chips.locator("a.chip")).to_have_count(2)
    page.locator("details.filter-panel > summary").click()
    filters = page.get_by_role("search")
    for label in ("Terbuka", "Tinggi", "Kritis", "Hanya yang lewat tenggat"):  # each label ends with its count
        filters.get_by_role("checkbox", name=re.compile(rf"^{label} \d+$")).check()
    submit(page, filters.get_by_role("button", name="Saring", exact=True))
    expect(page.locator(".issue-table tbody tr")).to_have_count(3)  # the low one and the not-yet-due one are out
    expect(filters).to_be_hidden()  # folded again: the chips say what is on
    expect(chips).to_contain_text("Prioritas: Tinggi, Kritis")
    page.locator("details.saved-filters-panel > summary").click()
    name_line = page.locator(".label-line", has=page.get_by_text("Nama", exact=True))
    label_box, mark_box = name_line.locator("label").bounding_box(), name_line.locator(".req").bounding_box()
    assert abs(mark_box["y"] - label_box["y"]) < label_box["height"] / 2  # the required mark sits on the label's line
    assert mark_box["x"] >= label_box["x"] + label_box["width"]
    page.get_by_label("Nama", exact=True).fill(SAVED_NAME)
    page.get_by_label("Bagikan ke semua manajer", exact=True).check()
    submit(page, page.get_by_role("button", name="Simpan filter", exact=True))
    expect(page.locator(".flash-success")).to_have_text(f'Filter "{SAVED_NAME}" disimpan.')
    expect(page.locator(".issue-table tbody tr")).to_have_count(3)  # back on the same filtered list
    page.locator("details.saved-filters-panel > summary").click()
    expect(page.locator(".saved-filters")).to_contain_text(SAVED_NAME)
    shots.take(page, "saved-filter")

    with page.expect_download() as download_info:
        page.locator(".list-actions").get_by_role("link", name="XLSX").click()
    download = download_info.value
    assert download.suggested_filename.startswith("issues-") and download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("ID", "Judul", "Tahapan", "Status")
    assert sorted(r[1] for r in rows[1:]) == [
        "Alat peraga kampanye di jalan protokol",
        "Izin lokasi kampanye di Pamulang belum terbit",
        "Protokol kesehatan kampanye tatap muka",
    ]

    page.set_viewport_size(PHONE)  # the same list on a phone: the chips, then the rows
    page.reload()
    _first_row_on_the_first_screen(page)
    shots.take(page, "saved-filter-list-390", full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Tampilan cetak").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Prioritas: Tinggi, Kritis")  # headed with the filter in words
    expect(heading).to_contain_text("Hanya yang lewat tenggat")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Menu utama")).to_be_hidden()
    shots.take(page, "print-view")
    page.emulate_media(media="screen")

    page.set_viewport_size(PHONE)
    page.goto(f"/dashboard/?election={world['election_id']}")
    expect(page.locator("table.board thead")).to_be_hidden()  # rows become cards on a phone
    expect(campaign.locator("td[data-label='Lewat tenggat'] a")).to_be_visible()
    shots.take(page, "board-phone")
    page.set_viewport_size({"width": A4_WIDTH, "height": 1050})
    page.emulate_media(media="print")
    expect(page.locator(".dash-actions")).to_be_hidden()
    expect(page.locator("table.board thead")).to_be_visible()  # a table on paper, not phone cards
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_WIDTH  # every column on the sheet
    shots.take(page, "board-print")

    context.close()
    assert not problems.problems, problems.problems
    db.session.expire_all()
    saved = db.session.execute(db.select(SavedFilter)).scalar_one()
    assert saved.user_id == world["user_id"] and saved.is_shared
    assert saved.args["overdue"] == "1" and saved.args["priority"] == ["high", "critical"]


def make_chart_world() -> dict:
    """The campaign world, plus two months of issues raised, answered and resolved week by week; commit."""
    world = make_world()
    election = db.session.get(Election, world["election_id"])
    today = local_today()
    stages = {s.code: s for s in election.stages}
    start = datetime.combine(today, time(3), tzinfo=UTC)
    for n in range(36):
        stage = stages["kampanye"] if n % 3 else stages[("daftar_pemilih", "penetapan", "pendaftaran")[n % 9 // 3]]
        raised = start - timedelta(days=60 - n * 1.5)
        answered = raised + timedelta(hours=6 + 13 * (n % 7))  # 6 h to 3.5 days
        resolved = n % 4 != 0 and n < 30
        factories.make_issue(
            election,
            stage=stage,
            title=f"Kendala kampanye {n}",
            priority=("normal", "high", "low")[n % 3],
            status="resolved" if resolved else "open",
            created_dt=raised,
            first_response_dt=answered,
            resolved_dt=raised + timedelta(days=2 + n % 20) if resolved else None,
            due_date=today - timedelta(days=n % 5) if not resolved else None,
        )
    db.session.commit()
    db.session.close()
    return world


def _page_is_no_wider_than(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling


def test_a_manager_reads_the_current_stage_from_its_charts_on_the_first_screen(chromium, site):
    world = make_chart_world()
    shots = Screenshots("manager-charts")
    for name, viewport in (("1280", DESKTOP), ("390", PHONE)):
        context = chromium.new_context(base_url=site, locale="id-ID", timezone_id="Asia/Jakarta", viewport=viewport)
        page = context.new_page()
        problems = PageProblems(page)
        log_in(page, world["email"])
        page.goto(f"/dashboard/?election={world['election_id']}")
        current = page.locator("section.current-board")
        expect(current.get_by_role("heading", level=2)).to_contain_text("Tahapan saat ini: 12. Kampanye")
        burn = current.get_by_role("img", name=re.compile(r"^Kendala terbuka dari waktu ke waktu: 12\. Kampanye"))
        expect(burn).to_be_visible()
        first_screen = ["#chart-burn-current"]
        if viewport is DESKTOP:  # side by side on a wide screen; stacked on a phone, the first one shows
            first_screen += ["#chart-response-current", "#chart-resolution-current"]
        for chart in first_screen:
            box = page.locator(chart).bounding_box()
            assert box["y"] + box["height"] / 2 < viewport["height"], (name, chart, box)
        expect(current.locator("#chart-response-current line.target")).to_have_attribute("data-target", "3")
        expect(current).to_contain_text("p90")
        shots.take(page, f"board-{name}")
        _page_is_no_wider_than(page, viewport["width"])

        page.goto(f"/dashboard/scorecard?election={world['election_id']}")
        grid = page.locator("table.score-grid")
        expect(grid).to_be_visible()
        assert grid.bounding_box()["y"] < viewport["height"]
        expect(page.locator("#detail-tables")).not_to_have_attribute("open", "")  # the detail tables: one click away
        shots.take(page, f"scorecard-{name}")
        _page_is_no_wider_than(page, viewport["width"])
        page.locator("#detail-tables > summary").click()
        expect(page.get_by_role("heading", name="1. Produktivitas")).to_be_visible()
        if viewport is DESKTOP:  # on paper: the grid and the charts on the sheet's width, no buttons
            page.set_viewport_size({"width": A4_WIDTH, "height": 1050})
            page.emulate_media(media="print")
            for paper, url in (("scorecard-print", "/dashboard/scorecard"), ("board-print", "/dashboard/")):
                page.goto(f"{url}?election={world['election_id']}")
                expect(page.locator(".dash-actions")).to_be_hidden()
                shots.take(page, paper)
                _page_is_no_wider_than(page, A4_WIDTH)
            page.emulate_media(media="screen")
        context.close()
        assert not problems.problems, problems.problems
