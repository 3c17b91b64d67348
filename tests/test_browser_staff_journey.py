"""The staff journey in a real browser: log in, record a meeting and its minutes, raise two issues
from it, follow one up to resolved, then find the rest in "Kendala saya" and the changes in "Riwayat".

Debian's Chromium through Playwright, on the real app (CSRF on) served from a live server on the
test database. A screenshot of each page is kept under test-output/browser/<journey>/.
"""

import re
from datetime import date, timedelta

import pytest
from babel.dates import format_date
from playwright.sync_api import expect

from coordapp.core.time import to_local, utcnow
from coordapp.extensions import db
from tests.browser import PageProblems, Screenshots, log_in, pick, submit
from tests.staff_journey_support import World, make_world

pytestmark = pytest.mark.browser
expect.set_options(timeout=15_000)  # two cores, a cold Chromium: be patient, never sleep

EKTP = "1.200 warga belum memiliki e-KTP sebelum DPT ditetapkan"
PAMULANG = "Izin lokasi kampanye di Pamulang"
MEETING = "Rakor kesiapan DPT dan kampanye bersama Bawaslu, Disdukcapil dan LO paslon"


@pytest.fixture
def browser_page(chromium, site):
    """A fresh Indonesian-speaking browser in Jakarta time, and what went wrong under the hood."""
    context = chromium.new_context(
        base_url=site, locale="id-ID", timezone_id="Asia/Jakarta", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    yield page, PageProblems(page)
    context.close()


def shows(locator, *texts: str) -> None:
    """Expect the element to contain each text."""
    for text in texts:
        expect(locator).to_contain_text(text)


def day(value: date) -> str:
    """A date as the Indonesian pages show it."""
    return format_date(value, "medium", locale="id")


def record_meeting(page, world: World, shots: Screenshots) -> None:
    """Open "Rapat", record this morning's meeting, its attendance and minutes."""
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Rapat", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapat")
    shots.take(page, "meetings")
    page.get_by_role("link", name="Rapat baru").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapat baru")
    stage = page.locator("#stage_id")
    expect(stage).to_have_value(str(world.stage_id))  # pre-filled from today's date
    expect(stage.locator("option:checked")).to_have_text(world.stage_label)

    start = to_local(utcnow()).replace(minute=0, second=0, microsecond=0, tzinfo=None) - timedelta(hours=3)
    page.get_by_label("Judul", exact=True).fill(MEETING)
    page.get_by_label("Jenis rapat", exact=True).select_option(label="Rapat koordinasi")
    page.get_by_label("Mulai", exact=True).fill(f"{start:%Y-%m-%dT%H:%M}")
    page.get_by_label("Berakhir", exact=True).fill(f"{start + timedelta(hours=2):%Y-%m-%dT%H:%M}")
    expect(stage).to_have_value(str(world.stage_id))  # the meeting's date is in the same stage
    page.get_by_label("Tempat", exact=True).fill("Aula KPU Kota Tangerang Selatan")
    pick(page, "organizations", world.org_names)  # pickers: type, then choose
    pick(page, "contacts", world.in_meeting_form())
    pick(page, "users", ["Sari Wulandari", "Agus Pratama"])
    page.get_by_label("Agenda", exact=True).fill(
        "1. Warga belum memiliki e-KTP menjelang penetapan DPT\n2. Izin lokasi kampanye di Pamulang\n"
        "3. Jadwal rapat berikutnya"
    )
    shots.take(page, "meeting-form")
    submit(page, page.get_by_role("button", name="Simpan", exact=True))

    expect(page.locator(".flash-success")).to_have_text("Rapat disimpan.")
    expect(page.get_by_role("heading", level=1)).to_have_text(MEETING)
    details = page.locator("section", has=page.get_by_role("heading", name="Rincian"))
    shows(details, world.stage_label, "Aula KPU Kota Tangerang Selatan", "Sari Wulandari")
    for name in world.org_names:
        expect(details.get_by_role("link", name=name)).to_be_visible()
    expect(page.locator("#agenda-title + .markdown ol li")).to_have_count(3)  # Markdown, rendered

    # Agus was invited but did not come.
    attendees = page.locator("#attendees")
    for name in world.positions:
        expect(attendees.get_by_label(name)).to_be_checked()
    attendees.get_by_label("Agus Pratama", exact=True).uncheck()
    submit(page, attendees.get_by_role("button", name="Simpan kehadiran"))
    expect(page.locator(".flash-success")).to_have_text("Kehadiran disimpan.")
    expect(page.locator("#attendees").get_by_label("Agus Pratama", exact=True)).not_to_be_checked()
    expect(page.locator("#attendees").get_by_label("Sari Wulandari", exact=True)).to_be_checked()
    shots.take(page, "meeting")

    page.get_by_role("link", name="Tulis notulen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notulen")
    page.get_by_label("Notulen", exact=True).fill(
        "- Disdukcapil mencatat **1.200 warga** belum memiliki e-KTP; perekaman keliling diusulkan.\n"
        "- LO Paslon 2 melaporkan izin lokasi kampanye di Pamulang belum terbit."
    )
    shots.take(page, "minutes-form")
    submit(page, page.get_by_role("button", name="Simpan notulen"))
    expect(page.locator(".flash-success")).to_have_text("Notulen disimpan.")
    expect(page.locator("#minutes .markdown strong")).to_have_text("1.200 warga")
    expect(page.locator("#minutes")).to_contain_text("Terakhir disimpan oleh Sari Wulandari")
    shots.take(page, "meeting-with-minutes")


