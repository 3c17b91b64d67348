"""Report workflow: draft -> submitted -> approved (by someone else) -> published; corrections as new versions."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader

from coordapp.extensions import db
from coordapp.files.storage import digest, store
from coordapp.reports import services
from coordapp.reports.figures import compute_figures
from coordapp.reports.formatting import rupiah
from coordapp.reports.models import BudgetLine
from tests import factories
from tests.reports_support import make_report


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_rupiah_is_written_with_dots_in_every_language():
    assert rupiah(1234567) == "Rp 1.234.567"
    assert rupiah(0) == "Rp 0"
    assert rupiah(-3_750_000) == "-Rp 3.750.000"


def test_a_published_report_went_through_each_step(app):
    report = make_report(status="published")
    version = report.latest
    assert version.status == "published"
    assert version.submitted_dt and version.approved_dt and version.published_dt
    assert report.published_dt == version.published_dt
    assert version.figures["issues_raised"] == 0


def test_the_author_cannot_approve_their_own_report(app):
    author = factories.make_user("manager")
    report = make_report(author=author, status="submitted")
    with pytest.raises(services.WorkflowError):
        services.approve(report.latest, author)
    assert report.latest.status == "submitted"
    other = factories.make_user("manager")
    services.approve(report.latest, other)
    assert report.latest.status == "approved"


def test_staff_cannot_approve_and_an_admin_can(app):
    report = make_report(status="submitted")
    with pytest.raises(services.WorkflowError):
        services.approve(report.latest, factories.make_user("staff"))
    assert services.can_approve(report.latest, factories.make_user("admin"))


def test_steps_out_of_order_are_refused(app):
    report = make_report()
    for step in (services.approve, services.publish, services.return_to_draft):
        with pytest.raises(services.WorkflowError):
            step(report.latest, factories.make_user("admin"))
    assert report.latest.status == "draft"


def test_approval_freezes_the_figures_and_stores_the_pdf(app):
    election = factories.make_election()
    stage = election.stages[0]
    org = factories.make_organization(name="Bawaslu Kota")
    issue = factories.make_issue(election, stage=stage, created_dt=datetime(2020, 1, 2, tzinfo=UTC))
    issue.organizations.append(org)
    report = make_report(election, stage=stage, status="approved")  # approved on 10 January 2020
    version = report.latest
    assert version.figures["issues_raised"] == 1
    assert version.figures["stakeholders_engaged"] == 1
    data = store().get(version.pdf_sha256)
    assert digest(data) == version.pdf_sha256 and len(data) == version.pdf_size
    factories.make_issue(election, stage=stage)  # later data does not change a frozen report
    services.publish(version, factories.make_user("admin"))
    assert version.figures["issues_raised"] == 1


def test_the_pdf_holds_the_report_text_and_the_budget_in_indonesian(app):
    report = make_report(status="approved", title="Laporan “uji” tahapan – perencanaan")
    text = pdf_text(store().get(report.latest.pdf_sha256))
    assert 'Laporan "uji" tahapan - perencanaan' in text
    assert "Realisasi anggaran" in text
    assert "Rp 1.234.567" in text
    assert "Rapat koordinasi" in text and "Dua rapat digabung" in text
    assert "Rp 46.234.567" in text  # the allocated total
    assert "Versi 1" in text


def test_a_published_version_is_never_edited(app):
    report = make_report(status="published")
    version = report.latest
    with pytest.raises(services.WorkflowError):
        services.update_draft(version, title="Diubah")
    with pytest.raises(services.WorkflowError):
        services.add_budget_line(version, account_code="1", description="x", allocated=1, realised=1)
    with pytest.raises(services.WorkflowError):
        services.update_budget_line(version.budget_lines[0], realised=1)
    assert version.title == "Laporan tahapan perencanaan"


def test_a_correction_is_a_new_version_and_the_old_one_stays(app):
    report = make_report(status="published")
    first = report.latest
    first_pdf = first.pdf_sha256
    manager = factories.make_user("manager")
    second = services.new_version(report, manager, "Angka honorarium diperbaiki.")
    assert second.number == 2 and second.status == "draft"
    assert [line.description for line in second.budget_lines] == [line.description for line in first.budget_lines]
    services.update_budget_line(second.budget_lines[1], realised=1_000_000)
    services.submit(second, manager)
    services.approve(second, factories.make_user("admin"))
    services.publish(second, manager)
    db.session.flush()
    assert first.budget_lines[1].realised == 1_234_567
    assert first.pdf_sha256 == first_pdf and second.pdf_sha256 != first_pdf
    assert report.latest_published is second
    assert "Angka honorarium diperbaiki." in pdf_text(store().get(second.pdf_sha256))
    assert db.session.scalar(db.select(db.func.count()).select_from(BudgetLine)) == 4


def test_a_second_correction_waits_for_the_first(app):
    report = make_report(status="published")
    services.new_version(report, factories.make_user("manager"), "Koreksi.")
    with pytest.raises(services.WorkflowError):
        services.new_version(report, factories.make_user("manager"), "Lagi.")


def test_text_beyond_latin_1_still_renders_in_the_pdf(app):
    narrative = "> **Catatan:** selesai ✅ — “tepat waktu” 中文\n\n## Bagian\n- butir satu\n- butir *dua*"
    report = make_report(status="approved", narrative=narrative, title="Laporan 🗳️ tahapan")
    text = pdf_text(store().get(report.latest.pdf_sha256))
    assert 'Catatan: selesai ? - "tepat waktu" ??' in text
    assert "Laporan ?? tahapan" in text or "Laporan ? tahapan" in text
    assert "- butir dua" in text


def test_figures_count_what_was_known_at_approval(app):
    election = factories.make_election()
    stage = election.stages[0]
    at = datetime(2020, 3, 1, 3, tzinfo=UTC)
    early = factories.make_issue(election, stage=stage, created_dt=at - timedelta(days=10))
    early.status, early.resolved_dt, early.due_date = "resolved", at - timedelta(days=6), date(2020, 2, 25)
    late_fix = factories.make_issue(election, stage=stage, created_dt=at - timedelta(days=5))
    late_fix.status, late_fix.resolved_dt = "resolved", at + timedelta(days=2)
    factories.make_issue(election, stage=stage, created_dt=at + timedelta(days=1))
    factories.make_meeting(election, stage=stage, start_dt=at - timedelta(days=3))
    factories.make_meeting(election, stage=stage, start_dt=at + timedelta(days=3))
    figures = compute_figures(election, stage, now=at)
    assert (figures["issues_raised"], figures["issues_resolved"], figures["meetings_held"]) == (2, 1, 1)
    assert figures["median_days_to_resolve"] == 4.0 and figures["on_time_rate"] == 100.0
