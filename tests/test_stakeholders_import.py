"""CSV import of the register: the service, the command line and the admin page."""

import io
import re
import zipfile
from datetime import UTC
from pathlib import Path

import pytest
from flask_babel import force_locale

from coordapp.audit.models import AuditEvent
from coordapp.extensions import db
from coordapp.stakeholders import importer
from coordapp.stakeholders.models import Contact, Organization
from tests.factories import make_contact, make_organization

HEADER = (
    "organization_name,organization_short_name,category,influence,interest,"
    "contact_name,contact_position,contact_email,contact_phone,contact_language,reminder_mode"
)
GOOD = f"""{HEADER}
Bawaslu Kota Tangerang Selatan,Bawaslu,supervisory,5,5,Rina Wulandari,Koordinator Divisi,rina@bawaslu.example.org,+62 21 555 0101,id,daily
Bawaslu Kota Tangerang Selatan,Bawaslu,supervisory,5,5,Agus Setiawan,Staf Hukum,Agus@Bawaslu.example.org,,en,immediate
"Dinas Kependudukan dan Pencatatan Sipil","Disdukcapil",government,4,3,"Budi Santoso","Kepala Bidang, Pelayanan",budi@tangsel.example.org,,,
KPU Provinsi Banten,,election_body,4,4,,,,,,
"""  # noqa: E501 - one register line per contact, as a spreadsheet writes it


def _counts() -> tuple[int, int]:
    return (
        db.session.scalar(db.select(db.func.count(Organization.id))),
        db.session.scalar(db.select(db.func.count(Contact.id))),
    )


def _import(text: str, encoding: str = "utf-8") -> importer.ImportResult:
    with force_locale("en"):
        return importer.import_file(text.encode(encoding))


def _problems(data: bytes) -> list[importer.Problem]:
    with force_locale("en"), pytest.raises(importer.ImportFailed) as failed:
        importer.import_file(data)
    db.session.rollback()
    return failed.value.problems


def test_import_creates_organizations_and_contacts(app):
    result = _import(GOOD)
    db.session.commit()
    assert (result.lines, result.organizations_created, result.contacts_created) == (4, 3, 3)
    bawaslu = db.session.execute(db.select(Organization).filter_by(short_name="Bawaslu")).scalar_one()
    assert (bawaslu.category, bawaslu.influence, bawaslu.interest) == ("supervisory", 5, 5)
    assert [c.email for c in bawaslu.contacts] == ["agus@bawaslu.example.org", "rina@bawaslu.example.org"]
    budi = db.session.execute(db.select(Contact).filter_by(email="budi@tangsel.example.org")).scalar_one()
    assert (budi.position, budi.language, budi.reminder_mode) == ("Kepala Bidang, Pelayanan", "id", "daily")
    assert _counts() == (3, 3)


def test_a_second_import_updates_instead_of_duplicating(app):
    _import(GOOD)
    db.session.commit()
    changed = GOOD.replace("Staf Hukum", "Kepala Sub Bagian Hukum").replace("government,4,3", "government,5,3")
    result = _import(changed)
    db.session.commit()
    assert _counts() == (3, 3)
    assert (result.organizations_created, result.organizations_updated) == (0, 1)
    assert (result.contacts_created, result.contacts_updated) == (0, 1)
    agus = db.session.execute(db.select(Contact).filter_by(email="agus@bawaslu.example.org")).scalar_one()
    assert agus.position == "Kepala Sub Bagian Hukum"


def test_contacts_match_by_email_whatever_the_case_and_an_empty_cell_keeps_the_value(app):
    contact = make_contact(email="rina@bawaslu.example.org", name="Rina W.", phone="021 111", reminder_mode="off")
    db.session.commit()
    _import(f"{HEADER}\nBawaslu Kota Tangerang Selatan,,supervisory,,,,,RINA@BAWASLU.EXAMPLE.ORG,,,\n")
    db.session.commit()
    db.session.refresh(contact)
    assert (contact.name, contact.phone, contact.reminder_mode) == ("Rina W.", "021 111", "off")
    assert contact.organization.name == "Bawaslu Kota Tangerang Selatan"  # moved to the organization of its line
    assert _counts() == (2, 1)


