"""No input breaks a page: bounded numbers and dates, control characters, header-safe names, Unicode names."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from coordapp.core.validation import clean_text, fold_key, is_header_safe, parse_date, parse_id, parse_int
from coordapp.extensions import db
from coordapp.issues.models import Issue
from coordapp.meetings.models import Meeting
from coordapp.reminders.models import ReminderDelivery
from coordapp.stakeholders.models import Contact, Organization
from tests import factories, hostile

EVERY_CONTROL = "".join(chr(c) for c in [*range(0 if not hostile.ON_POSTGRES else 1, 32), *range(127, 160)])


@pytest.mark.parametrize("value", ["²", "٣", "9" * 20, "9" * 4400, "2147483648", "1e3", "0x1", "", None, "-1", "1.0"])
def test_an_id_that_no_row_can_have_is_none(value):
    assert parse_id(value) is None


def test_ids_and_numbers_within_bounds_are_read():
    assert (parse_id(" 42 "), parse_id("2147483647"), parse_int("-3", low=-5)) == (42, 2147483647, -3)


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01", "2020-02-30", "2020-1-1"])
def test_dates_outside_1900_2100_or_malformed_are_none(value):
    assert parse_date(value) is None


def test_text_keeps_tab_and_newline_and_loses_every_other_control():
    assert clean_text("a\tb\r\nc\rd" + EVERY_CONTROL + "e") == "a\tb\nc\nd\t\n\ne"
    assert not is_header_safe("Budi\r\nBcc: x@example.org") and is_header_safe("Budi Örmas")


def test_names_fold_by_unicode_case():
    assert fold_key("  Örmas   Ujicoba ") == fold_key("örmas ujicoba") == fold_key("ÖRMAS UJICOBA")
    assert fold_key("Straße") == fold_key("STRASSE")


@pytest.mark.parametrize(
    "path",
    [
        "/issues/?owner=²",
        "/issues/?owner=" + "9" * 4400,
        "/issues/?stage=99999999999999999999&organization=-1&election_id=٣",
        "/meetings/?date_from=0001-01-01&date_to=9999-12-31&page=99999999999999999999",
        "/meetings/?view=week&stage=" + "9" * 20,
        "/stakeholders/?page=²",
        "/dashboard/?election=99999999999999999999",
        "/dashboard/scorecard?start=0001-01-01&end=9999-12-31",
        "/audit/?entity_id=99999999999999999999&date_from=9999-12-31",
        "/?election=" + "9" * 30,
    ],
)
def test_hand_edited_filters_never_answer_500(client, auth, path):
    factories.make_election()
    auth.as_role("admin")
    assert client.get(path).status_code in (200, 400, 422)


@pytest.mark.parametrize("path", ["/issues/99999999999999999999", "/meetings/99999999999999999999.ics"])
def test_a_20_digit_id_is_not_found(client, auth, path):
    auth.as_role("manager")
    assert client.get(path).status_code == 404


def test_a_nul_in_a_posted_title_is_dropped_before_the_database_sees_it(client, auth):
    election = factories.make_election()
    user = auth.as_role("manager")
    data = {"election_id": election.id, "title": "Judul\x00dari\x0bWord\x1b", "priority": "normal", "owner_id": user.id}
    response = client.post("/issues/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert db.session.execute(db.select(Issue.title)).scalar_one() == "JuduldariWord"


def test_a_meeting_in_the_year_9999_is_refused_with_a_message(client, auth):
    election = factories.make_election()
    auth.as_role("manager")
    data = {"title": "Rapat", "election_id": election.id, "kind": "rakor", "start": "9999-12-31T10:00"}
    response = client.post("/meetings/new", data=data)
    assert response.status_code == 422
    assert "Masukkan tanggal antara tahun 1900 dan 2100." in response.get_data(as_text=True)
    assert db.session.execute(db.select(Meeting)).first() is None


def test_a_line_break_in_a_contact_name_is_refused(client, auth):
    org = factories.make_organization()
    db.session.commit()
    auth.as_role("staff")
    data = {
        "name": "Budi\r\nBcc: x@example.org",
        "email": "budi@example.org",
        "language": "id",
        "reminder_mode": "daily",
    }
    response = client.post(f"/stakeholders/{org.id}/contacts/new", data=data)
    assert response.status_code == 422
    assert "Pindah baris dan karakter kontrol tidak diperbolehkan di sini." in response.get_data(as_text=True)
    assert db.session.execute(db.select(Contact).filter_by(email="budi@example.org")).first() is None


def test_a_reply_notice_about_a_contact_whose_name_holds_a_line_break_is_sent(app, client):
    from coordapp.reminders import outbox

    owner = factories.make_user("staff")
    contact = factories.make_contact(name="Budi\r\nPenghubung")  # saved before names were checked
    issue = factories.make_issue(owner=owner, status="waiting")
    issue.contacts.append(contact)
    token = factories.make_reply_token(contact, [issue])
    db.session.commit()
    client.post(f"/reminders/r/{token}", data={f"answer_{issue.id}": "Sedang diproses."})
    notice = db.session.execute(db.select(ReminderDelivery).filter_by(kind="reply_notice")).scalar_one()
    assert outbox.send(notice.id) == "sent"
    (message,) = app.extensions["mailman"].outbox
    assert "Budi Penghubung" in message.subject and "\n" not in message.subject


def _import(client, text: str):
    data = {"file": (io.BytesIO(text.encode()), "register.csv")}
    return client.post("/stakeholders/import", data=data, content_type="multipart/form-data")


def test_an_organization_with_a_non_ascii_name_imported_twice_is_one_organization(client, auth):
    auth.as_role("admin")
    header = "organization_name,category,contact_email,contact_name\n"
    assert _import(client, header + "Örmas Ujicoba,community,a@example.org,Ani\n").status_code == 302
    assert _import(client, header + "Örmas Ujicoba,community,a@example.org,Ani\n").status_code == 302
    assert _import(client, header + "örmas  ujicoba,,b@example.org,Badu\n").status_code == 302
    (org,) = db.session.execute(db.select(Organization)).scalars().all()
    assert org.name == "Örmas Ujicoba" and sorted(c.email for c in org.contacts) == ["a@example.org", "b@example.org"]


def test_an_import_refuses_a_line_break_in_a_contact_name(client, auth):
    auth.as_role("admin")
    response = _import(
        client, 'organization_name,category,contact_email,contact_name\nOrmas,community,a@x.org,"A\nB"\n'
    )
    assert response.status_code == 422
    assert "Pindah baris dan karakter kontrol tidak diperbolehkan di sini." in response.get_data(as_text=True)
    assert db.session.execute(db.select(Organization)).first() is None


def test_the_form_refuses_a_second_organization_differing_only_in_unicode_case(client, auth):
    factories.make_organization(name="Örmas Ujicoba")
    db.session.commit()
    auth.as_role("staff")
    response = client.post("/stakeholders/new", data={"name": "ÖRMAS UJICOBA", "category": "community"})
    assert response.status_code == 422
    assert db.session.execute(db.select(db.func.count()).select_from(Organization)).scalar() == 1


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_exports_of_rows_holding_every_control_character(client, auth, fmt):
    election = factories.make_election()
    factories.make_issue(election, title="Judul" + EVERY_CONTROL + "akhir", description=EVERY_CONTROL)
    factories.make_meeting(election, title="Rapat" + EVERY_CONTROL, start_dt=datetime(9999, 12, 31, 20, tzinfo=UTC))
    db.session.commit()
    auth.as_role("manager")
    for kind in ("issues", "meetings"):
        response = client.get(f"/dashboard/export/{kind}.{fmt}?election_id={election.id}&election={election.id}")
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        if fmt == "xlsx":
            sheet = load_workbook(io.BytesIO(response.get_data())).active
            cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
        else:
            assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
            cells = [c for row in csv.reader(io.StringIO(response.get_data(as_text=True))) for c in row]
        text = "".join(cells)
        assert ("Judulakhir" if kind == "issues" else "Rapat") in "".join(ch for ch in text if ch not in "\t\n\r")
        assert not any(ch in text for ch in EVERY_CONTROL if ch not in "\t\n\r")


def test_every_personal_response_says_no_store(client, auth):
    meeting = factories.make_meeting()
    db.session.commit()
    auth.as_role("manager")
    for path in (f"/meetings/{meeting.id}.ics", "/stakeholders/export.csv", "/healthz"):
        response = client.get(path)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store", path
    # the issue list is revalidated (ETag): kept by this browser only, asked for again every time
    assert client.get("/issues/").headers["Cache-Control"] == "private, no-cache"
    assert client.get("/stakeholders/export.csv").headers["Content-Type"] == "text/csv; charset=utf-8"


def test_the_week_view_shows_a_meeting_on_the_last_day_of_9999(client, auth):
    election = factories.make_election()
    factories.make_meeting(election, title="Rapat akhir zaman", start_dt=datetime(9999, 12, 31, 20, tzinfo=UTC))
    factories.make_meeting(election, title="Rapat awal", start_dt=datetime(1, 1, 1, tzinfo=UTC))
    db.session.commit()
    auth.as_role("staff")
    response = client.get(f"/meetings/?election={election.id}&view=week")
    assert response.status_code == 200 and "Rapat akhir zaman" in response.get_data(as_text=True)


def test_an_issue_due_in_the_year_9999_is_refused(client, auth):
    election = factories.make_election()
    user = auth.as_role("manager")
    data = {
        "election_id": election.id,
        "title": "T",
        "priority": "normal",
        "owner_id": user.id,
        "due_date": "9999-12-31",
    }
    assert client.post("/issues/new", data=data).status_code == 422
    assert date(9999, 12, 31) not in db.session.execute(db.select(Issue.due_date)).scalars().all()
