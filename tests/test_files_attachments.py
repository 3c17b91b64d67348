"""Attachments: the type comes from the content, files go only to who may read the parent, always as downloads."""

import io
import zipfile

import pytest

from coordapp.extensions import db
from coordapp.files import services
from coordapp.files.models import Attachment
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(client, meeting, name: str, data: bytes):
    return client.post(
        f"/files/meeting/{meeting.id}", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def attachments() -> list[Attachment]:
    return list(db.session.execute(db.select(Attachment)).scalars())


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 16, "image/jpeg"),
        (docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (HTML, None),
        (b"PK\x03\x04 not really a zip", None),
        (b"MZ\x90\x00", None),
    ],
)
def test_the_type_is_read_from_the_content(data, expected):
    assert services.sniff(data) == expected


def test_staff_attach_a_signed_attendance_sheet_and_download_it(client, auth):
    auth.as_role("staff")
    meeting = factories.make_meeting()
    db.session.commit()
    response = upload(client, meeting, "daftar hadir.pdf", PDF)
    assert response.status_code == 302
    (attachment,) = attachments()
    assert (attachment.content_type, attachment.size, attachment.parent_type) == (
        "application/pdf",
        len(PDF),
        "meeting",
    )
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "daftar hadir.pdf" in page
    download = client.get(f"/files/{attachment.id}/daftar hadir.pdf")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Type"] == "application/pdf"
    assert "no-store" in download.headers["Cache-Control"]


def test_html_named_pdf_is_refused_and_nothing_is_stored(client, auth):
    auth.as_role("staff")
    meeting = factories.make_meeting()
    db.session.commit()
    response = upload(client, meeting, "notulen.pdf", HTML)
    assert response.status_code == 303
    assert attachments() == []
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)  # the staff member's language: Indonesian
    assert "Hanya berkas PDF, PNG, JPEG, Word (.docx) dan Excel (.xlsx) yang dapat dilampirkan." in page


def test_a_name_that_lies_about_the_content_is_refused(client, auth):
    auth.as_role("staff")
    meeting = factories.make_meeting()
    db.session.commit()
    assert upload(client, meeting, "foto.png", PDF).status_code == 303
    assert attachments() == []


def test_a_file_over_the_limit_is_refused(app, client, auth):
    app.config["FILES_MAX_BYTES"] = 1024
    auth.as_role("staff")
    meeting = factories.make_meeting()
    db.session.commit()
    assert upload(client, meeting, "besar.pdf", PDF + b"0" * 2048).status_code == 303
    assert attachments() == []


def test_an_unknown_parent_is_404(client, auth):
    auth.as_role("staff")
    assert upload(client, type("M", (), {"id": 999})(), "a.pdf", PDF).status_code == 404
    response = client.post("/files/report/1", data={"file": (io.BytesIO(PDF), "a.pdf")})
    assert response.status_code == 404


def _stored(meeting, **overrides) -> Attachment:
    staff = factories.make_user("staff")
    attachment = services.attach("meeting", meeting, "foto.png", PNG, staff, meeting.created_dt)
    for key, value in overrides.items():
        setattr(attachment, key, value)
    db.session.commit()
    return attachment


def test_the_public_reads_a_file_only_when_it_and_its_meeting_are_public(client):
    meeting = factories.make_meeting()
    attachment = _stored(meeting)
    url = f"/files/{attachment.id}/foto.png"
    assert client.get(url).status_code == 403  # internal file of an internal meeting
    attachment.is_public = True
    db.session.commit()
    assert client.get(url).status_code == 403  # the meeting is not published
    meeting.is_public = True
    db.session.commit()
    response = client.get(url)
    assert response.status_code == 200 and response.data == PNG
    attachment.is_public = False
    db.session.commit()
    assert client.get(url).status_code == 403


def test_a_user_who_may_not_read_the_parent_gets_403(client, auth, monkeypatch):
    meeting = factories.make_meeting()
    attachment = _stored(meeting)
    auth.as_role("staff")
    # Every staff member reads every meeting today; a parent kind with a narrower rule (a report draft,
    # managers only) is refused through the same single check.
    kind = services.PARENTS["meeting"]
    narrower = services.ParentKind(kind.model, kind.is_public, lambda user, parent: user.role == "manager")
    monkeypatch.setitem(services.PARENTS, "meeting", narrower)
    assert client.get(f"/files/{attachment.id}/foto.png").status_code == 403


def test_staff_publish_an_attachment(client, auth):
    auth.as_role("staff")
    meeting = factories.make_meeting()
    attachment = _stored(meeting)
    assert client.post(f"/files/{attachment.id}/public", data={"is_public": "y"}).status_code == 302
    db.session.refresh(attachment)
    assert attachment.is_public


def test_exports_link_the_attachments(client, auth):
    auth.as_role("manager")
    meeting = factories.make_meeting()
    _stored(meeting)
    issue = factories.make_issue(meeting.election)
    services.attach("issue", issue, "notulen.pdf", PDF, None, meeting.created_dt)
    db.session.commit()
    meetings = client.get(f"/dashboard/export/meetings.csv?election={meeting.election_id}").get_data(as_text=True)
    issues = client.get(f"/dashboard/export/issues.csv?election_id={meeting.election_id}").get_data(as_text=True)
    (photo,) = [a for a in attachments() if a.parent_type == "meeting"]
    (minutes,) = [a for a in attachments() if a.parent_type == "issue"]
    assert f"/files/{photo.id}/foto.png" in meetings and "notulen.pdf" not in meetings
    assert f"/files/{minutes.id}/notulen.pdf" in issues
