"""CSV and XLSX exports: streamed, translated headers, Excel-friendly UTF-8, formula injection neutralised."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from coordapp.dashboard.exports import neutralise
from coordapp.extensions import db
from tests import factories
from tests.querycount import count_queries

NASTY = ['=HYPERLINK("http://evil.example","klik")', "+62 812 000", "-5 TPS", "@SUM(A1)", "\tTab", "\rCR"]


@pytest.fixture
def data(app):
    election = factories.make_election()
    stage = next(s for s in election.stages if s.code == "kampanye")
    org = factories.make_organization(name="Bawaslu Kota Tangerang Selatan", category="supervisory")
    owner = factories.make_user("staff", name="Sari Wulandari")
    issues = [
        factories.make_issue(
            election,
            stage=stage,
            title=title,
            owner=owner,
            organizations=[org],
            priority="high",
            due_date=date(2020, 10, 1),
            created_dt=datetime(2020, 9, 28, 2, 30, tzinfo=UTC),
        )
        for title in ["Pemilih belum memiliki e-KTP", *NASTY]
    ]
    factories.make_issue(election, stage=election.stages[0], title="Kendala tahap lain")
    meeting = factories.make_meeting(election, stage=stage, title="=cmd|' /C calc'!A0", location="Aula KPU")
    db.session.commit()
    return election, stage, issues, meeting


def _csv_rows(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # a byte-order mark: Excel reads the Indonesian text as UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.mark.parametrize("value", NASTY)
def test_text_a_spreadsheet_would_run_is_neutralised(value):
    assert neutralise(value) == "'" + value
    assert neutralise("Kendala biasa") == "Kendala biasa"
    assert neutralise(-5) == -5  # numbers stay numbers


def test_issue_csv_of_a_filter(client, auth, data):
    election, stage, issues, _ = data
    auth.as_role("manager")
    response = client.get(f"/dashboard/export/issues.csv?election_id={election.id}&stage={stage.id}&priority=high")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.is_streamed
    assert 'attachment; filename="issues-' in response.headers["Content-Disposition"]
    rows = _csv_rows(response)
    header = rows[0]
    assert header[:4] == ["ID", "Judul", "Tahapan", "Status"]
    assert len(rows) == 1 + len(issues)  # the other stage's issue is filtered out
    by_title = {r[1]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    first = by_title["Pemilih belum memiliki e-KTP"]
    assert first["Tahapan"].startswith("12. Kampanye")
    assert first["Prioritas"] == "Tinggi" and first["Status"] == "Terbuka"
    assert first["Organisasi"] == "Bawaslu Kota Tangerang Selatan"
    assert first["Tenggat"] == "2020-10-01"
    assert first[header[9]] == "2020-09-28 09:30"  # raised at 02:30 UTC, shown in Jakarta time
    for value in NASTY:
        assert "'" + value in by_title  # every dangerous title starts with an apostrophe


def test_issue_xlsx_of_the_same_filter(client, auth, data):
    election, stage, issues, _ = data
    auth.as_role("admin")
    response = client.get(f"/dashboard/export/issues.xlsx?election_id={election.id}&stage={stage.id}")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert int(response.headers["Content-Length"]) == len(response.get_data())
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("ID", "Judul", "Tahapan")
    titles = [r[1] for r in rows[1:]]
    assert len(titles) == len(issues)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)  # no formula anywhere
    assert '\'=HYPERLINK("http://evil.example","klik")' in titles
    created = rows[1][9]
    assert created == datetime(2020, 9, 28, 9, 30)  # a real date cell, in Jakarta time
    assert sheet.cell(2, 10).number_format == "yyyy-mm-dd hh:mm"
    assert rows[1][7] == datetime(2020, 10, 1)  # the due date: a date cell, shown as a date only
    assert sheet.cell(2, 8).number_format == "yyyy-mm-dd"


def test_the_xlsx_sheet_has_a_filter_a_frozen_header_and_fitted_columns(client, auth, data):
    election, stage, issues, _ = data
    auth.as_role("manager")
    response = client.get(f"/dashboard/export/issues.xlsx?election_id={election.id}&stage={stage.id}")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert sheet.auto_filter.ref == f"A1:O{1 + len(issues)}"  # a filter button on every header cell
    assert sheet.freeze_panes == "A2"  # the header stays in view while scrolling
    assert sheet.cell(1, 1).font.b  # a bold header
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABFG"}
    assert widths["A"] < widths["B"]  # the id column is narrow, the titles wide enough to read
    assert widths["B"] >= len('\'=HYPERLINK("http://evil.example","klik")')
    assert widths["G"] >= len("Bawaslu Kota Tangerang Selatan")
    assert max(sheet.column_dimensions[c].width for c in "ABCDEFGHIJKLMNO") <= 61  # never wider than a screen


def test_an_empty_xlsx_export_still_has_its_header_and_filter(client, auth, data):
    election, *_ = data
    auth.as_role("manager")
    response = client.get(f"/dashboard/export/issues.xlsx?election_id={election.id}&q=nothing-matches-this")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert [c.value for c in sheet[1]][:2] == ["ID", "Judul"] and sheet.max_row == 1
    assert sheet.auto_filter.ref == "A1:O1"


def test_headers_follow_the_readers_language(client, auth, data):
    election, *_ = data
    auth.as_role("manager", language="en")
    rows = _csv_rows(client.get(f"/dashboard/export/issues.csv?election_id={election.id}"))
    assert rows[0][:4] == ["ID", "Title", "Stage", "Status"]


def test_meetings_export(client, auth, data):
    election, stage, _, meeting = data
    auth.as_role("manager")
    rows = _csv_rows(client.get(f"/dashboard/export/meetings.csv?election={election.id}&stage={stage.id}"))
    assert rows[0][:3] == ["ID", "Judul", "Jenis"]
    assert len(rows) == 2
    assert rows[1][1] == "'=cmd|' /C calc'!A0"
    assert rows[1][2] == "Rapat koordinasi" and rows[1][6] == "Aula KPU"


def test_stage_summary_export_matches_the_board(client, auth, data):
    election, stage, issues, _ = data
    auth.as_role("manager")
    rows = _csv_rows(client.get(f"/dashboard/export/stages.csv?election={election.id}"))
    assert len(rows) == 1 + 20 + 1  # header, each stage, the totals
    kampanye = next(r for r in rows if r[1].startswith("Kampanye"))
    header = rows[0]
    assert dict(zip(header, kampanye, strict=True))["Jumlah"] == str(len(issues))
    assert rows[-1][1] == "Semua tahapan" and rows[-1][header.index("Jumlah")] == str(len(issues) + 1)
    xlsx = client.get(f"/dashboard/export/stages.xlsx?election={election.id}")
    assert load_workbook(io.BytesIO(xlsx.get_data())).active.max_row == 22


def test_an_unknown_format_is_not_found(client, auth, data):
    auth.as_role("manager")
    assert client.get("/dashboard/export/issues.pdf").status_code == 404
    assert client.get("/dashboard/export/stages.json").status_code == 404


def test_without_an_election_there_is_nothing_to_export(client, auth):
    auth.as_role("manager")
    for kind in ("issues", "meetings", "stages"):
        assert client.get(f"/dashboard/export/{kind}.csv").status_code == 404


def test_a_large_export_is_sent_in_chunks(client, auth, data):
    election, stage, _, _ = data
    long_text = "Uraian panjang tentang kendala logistik. " * 60
    for n in range(120):
        factories.make_issue(election, stage=stage, title=f"Kendala {n}", description=long_text)
    db.session.commit()
    auth.as_role("manager")
    response = client.get(f"/dashboard/export/issues.csv?election_id={election.id}", buffered=False)
    chunks = [chunk for chunk in response.response if chunk]
    response.close()
    assert len(chunks) > 3  # sent as it is written, not built whole first
    assert b"".join(chunks).count(b"Kendala ") >= 120


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_runs_the_same_queries_for_few_or_many_rows(client, auth, data, fmt):
    election, stage, _, _ = data
    auth.as_role("manager")
    url = f"/dashboard/export/issues.{fmt}?election_id={election.id}"
    with count_queries() as few:
        client.get(url).get_data()
    for n in range(40):
        factories.make_issue(election, stage=election.stages[n % 20], organizations=[factories.make_organization()])
    db.session.commit()
    with count_queries() as more:
        client.get(url).get_data()
    assert more.count == few.count
