"""Public report pages: the newest version, older ones, the PDF, the kit, and what the portal reads; no person shown."""

import hashlib
import io
from datetime import date

from flask import render_template
from PIL import Image

from coordapp.core.visibility import public_report
from coordapp.extensions import db
from coordapp.files.storage import store
from coordapp.reports import kit, services
from coordapp.reports.demo import seed_demo_reports
from coordapp.reports.models import ReportVersion
from coordapp.reports.publications import budget_lines_rows, public_reports, report_publications, report_rows
from tests import factories
from tests.reports_support import make_report
from tests.test_reports_workflow import pdf_text

PEOPLE = ("Penulis Laporan", "Penyetuju Laporan", "Pengoreksi Laporan")


def _corrected():
    """A report published, then corrected in a second published version."""
    report = make_report(status="published")
    fixer = factories.make_user("manager", name="Pengoreksi Laporan", email="pengoreksi@kpu.example.org")
    second = services.new_version(report, fixer, "Honorarium PPDP diperbaiki.")
    services.update_budget_line(second.budget_lines[1], realised=1_000_000)
    services.submit(second, fixer)
    services.approve(second, factories.make_user("admin", name="Penyetuju Laporan"))
    services.publish(second, fixer)
    db.session.commit()
    return report


def test_anyone_reads_the_newest_version_with_its_budget_table_and_pdf(client):
    report = _corrected()
    response = client.get(f"/public/reports/{report.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Laporan tahapan perencanaan" in page
    assert "Laporan pertanggungjawaban, versi 2" in page
    assert "Honorarium PPDP diperbaiki." in page
    assert "Rp 45.000.000" in page and "Rp 1.000.000" in page and "81,0%" in page
    assert f"/public/reports/{report.id}/v2.pdf" in page and report.latest.pdf_sha256 in page
    assert f'/public/reports/{report.id}/v1"' in page  # the older version stays listed
    assert 'property="og:image"' in page and "summary_large_image" in page
    english = client.get(f"/public/reports/{report.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Accountability report, version 2" in english and "Budget realisation" in english


def test_an_older_version_stays_readable_and_points_to_the_newest(client):
    report = _corrected()
    page = client.get(f"/public/reports/{report.id}/v1").get_data(as_text=True)
    assert "Laporan pertanggungjawaban, versi 1" in page
    assert "Rp 1.234.567" in page and "<strong>Koreksi:</strong>" not in page
    assert "Ada versi yang lebih baru dari laporan ini." in page


def test_public_pages_name_no_person_and_no_email(client):
    report = _corrected()
    urls = [f"/public/reports/{report.id}", f"/public/reports/{report.id}/v1", f"/public/reports/{report.id}/v2"]
    for url in urls:
        page = client.get(url).get_data(as_text=True)
        for person in PEOPLE:
            assert person not in page, url
        assert "@" not in page.replace("&#64;", "@").split("<body", 1)[1], url
    pdf = pdf_text(client.get(f"/public/reports/{report.id}/v2.pdf").data)
    assert not any(person in pdf for person in PEOPLE)
    assert not any(person in str(public_report(v)) for v in report.versions for person in PEOPLE)


def test_the_pdf_is_the_stored_document_and_caches_by_its_hash(client):
    report = _corrected()
    version = report.latest
    response = client.get(f"/public/reports/{report.id}/v2.pdf")
    assert response.mimetype == "application/pdf"
    assert hashlib.sha256(response.data).hexdigest() == version.pdf_sha256
    assert response.headers["ETag"].strip('"') == version.pdf_sha256
    assert "public" in response.headers["Cache-Control"]
    again = client.get(f"/public/reports/{report.id}/v2.pdf", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    page = client.get(f"/public/reports/{report.id}")
    assert (
        page.headers["ETag"]
        and client.get(f"/public/reports/{report.id}", headers={"If-None-Match": page.headers["ETag"]}).status_code
        == 304
    )


def test_the_kit_gives_an_indonesian_text_with_the_link_a_share_image_and_a_qr_code(client, app):
    report = _corrected()
    with app.test_request_context():
        text = kit.social_text(report.latest)
    assert text.startswith("Laporan pertanggungjawaban dipublikasikan: Laporan tahapan perencanaan")
    assert "Versi koreksi 2." in text and "Realisasi anggaran:" in text
    assert text.rstrip().endswith(f"/public/reports/{report.id}")
    image = Image.open(io.BytesIO(client.get(f"/public/reports/{report.id}/share.png").data))
    assert image.format == "PNG" and image.size == (1200, 630)
    qr = Image.open(io.BytesIO(client.get(f"/public/reports/{report.id}/qr.png").data))
    assert qr.format == "PNG" and qr.size[0] == qr.size[1]


def test_the_portal_lists_reads_feeds_and_open_data_from_published_versions_only(app):
    report = _corrected()
    election = report.election
    draft = make_report(election, status="approved", title="Belum terbit")
    services.new_version(report, factories.make_user("manager"), "Koreksi ketiga, belum terbit.")
    db.session.commit()
    with app.test_request_context():
        listed = public_reports(election.id)
        assert [(r.id, r.version) for r in listed] == [(report.id, 2)]
        assert listed[0].pdf_url == f"/public/reports/{report.id}/v2.pdf"
        assert public_reports(election.id, stage_id=election.stages[1].id) == []
        html = render_template("reports/_public_list.html", reports=listed)
        entries = list(report_publications(election.id))
        rows = list(budget_lines_rows(election.id))
        reports = list(report_rows(election.id))
    assert "Laporan tahapan perencanaan" in html and listed[0].url in html and "Belum terbit" not in html
    assert [e["id"] for e in entries] == [f"report-{report.id}-v2", f"report-{report.id}-v1"]
    assert entries[0]["summary"] == "Honorarium PPDP diperbaiki."
    assert [(r["version"], r["realised"]) for r in rows] == [(2, 41_250_000), (2, 1_000_000)]
    assert draft.id not in {r["report_id"] for r in rows}
    assert [(r["report_id"], r["version"], r["budget_realised"]) for r in reports] == [(report.id, 2, 42_250_000)]
    assert reports[0]["pdf_sha256"] == report.versions[1].pdf_sha256


def test_publishing_tells_the_listeners(app):
    report = make_report(status="approved")
    heard = []
    services.report_published.connect(heard.append, weak=False)
    try:
        services.publish(report.latest, factories.make_user("admin"))
        services.announce(report.latest)
    finally:
        services.report_published.disconnect(heard.append)
    assert heard == [report.latest]


def test_the_demo_reports_are_published_illustrative_and_one_is_corrected(app):
    election = factories.make_election()
    factories.make_user("manager")
    factories.make_user("admin")
    made = seed_demo_reports(election)
    db.session.commit()
    assert len(made) == 5 and sum(r.stage is None for r in made) == 1
    assert all(r.latest.status == "published" for r in made)
    corrected = [r for r in made if len(r.versions) == 2]
    assert len(corrected) == 1 and corrected[0].latest.change_note
    assert all(r.channel_posts for r in made)
    assert all(r.published_dt.date() > r.stage.end_date for r in made if r.stage)
    assert "ilustratif" in pdf_text(store().get(made[0].latest.pdf_sha256))
    assert seed_demo_reports(election) == []  # a second run adds nothing
    assert db.session.scalar(db.select(db.func.count()).select_from(ReportVersion)) == 6


def test_the_demo_reports_of_a_current_election_cover_only_finished_stages(app):
    election = factories.make_election()
    factories.make_user("manager")
    factories.make_user("admin")
    made = seed_demo_reports(election, today=date(2020, 12, 20))
    assert [r.stage.code for r in made] == ["daftar_pemilih"]  # kampanye's report would be dated 14 December + posts
    assert all(v.published_dt.date() <= date(2020, 12, 20) for r in made for v in r.versions)


def test_report_pages_are_in_the_portals_frame_set_no_cookie_and_revalidate(client):
    report = _corrected()
    for url in (f"/public/reports/{report.id}", f"/public/reports/{report.id}/v1"):
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers, url  # no session: nothing personal can ride on the page
        assert response.headers["Cache-Control"].startswith("public, max-age="), url
        assert 'class="portal"' in page and "Portal publik" in page, url  # the portal's own frame
        assert "csrf" not in page.lower() and "/auth/logout" not in page, url  # no staff frame, no form
        again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304 and not again.data, url
    english = client.get(f"/public/reports/{report.id}?lang=en").get_data(as_text=True)
    assert "Accountability report, version 2" in english
    assert f'href="/public/reports/{report.id}/v1?lang=en"' in english  # the choice stays in the links


def test_a_new_published_version_shows_at_once_on_the_cached_pages(client):
    report = make_report(status="published")
    db.session.commit()
    election_page = f"/public/{report.election.slug}/"
    first = client.get(f"/public/reports/{report.id}")
    assert first.status_code == 200 and "versi 2" not in first.get_data(as_text=True)  # now cached
    assert report.title in client.get(election_page).get_data(as_text=True)
    manager = factories.make_user("manager", name="Pengoreksi Laporan", email="pengoreksi@kpu.example.org")
    second = services.new_version(report, manager, "Judul diperbaiki.")
    second.title = "Laporan yang diperbaiki"
    services.submit(second, manager)
    services.approve(second, factories.make_user("admin", name="Penyetuju Laporan"))
    services.publish(second, manager)
    db.session.commit()
    assert "versi 2" in client.get(f"/public/reports/{report.id}").get_data(as_text=True)
    election = client.get(election_page).get_data(as_text=True)
    assert "Laporan yang diperbaiki" in election
    stage_name = report.stage.display_name("id")
    assert f'Laporan yang diperbaiki (v2)</a> <span class="muted"> · {stage_name} · ' in election  # latest, with stage