def test_utf8_with_bom_and_semicolons_as_excel_writes_them(app):
    text = "\ufeff" + GOOD.replace(",", ";").replace('"Kepala Bidang; Pelayanan"', '"Kepala Bidang, Pelayanan"')
    result = _import(text)
    assert result.contacts_created == 3
    assert (
        db.session.execute(db.select(Contact).filter_by(email="budi@tangsel.example.org")).scalar_one().position
        == "Kepala Bidang, Pelayanan"
    )


def test_indonesian_names_survive(app):
    _import(
        f"{HEADER}\nForum Kerukunan Umat Beragama – FKUB,FKUB,community,2,3,"
        "Ust. Ahmad Fauzi,Ketua,fauzi@fkub.example.org,,,\n"
    )
    assert db.session.execute(db.select(Organization.name)).scalar_one() == "Forum Kerukunan Umat Beragama – FKUB"


def test_a_bad_line_imports_nothing_and_names_the_line(app):
    bad = GOOD.replace("budi@tangsel.example.org", "budi(at)tangsel")
    problems = _problems(bad.encode())
    assert [(p.line, p.column) for p in problems] == [(4, "contact_email")]
    with force_locale("en"):
        assert str(problems[0]) == "Line 4, column contact_email: This is not a valid email address."
    assert _counts() == (0, 0)
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id))) == 0


def test_every_problem_is_reported_at_once(app):
    text = f"""{HEADER}
,,supervisory,9,x,,,,,,
Pemkot,,aliens,3,3,Ani,,ani@example.org,call me,fr,weekly
"""
    found = {(p.line, p.column) for p in _problems(text.encode())}
    assert found == {
        (2, "organization_name"),
        (2, "influence"),
        (2, "interest"),
        (3, "category"),
        (3, "contact_phone"),
        (3, "contact_language"),
        (3, "reminder_mode"),
    }


def test_line_numbers_count_quoted_line_breaks_and_blank_lines(app):
    text = (
        f'{HEADER},organization_notes\n\nPemkot,,government,3,3,,,,,,,"two\nlines"\nPemkot,,government,3,3,X,,bad,,,,\n'
    )
    assert [(p.line, p.column) for p in _problems(text.encode())] == [(5, "contact_email")]


def test_a_new_organization_needs_a_category_and_a_new_contact_a_name(app):
    text = f"{HEADER}\nOrganisasi Baru,,,,,,,baru@example.org,,,\n"
    assert [(p.line, p.column) for p in _problems(text.encode())] == [(2, "category"), (2, "contact_name")]
    make_organization(name="Organisasi Baru")
    make_contact(email="baru@example.org")
    db.session.commit()
    assert _import(text).contacts_updated == 1  # both exist now: the empty cells keep their values


def test_the_same_email_twice_and_an_organization_described_twice_differently(app):
    text = f"""{HEADER}
Pemkot,,government,3,3,Ani,,ani@example.org,,,
Pemkot,,government,4,3,Ani Lagi,,ANI@example.org,,,
"""
    assert {(p.line, p.column) for p in _problems(text.encode())} == {(3, "influence"), (3, "contact_email")}


@pytest.mark.parametrize(
    "header, column, message",
    [
        ("organization_name,contact_emial", "contact_emial", "Unknown column"),
        ("organization_short_name,category", "organization_name", "This column is missing."),
        ("organization_name,category,Category", "category", "This column appears twice."),
    ],
)
def test_header_problems(app, header, column, message):
    problems = _problems(f"{header}\nx,y,z\n".encode())
    assert problems[0].line == 1 and problems[0].column == column and message in problems[0].message


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is not a text file."),
        ("organization_name\nCafé".encode("utf-16"), "This is not a text file."),
    ],
)
def test_files_that_are_not_csv_text(app, data, message):
    assert message in _problems(data)[0].message