def raise_issue(
    page, world: World, shots: Screenshots, title: str, priority: str, due: date, contacts: list[str], shot: str
) -> str:
    """From the meeting page, raise an issue pre-filled from the meeting; return the issue's URL."""
    page.locator("main > .page-head").get_by_role("link", name="Catat kendala").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Catat kendala")
    expect(page.locator("main")).to_contain_text(f'Diangkat pada rapat "{MEETING}"')
    expect(page.get_by_label("Tahapan", exact=True)).to_have_value(str(world.stage_id))
    expect(page.get_by_label("Tahapan", exact=True).locator("option:checked")).to_have_text(world.stage_label)
    expect(page.get_by_label("Diangkat pada rapat", exact=True).locator("option:checked")).to_contain_text(MEETING)
    organizations = page.locator("#organization_ids")  # the picker's select; grouped by category: compare as sets
    expect(organizations.locator("option:checked")).to_have_count(len(world.org_ids))
    chosen = organizations.evaluate("select => Array.from(select.selectedOptions, option => Number(option.value))")
    assert sorted(chosen) == sorted(world.org_ids)
    expect(page.get_by_label("Penanggung jawab", exact=True).locator("option:checked")).to_have_text("Sari Wulandari")

    page.get_by_label("Judul", exact=True).fill(title)
    page.get_by_label("Uraian", exact=True).fill(f"Dibahas pada rapat koordinasi pagi ini: **{title}**.")
    page.get_by_label("Prioritas", exact=True).select_option(label=priority)
    page.get_by_label("Tenggat", exact=True).fill(due.isoformat())
    pick(page, "contact_ids", contacts)
    shots.take(page, f"{shot}-form")
    submit(page, page.get_by_role("button", name="Catat kendala"))

    expect(page.locator(".flash-success")).to_have_text("Kendala dicatat.")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    head = page.locator(".page-head").first  # the commitments section below has a head of its own
    expect(head.locator(".badge-open")).to_have_text("Terbuka")
    expect(head).to_contain_text(priority)
    facts = page.locator("dl.meta")
    shows(facts, world.stage_label.split(". ", 1)[1], "Sari Wulandari", day(due))
    expect(facts.get_by_role("link", name=MEETING)).to_be_visible()
    for short_name in ("Bawaslu", "Disdukcapil", "Paslon 1", "Paslon 2", "Paslon 3"):
        expect(page.get_by_role("link", name=short_name, exact=True)).to_be_visible()
    for contact in contacts:
        expect(page.get_by_role("link", name=contact.split(" (")[0])).to_be_visible()
    expect(page.locator("#timeline")).to_contain_text("Belum ada tindak lanjut.")
    shots.take(page, shot)
    return page.url


