"""Report pages for staff: a draft written, submitted, approved by another manager, published, corrected."""

import io

from openpyxl import Workbook

from coordapp.audit.models import AuditEvent
from coordapp.extensions import db
from coordapp.reports.models import AccountabilityReport, BudgetLine, ReportVersion
from tests import factories
from tests.reports_support import make_report


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_a_manager_writes_a_report_and_another_approves_and_publishes_it(client, auth, app):
    election = factories.make_election()
    db.session.commit()
    author = auth.as_role("manager")
    stage = election.stages[6]
    response = client.post(
        f"/reports/new?election={election.id}",
        data={"title": "Laporan pemutakhiran", "stage_id": stage.id, "narrative": "## Ringkasan\nCoklit selesai."},
    )
    assert response.status_code == 302
    report = db.session.scalars(db.select(AccountabilityReport)).one()
    assert report.stage_id == stage.id and report.latest.author_id == author.id
    line = {"account_code": "521211", "description": "Rapat koordinasi", "allocated": "Rp 45.000.000"}
    assert client.post(f"/reports/{report.id}/lines/new", data={**line, "realised": "41250000"}).status_code == 302
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "Rp 45.000.000" in page and "Rp 41.250.000" in page and "91,7%" in page
    assert client.post(f"/reports/{report.id}/submit").status_code == 302

    refused = client.post(f"/reports/{report.id}/approve")
    assert refused.status_code == 409
    assert "Penulis tidak dapat menyetujui laporannya sendiri." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ReportVersion, report.latest.id).status == "submitted"

    auth.logout()
    auth.as_role("manager")
    assert client.post(f"/reports/{report.id}/approve").status_code == 302
    assert client.post(f"/reports/{report.id}/publish").status_code == 302
    db.session.expire_all()
    version = db.session.get(ReportVersion, report.latest.id)
    assert version.status == "published" and version.pdf_sha256
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert version.pdf_sha256 in page
    published = db.session.scalars(
        db.select(AuditEvent)
        .where(AuditEvent.entity_type == "report_versions", AuditEvent.entity_id == version.id)
        .order_by(AuditEvent.id)
    ).all()
    moves = [(e.actor_user_id, e.changes["status"][1]) for e in published if "status" in e.changes]
    approver = version.approved_by_id
    assert moves == [(author.id, "draft"), (author.id, "submitted"), (approver, "approved"), (approver, "published")]


