"""Attachments on accountability reports: managers add them, staff read them, the public only published ones."""

import io

from coordapp.demo.extensions import seed_report_files
from coordapp.extensions import db
from coordapp.files import services
from coordapp.files.models import Attachment
from coordapp.reports.demo import seed_demo_reports
from tests import factories
from tests.reports_support import make_report
from tests.test_files_attachments import HTML, PDF, PNG


def upload(client, report, name: str, data: bytes):
    return client.post(
        f"/files/report/{report.id}", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def stored() -> list[Attachment]:
    return list(db.session.execute(db.select(Attachment)).scalars())


def _report_with_file(status: str, *, public: bool) -> tuple:
    report = make_report(status=status)
    db.session.flush()
    attachment = services.attach("report", report, "lampiran anggaran.pdf", PDF, None, report.created_dt)
    attachment.is_public = public
    db.session.commit()
    return report, attachment, f"/files/{attachment.id}/lampiran anggaran.pdf"


def test_a_manager_attaches_a_file_on_the_report_page_and_staff_download_it(client, auth):
    report = make_report()
    db.session.commit()
    auth.as_role("manager")
    response = upload(client, report, "berita acara.pdf", PDF)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/reports/{report.id}#attachments")
    (attachment,) = stored()
    assert (attachment.parent_type, attachment.parent_id, attachment.content_type) == (
        "report",
        report.id,
        "application/pdf",
    )
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "berita acara.pdf" in page and f"/files/report/{report.id}" in page  # listed, with the upload form
    client.post("/auth/logout")
    auth.as_role("staff")
    staff_page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "berita acara.pdf" in staff_page and f"/files/report/{report.id}" not in staff_page
    download = client.get(f"/files/{attachment.id}/berita acara.pdf")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_staff_may_not_upload_to_a_report_or_publish_its_files(client, auth):
    report, attachment, _ = _report_with_file("draft", public=False)
    auth.as_role("staff")
    assert upload(client, report, "surat.pdf", PDF).status_code == 403
    assert client.post(f"/files/{attachment.id}/public", data={"is_public": "y"}).status_code == 403
    assert len(stored()) == 1
    db.session.refresh(attachment)
    assert not attachment.is_public


def test_html_named_pdf_is_refused_on_a_report(client, auth):
    report = make_report()
    db.session.commit()
    auth.as_role("manager")
    assert upload(client, report, "anggaran.pdf", HTML).status_code == 303
    assert stored() == []
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "Hanya berkas PDF, PNG, JPEG, Word (.docx) dan Excel (.xlsx) yang dapat dilampirkan." in page


def test_anonymous_visitors_get_nothing_of_an_unpublished_report(client):
    report, attachment, url = _report_with_file("approved", public=True)
    assert client.get(url).status_code == 403  # marked public, but no version is published
    assert client.get(f"/public/reports/{report.id}").status_code == 404


def test_anonymous_visitors_get_no_internal_file_of_a_published_report(client):
    report, attachment, url = _report_with_file("published", public=False)
    assert client.get(url).status_code == 403
    page = client.get(f"/public/reports/{report.id}").get_data(as_text=True)
    assert "lampiran anggaran.pdf" not in page


def test_a_public_file_of_a_published_report_is_on_its_public_page(client, auth):
    report, attachment, url = _report_with_file("published", public=False)
    auth.as_role("manager")
    assert client.post(f"/files/{attachment.id}/public", data={"is_public": "y"}).status_code == 302
    client.post("/auth/logout")
    visitor = client.application.test_client()
    page = visitor.get(f"/public/reports/{report.id}").get_data(as_text=True)
    assert "lampiran anggaran.pdf" in page and f"/files/{attachment.id}/" in page
    download = visitor.get(url)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_making_a_file_public_changes_the_public_page_s_etag(client):
    report, attachment, _ = _report_with_file("published", public=False)
    before = client.get(f"/public/reports/{report.id}").headers["ETag"]
    attachment.is_public = True
    db.session.commit()
    after = client.get(f"/public/reports/{report.id}", headers={"If-None-Match": before})
    assert after.status_code == 200 and "lampiran anggaran.pdf" in after.get_data(as_text=True)


def test_the_preview_lists_the_files_marked_public(client, auth):
    report = make_report()
    db.session.flush()
    services.attach("report", report, "foto.png", PNG, None, report.created_dt).is_public = True
    services.attach("report", report, "internal.pdf", PDF, None, report.created_dt)
    db.session.commit()
    auth.as_role("staff")
    page = client.get(f"/reports/{report.id}/preview").get_data(as_text=True)
    assert "foto.png" in page and "internal.pdf" not in page


def test_the_demo_s_first_report_shows_its_public_file_and_keeps_the_photo_internal(client):
    election = factories.make_election()
    factories.make_user("manager")
    factories.make_user("admin")
    made = seed_demo_reports(election)
    assert seed_report_files(made) == 2
    db.session.commit()
    page = client.get(f"/public/reports/{made[0].id}").get_data(as_text=True)
    assert "berita-acara-pleno.pdf" in page and "foto-pleno.png" not in page
    (public,) = [a for a in stored() if a.is_public]
    download = client.get(f"/files/{public.id}/{public.filename}")
    assert download.status_code == 200 and services.sniff(download.data) == "application/pdf"