def follow_up_and_resolve(page, world: World, shots: Screenshots) -> None:
    """Comment, add an action with its own due date and tick it; move the issue to in_progress, then resolved."""
    form = page.locator("#follow-up")
    comment = "Disdukcapil siap membuka perekaman e-KTP keliling di Pamulang dan Ciputat."
    form.get_by_label("Isi", exact=True).fill(comment)
    submit(page, form.get_by_role("button", name="Tambah"))
    expect(page.locator(".flash-success")).to_have_text("Tindak lanjut ditambahkan.")
    entries = page.locator("#timeline li[id^=entry-]")
    expect(entries).to_have_count(1)
    shows(entries.nth(0), "Sari Wulandari", "Komentar", comment)
    shots.take(page, "issue-comment")

    form = page.locator("#follow-up")
    expect(form.get_by_label("Tenggat tindakan", exact=True)).to_be_hidden()  # shown for actions only
    form.get_by_label("Tindakan", exact=True).check()
    expect(form.get_by_label("Tenggat tindakan", exact=True)).to_be_visible()
    action_due = world.today + timedelta(days=5)
    form.get_by_label("Isi", exact=True).fill("Jemput bola perekaman e-KTP di tiga kelurahan bersama Disdukcapil.")
    form.get_by_label("Tenggat tindakan", exact=True).fill(action_due.isoformat())
    submit(page, form.get_by_role("button", name="Tambah"))
    action = page.locator("#timeline li.kind-action")
    shows(action, "Tindakan", "Jemput bola perekaman e-KTP", f"Tenggat {day(action_due)}")
    shots.take(page, "issue-action")
    submit(page, action.get_by_role("button", name="Tandai selesai"))
    expect(page.locator("#timeline li.kind-action .badge-ok")).to_have_text("Selesai")
    expect(page.locator("#timeline li.kind-action").get_by_role("button", name="Tandai belum selesai")).to_be_visible()
    shots.take(page, "issue-action-done")

    submit(page, page.get_by_role("button", name="Ubah ke: Sedang ditangani"))
    expect(page.locator(".flash-success")).to_have_text("Status diubah menjadi Sedang ditangani.")
    expect(page.locator(".page-head .badge-in_progress")).to_have_text("Sedang ditangani")
    moves = page.locator("#timeline li.kind-status_change")
    expect(moves).to_have_count(1)
    shows(moves.nth(0), "Perubahan status", "Terbuka → Sedang ditangani")
    shots.take(page, "issue-in-progress")

    page.get_by_label("Catatan atau alasan", exact=True).fill("Perekaman selesai: 1.200 warga sudah memiliki KTP-el.")
    submit(page, page.get_by_role("button", name="Ubah ke: Selesai"))
    expect(page.locator(".flash-success")).to_have_text("Status diubah menjadi Selesai.")
    expect(page.locator(".page-head .badge-resolved")).to_have_text("Selesai")
    expect(moves).to_have_count(2)
    shows(moves.nth(1), "Perubahan status", "Sedang ditangani → Selesai", "1.200 warga sudah memiliki KTP-el")
    resolved_on = page.locator("dl.meta dt", has_text="Selesai").locator("xpath=following-sibling::dd[1]")
    expect(resolved_on).not_to_have_text("—")  # the service set resolved_dt
    shots.take(page, "issue-resolved")


def test_staff_member_records_a_meeting_raises_two_issues_and_resolves_one(browser_page):
    page, problems = browser_page
    world = make_world()
    shots = Screenshots("staff-journey")

    log_in(page, world.staff_email, shots)
    shots.take(page, "home")
    record_meeting(page, world, shots)
    ektp_url = raise_issue(
        page,
        world,
        shots,
        EKTP,
        "Tinggi",
        world.today + timedelta(days=7),
        world.in_issue_form("Rina Kusuma", "Ahmad Fauzi"),
        "issue-ektp",
    )
    page.locator("dl.meta").get_by_role("link", name=MEETING).click()
    raise_issue(
        page,
        world,
        shots,
        PAMULANG,
        "Normal",
        world.today + timedelta(days=3),
        world.in_issue_form("Budi Santoso", "Siti Rahmawati", "Hendra Gunawan"),
        "issue-pamulang",
    )
    page.get_by_role("link", name=MEETING).click()
    raised = page.locator("#issues tbody tr")
    expect(raised).to_have_count(2)
    shows(page.locator("#issues"), EKTP, PAMULANG)
    shots.take(page, "meeting-with-issues")

    page.locator("#issues").get_by_role("link", name=EKTP).click()
    follow_up_and_resolve(page, world, shots)

    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Kendala saya").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kendala saya")
    expect(page.locator("main")).to_contain_text("Kendala Anda yang belum selesai: 3, di antaranya lewat tenggat: 1.")
    rows = page.locator("table.issue-table tbody tr")
    expect(rows.locator("td:first-child a")).to_have_text([world.overdue_title, PAMULANG, world.later_title])
    expect(rows.nth(0)).to_have_class(re.compile(r"\bis-overdue\b"))
    expect(rows.nth(0)).to_contain_text("Lewat tenggat")
    expect(page.locator("table.issue-table")).not_to_contain_text(EKTP)  # resolved: off the list
    shots.take(page, "my-issues")

    page.get_by_role("link", name="Kendala Anda yang sudah selesai dan ditutup").click()
    page.get_by_role("link", name=EKTP).click()
    assert page.url == ektp_url
    history = page.locator("section.history")
    expect(history.get_by_role("heading", name="Riwayat")).to_be_visible()
    expect(history.locator("tbody tr").filter(has_text="Dibuat")).to_contain_text(EKTP)
    status_rows = history.locator("tbody tr").filter(has_text="Status diubah")
    expect(status_rows).to_have_count(2)
    expect(status_rows.filter(has_text="Terbuka → Sedang ditangani")).to_contain_text("Sari Wulandari")
    expect(status_rows.filter(has_text="Sedang ditangani → Selesai")).to_contain_text("Sari Wulandari")
    history.scroll_into_view_if_needed()
    shots.take(page, "issue-history")
    assert problems.problems == []

    check_database(world)