def test_bad_amounts_are_refused_next_to_the_field(client, auth):
    auth.as_role("staff")
    report = make_report(lines=[])
    db.session.commit()
    data = {"account_code": "1", "description": "x", "allocated": "satu juta", "realised": "1,5"}
    response = client.post(f"/reports/{report.id}/lines/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert page.count('-error">Tulis jumlah dalam rupiah bulat') == 2  # beside each field (the summary lists them too)
    assert page.count('<a href="#allocated">') == page.count('<a href="#realised">') == 1
    assert _count(BudgetLine) == 0


def test_a_published_report_cannot_be_edited_through_a_hand_made_post(client, auth):
    auth.as_role("admin")
    report = make_report(status="published")
    db.session.commit()
    line = report.latest.budget_lines[0]
    assert client.post(f"/reports/{report.id}/edit", data={"title": "Diubah"}).status_code == 409
    assert client.post(f"/reports/lines/{line.id}/delete").status_code == 409
    assert client.post(f"/reports/{report.id}/submit").status_code == 409
    db.session.expire_all()
    assert db.session.get(ReportVersion, report.latest.id).title == "Laporan tahapan perencanaan"
    assert _count(BudgetLine) == 2


def test_a_correction_needs_a_change_note(client, auth):
    auth.as_role("manager")
    report = make_report(status="published")
    db.session.commit()
    assert client.post(f"/reports/{report.id}/new-version", data={"change_note": " "}).status_code == 422
    response = client.post(f"/reports/{report.id}/new-version", data={"change_note": "Angka diperbaiki."})
    assert response.status_code == 302
    db.session.expire_all()
    assert [v.status for v in db.session.get(AccountabilityReport, report.id).versions] == ["published", "draft"]


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_budget_lines_import_from_xlsx_replaces_the_drafts_lines(client, auth):
    auth.as_role("staff")
    report = make_report()
    db.session.commit()
    data = _xlsx(
        [
            ["account_code", "description", "stage", "allocated", "realised", "variance_note"],
            ["521211", "Rapat koordinasi", "perencanaan", 45000000, 41250000, "Digabung"],
            ["521213", "Honorarium", None, "1.234.567", "Rp 1.234.567", None],
        ]
    )
    response = client.post(
        f"/reports/{report.id}/import",
        data={"file": (io.BytesIO(data), "anggaran.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    db.session.expire_all()
    lines = db.session.get(ReportVersion, report.latest.id).budget_lines
    assert [(line.account_code, line.allocated, line.realised) for line in lines] == [
        ("521211", 45_000_000, 41_250_000),
        ("521213", 1_234_567, 1_234_567),
    ]
    assert lines[0].stage.code == "perencanaan" and lines[1].stage is None


def test_a_budget_csv_with_errors_imports_nothing_and_lists_each_problem(client, auth):
    auth.as_role("staff")
    report = make_report()
    db.session.commit()
    csv_text = (
        "account_code;description;stage;allocated;realised\n"
        "521211;Rapat;perencanaan;45.000.000;41.250.000\n"
        "521212;;tahap_x;empat juta;100\n"
        ";Honor;;1000;-5\n"
    )
    response = client.post(
        f"/reports/{report.id}/import",
        data={"file": (io.BytesIO(csv_text.encode()), "anggaran.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Tidak ada yang diimpor" in page
    for problem in ("Tahapan tidak dikenal", "Tulis jumlah dalam rupiah bulat", "Sel ini wajib diisi"):
        assert problem in page
    assert page.count('<td class="num">3</td>') == 3  # line 3: description, stage, allocated
    assert page.count('<td class="num">4</td>') == 2  # line 4: account_code, realised
    db.session.expire_all()
    assert [line.description for line in db.session.get(ReportVersion, report.latest.id).budget_lines] == [
        "Rapat koordinasi",
        "Honorarium PPDP",
    ]


def test_an_unknown_column_or_a_foreign_file_is_refused(client, auth):
    auth.as_role("staff")
    report = make_report()
    db.session.commit()
    for name, data in (("a.csv", b"kode,uraian\n1,2\n"), ("a.xlsx", b"PK\x03\x04garbage")):
        response = client.post(
            f"/reports/{report.id}/import", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
        )
        assert response.status_code == 422
    assert _count(BudgetLine) == 2


def test_the_channel_log_refuses_a_bad_link_and_records_a_good_one(client, auth):
    auth.as_role("manager")
    report = make_report(status="published")
    db.session.commit()
    bad = client.post(f"/reports/{report.id}/channels", data={"channel": "instagram", "url": "javascript:alert(1)"})
    assert bad.status_code == 422
    assert "https://" in bad.get_data(as_text=True)
    unknown = client.post(f"/reports/{report.id}/channels", data={"channel": "tiktok", "posted_date": "2020-12-20"})
    assert unknown.status_code == 422
    good = client.post(
        f"/reports/{report.id}/channels",
        data={"channel": "whatsapp", "posted_date": "2020-12-20", "note": "Grup pemantau"},
    )
    assert good.status_code == 302
    page = client.get(f"/reports/{report.id}/kit").get_data(as_text=True)
    assert "Grup WhatsApp" in page and "Grup pemantau" in page


def test_the_kit_of_an_unpublished_report_says_it_is_not_ready(client, auth):
    auth.as_role("manager")
    report = make_report(status="approved")
    db.session.commit()
    assert "Laporan belum dipublikasikan" in client.get(f"/reports/{report.id}/kit").get_data(as_text=True)
    response = client.post(f"/reports/{report.id}/channels", data={"channel": "radio", "posted_date": "2020-12-20"})
    assert response.status_code == 409


def test_staff_edit_a_draft_and_a_hand_made_stage_is_refused(client, auth):
    auth.as_role("staff")
    report = make_report()
    other = factories.make_election()
    db.session.commit()
    data = {"title": "Judul baru", "narrative": "Teks", "registered_voters": "976124", "voters_turnout": "-1"}
    assert client.post(f"/reports/{report.id}/edit", data=data).status_code == 422  # a negative count
    data["voters_turnout"] = "573000"
    assert client.post(f"/reports/{report.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    version = db.session.get(ReportVersion, report.latest.id)
    assert (version.title, version.registered_voters, version.voters_turnout) == ("Judul baru", 976_124, 573_000)
    line = {**dict(account_code="1", description="x", allocated="1", realised="1"), "stage_id": other.stages[0].id}
    assert client.post(f"/reports/{report.id}/lines/new", data=line).status_code == 422
    assert _count(BudgetLine) == 2