def test_an_excel_workbook_gets_a_clear_error(app):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as workbook:
        workbook.writestr("[Content_Types].xml", "<Types/>")
    problems = _problems(buffer.getvalue())
    assert problems[0].line is None and "spreadsheet workbook, not a CSV file" in problems[0].message


def test_latin1_text_names_the_line_that_is_not_utf8(app):
    data = f"{HEADER}\nPemkot,,government,3,3,,,,,,\nKecamatan Serpong Café,,government,3,3,,,,,,\n".encode("latin-1")
    problems = _problems(data)
    assert (problems[0].line, problems[0].column) == (3, "")
    assert "UTF-8" in problems[0].message


def test_broken_quotes_and_too_many_cells(app):
    assert _problems(f'{HEADER}\n"Pemkot,,government,3,3,,,,,,\n'.encode())[0].message.startswith("The quotes")
    problems = _problems(f"{HEADER}\nPemkot,,government,3,3,,,,,,,extra\n".encode())
    assert (problems[0].line, problems[0].message) == (2, "This line has 12 cells; the header has 11.")


def test_header_only_and_too_many_lines(app, monkeypatch):
    assert "no data lines" in _problems(f"{HEADER}\n".encode())[0].message
    monkeypatch.setattr(importer, "MAX_LINES", 2)
    assert "more than 2 lines" in _problems(GOOD.encode())[0].message


def test_cells_protected_by_the_export_come_back_as_they_were(app):
    _import(f"{HEADER}\nPemkot,,government,3,3,Ani,,ani@example.org,'+62 21 555,,\n")
    assert db.session.execute(db.select(Contact.phone)).scalar_one() == "+62 21 555"


def test_import_never_lifts_an_unsubscribe(app):
    from datetime import datetime

    contact = make_contact(email="ani@example.org", unsubscribed_dt=datetime(2020, 10, 1, tzinfo=UTC))
    db.session.commit()
    _import(f"{HEADER}\nPemkot,,government,3,3,Ani,,ani@example.org,,,daily\n")
    db.session.commit()
    db.session.refresh(contact)
    assert contact.unsubscribed_dt is not None


# --- the command line ---------------------------------------------------------------------------