def check_database(world: World) -> None:
    """What the journey left in the database."""
    from coordapp.issues.models import FollowUp, Issue
    from coordapp.meetings.models import Meeting

    meeting = db.session.execute(db.select(Meeting).where(Meeting.title == MEETING)).scalar_one()
    assert meeting.stage_id == world.stage_id and meeting.kind == "rakor"
    assert sorted(o.id for o in meeting.organizations) == sorted(world.org_ids)
    assert len(meeting.attendees) == 7 and len(meeting.minutes_revisions) == 1
    assert [a.user.name for a in meeting.attendees if not a.attended] == ["Agus Pratama"]
    ektp = db.session.execute(db.select(Issue).where(Issue.title == EKTP)).scalar_one()
    pamulang = db.session.execute(db.select(Issue).where(Issue.title == PAMULANG)).scalar_one()
    for issue in (ektp, pamulang):
        assert issue.meeting_id == meeting.id and issue.stage_id == world.stage_id
        assert sorted(o.id for o in issue.organizations) == sorted(world.org_ids)
        assert issue.owner.email == world.staff_email and issue.created_by.email == world.staff_email
    assert (ektp.status, ektp.priority, len(ektp.contacts)) == ("resolved", "high", 2)
    assert ektp.resolved_dt is not None and ektp.first_response_dt is not None
    assert [f.kind for f in ektp.follow_ups] == ["comment", "action", "status_change", "status_change"]
    action = next(f for f in ektp.follow_ups if f.kind == "action")
    assert action.action_done_dt is not None and action.action_due_date == world.today + timedelta(days=5)
    assert (pamulang.status, pamulang.priority, len(pamulang.contacts)) == ("open", "normal", 3)
    assert pamulang.resolved_dt is None
    assert db.session.scalar(db.select(db.func.count(FollowUp.id)).where(FollowUp.issue_id == pamulang.id)) == 0


def test_bad_issue_input_shows_translated_errors_and_keeps_what_was_typed(browser_page):
    page, problems = browser_page
    world = make_world()
    shots = Screenshots("issue-form-errors")
    log_in(page, world.staff_email, shots)
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Kendala", exact=True).click()
    page.locator("main > .page-head").get_by_role("link", name="Catat kendala").click()
    far_past = world.today - timedelta(days=90)
    page.get_by_label("Uraian", exact=True).fill("Surat izin dari kecamatan belum diterima panitia.")
    page.get_by_label("Prioritas", exact=True).select_option(label="Kritis")
    page.get_by_label("Tenggat", exact=True).fill(far_past.isoformat())
    pick(page, "contact_ids", world.in_issue_form("Siti Rahmawati"))
    shots.take(page, "issue-form")
    submit(page, page.get_by_role("button", name="Catat kendala"), expected_status=422)

    expect(page.locator(".error-summary-title")).to_have_text("Perbaiki isian yang ditandai.")
    expect(page.locator("#title-error")).to_have_text("Kolom ini wajib diisi.")
    expect(page.get_by_label("Judul", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#due_date-error")).to_have_text("Tenggat lebih dari 30 hari yang lalu.")
    expect(page.get_by_label("Uraian", exact=True)).to_have_value("Surat izin dari kecamatan belum diterima panitia.")
    expect(page.get_by_label("Prioritas", exact=True)).to_have_value("critical")
    expect(page.get_by_label("Tenggat", exact=True)).to_have_value(far_past.isoformat())
    chosen = page.locator("#contact_ids option:checked")
    expect(chosen).to_have_text(world.in_issue_form("Siti Rahmawati"))
    expect(page.get_by_label("Tahapan", exact=True)).to_have_value(str(world.stage_id))
    shots.take(page, "issue-form-errors")
    assert [p for p in problems.problems if "status of 422" not in p] == []  # Chromium logs the refused form

    from coordapp.issues.models import Issue

    assert db.session.scalar(db.select(db.func.count(Issue.id))) == 2  # only the two made beforehand