def _write(tmp_path, text: str | bytes, name: str = "register.csv"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return str(path)


def test_cli_imports_with_a_progress_bar(runner, tmp_path):
    result = runner.invoke(args=["import-stakeholders", _write(tmp_path, GOOD)])
    assert result.exit_code == 0, result.output
    assert "4 lines: 3 organizations created, 0 updated; 3 contacts created, 0 updated." in result.output
    assert "4/4" in result.output and "100%" in result.output  # tqdm's bar on stderr
    db.session.expire_all()
    assert _counts() == (3, 3)
    event = db.session.execute(db.select(AuditEvent).filter_by(entity_type="organizations")).scalars().first()
    assert (event.actor_user_id, event.actor_label) == (None, "import-stakeholders register.csv")


def test_cli_second_run_updates(runner, tmp_path):
    path = _write(tmp_path, GOOD)
    runner.invoke(args=["import-stakeholders", path])
    result = runner.invoke(args=["import-stakeholders", path])
    assert result.exit_code == 0
    assert "0 organizations created, 0 updated; 0 contacts created, 0 updated." in result.output
    db.session.expire_all()
    assert _counts() == (3, 3)


def test_cli_bad_line_fails_and_imports_nothing(runner, tmp_path):
    result = runner.invoke(
        args=["import-stakeholders", _write(tmp_path, GOOD.replace("government,4,3", "government,4,7"))]
    )
    assert result.exit_code == 1
    assert "Line 4, column interest: Use a whole number from 1 to 5." in result.output
    assert "Nothing was imported: 1 problem(s) in the file." in result.output
    db.session.expire_all()
    assert _counts() == (0, 0)


def test_cli_messages_in_indonesian(runner, tmp_path):
    result = runner.invoke(args=["import-stakeholders", "--language", "id", _write(tmp_path, b"PK\x03\x04zip")])
    assert result.exit_code == 1
    assert "Tidak ada yang diimpor" in result.output


def test_cli_dry_run_changes_nothing(runner, tmp_path):
    result = runner.invoke(args=["import-stakeholders", "--dry-run", _write(tmp_path, GOOD)])
    assert result.exit_code == 0
    assert "nothing was imported yet" in result.output and "3 organizations created" in result.output
    db.session.expire_all()
    assert _counts() == (0, 0)


def test_cli_refuses_a_file_over_the_size_limit(runner, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "MAX_BYTES", 100)
    result = runner.invoke(args=["import-stakeholders", _write(tmp_path, GOOD)])
    assert result.exit_code == 1 and "larger than" in result.output


# --- the admin page -----------------------------------------------------------------------------


def _upload(client, data: bytes, name: str = "register.csv", **extra):
    return client.post(
        "/stakeholders/import", data={"file": (io.BytesIO(data), name), **extra}, content_type="multipart/form-data"
    )


def test_admin_imports_a_file(client, auth):
    auth.as_role("admin", language="en")
    response = _upload(client, GOOD.encode("utf-8-sig"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/stakeholders/")
    page = client.get("/stakeholders/").get_data(as_text=True)
    assert "Import done. 4 lines: 3 organizations created" in page
    assert "Bawaslu Kota Tangerang Selatan" in page
    assert _counts() == (3, 3)


def test_a_bad_file_on_the_page_lists_the_line_and_imports_nothing(client, auth):
    auth.as_role("admin", language="en")
    response = _upload(client, GOOD.replace("rina@bawaslu.example.org", "rina@").encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was imported. Correct these problems and upload the file again." in page
    assert (
        '<td class="num">2</td><td><code>contact_email</code></td><td>This is not a valid email address.</td>' in page
    )
    assert _counts() == (0, 0)


def test_the_page_in_indonesian(client, auth):
    auth.as_role("admin")
    page = _upload(client, f"{HEADER}\nPemkot,,government,3,9,,,,,,\n".encode()).get_data(as_text=True)
    assert "Baris" in page and "Gunakan bilangan bulat dari 1 sampai 5." in page


def test_a_workbook_or_no_file_on_the_page(client, auth):
    auth.as_role("admin", language="en")
    response = _upload(client, b"PK\x03\x04rest-of-zip", name="register.xlsx")
    assert response.status_code == 422 and "spreadsheet workbook, not a CSV file" in response.get_data(as_text=True)
    response = client.post("/stakeholders/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Choose a CSV file to import." in response.get_data(as_text=True)


def test_an_oversize_upload_gets_a_clear_error(client, auth, monkeypatch):
    auth.as_role("admin", language="en")
    monkeypatch.setattr(importer, "MAX_BYTES", 200)
    response = _upload(client, GOOD.encode())
    assert response.status_code == 422
    assert "The file is larger than 0 KB; split it." in response.get_data(as_text=True)
    assert _counts() == (0, 0)


def _ticket(page: str) -> str:
    match = re.search(r'name="ticket" type="hidden" value="([^"]+)"', page) or re.search(
        r'type="hidden" name="ticket" value="([^"]+)"', page
    )
    assert match, "the checked page offers no import of the kept file"
    return match.group(1)


def test_check_only_imports_nothing(client, auth):
    auth.as_role("admin", language="en")
    response = _upload(client, GOOD.encode(), dry_run="y")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "The file is correct; nothing was imported yet." in page
    assert "Import register.csv now" in page
    assert _counts() == (0, 0)


def test_a_checked_file_is_imported_without_choosing_it_again_and_only_once(client, auth):
    auth.as_role("admin", language="en")
    ticket = _ticket(_upload(client, GOOD.encode(), dry_run="y").get_data(as_text=True))
    response = client.post("/stakeholders/import/checked", data={"ticket": ticket})
    assert response.status_code == 302 and response.headers["Location"].endswith("/stakeholders/")
    assert "Import done. 4 lines: 3 organizations created" in client.get("/stakeholders/").get_data(as_text=True)
    assert _counts() == (3, 3)
    again = client.post("/stakeholders/import/checked", data={"ticket": ticket}, follow_redirects=True)
    assert "The checked file is no longer kept" in again.get_data(as_text=True)
    assert _counts() == (3, 3)


def test_a_checked_file_is_for_whoever_checked_it_and_a_forged_ticket_opens_nothing(client, auth):
    auth.as_role("admin", language="en")
    ticket = _ticket(_upload(client, GOOD.encode(), dry_run="y").get_data(as_text=True))
    auth.logout()
    auth.as_role("admin", language="en")  # another admin
    for forged in (ticket, ticket[:-3] + "abc", "", "../../etc/passwd"):
        page = client.post("/stakeholders/import/checked", data={"ticket": forged}, follow_redirects=True)
        assert "The checked file is no longer kept" in page.get_data(as_text=True), forged
    assert _counts() == (0, 0)


def test_a_checked_file_expires_and_is_swept(app, client, auth):
    from coordapp.core import held_uploads

    auth.as_role("admin", language="en")
    folder = Path(app.instance_path) / "held-uploads"
    before = set(folder.glob("*.upload"))
    ticket = _ticket(_upload(client, GOOD.encode(), dry_run="y").get_data(as_text=True))
    (kept,) = set(folder.glob("*.upload")) - before
    app.config["HELD_UPLOAD_SECONDS"] = -1  # the hour has passed
    page = client.post("/stakeholders/import/checked", data={"ticket": ticket}, follow_redirects=True)
    assert "The checked file is no longer kept" in page.get_data(as_text=True)
    with app.test_request_context():
        held_uploads.keep(b"x", "x.csv", purpose="test", user_id=1)  # keeping sweeps what ran out
    assert not kept.exists() and len(list(folder.glob("*.upload"))) == 1  # only the one just kept
    assert _counts() == (0, 0)


def test_a_checked_file_that_no_longer_passes_imports_nothing(client, auth, monkeypatch):
    auth.as_role("admin", language="en")
    ticket = _ticket(_upload(client, GOOD.encode(), dry_run="y").get_data(as_text=True))
    monkeypatch.setattr(importer, "MAX_LINES", 1)  # a rule that changed between the check and the import
    response = client.post("/stakeholders/import/checked", data={"ticket": ticket})
    assert response.status_code == 422
    assert "Nothing was imported." in response.get_data(as_text=True)
    assert _counts() == (0, 0)


def test_import_page_documents_the_columns_and_offers_a_template(client, auth):
    auth.as_role("admin", language="en")
    page = client.get("/stakeholders/import").get_data(as_text=True)
    for column in importer.COLUMNS:
        assert f"<code>{column}</code>" in page
    template = client.get("/stakeholders/import/template.csv")
    assert template.mimetype == "text/csv"
    with force_locale("en"):
        lines = importer.parse(template.data)
    assert len(lines) == 2


def test_upload_without_csrf_token_is_refused(csrf_app):
    from tests.conftest import AuthActions
    from tests.factories import make_user

    client = csrf_app.test_client()
    user = make_user("admin")
    db.session.commit()
    login_page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
    AuthActions(client).login(user, csrf_token=token)
    response = _upload(client, GOOD.encode())
    assert response.status_code == 400
    assert client.post("/stakeholders/import/checked", data={"ticket": "x"}).status_code == 400
    assert _counts() == (0, 0)
