"""Issue 12's "Done when", on the demo, by following the links a visitor sees (no address typed but the login page).

An anonymous visitor goes from the login page to the demo election, to a stage, reads the stage's published
report with its budget table, downloads its PDF, subscribes to the feed and downloads the open data. Every
page on the way is cookie-free and shows no person (the full crawl is tests/test_public_privacy.py).
"""

import csv
import io
import re
from html import unescape
from xml.etree import ElementTree

import pytest

from coordapp.extensions import db
from coordapp.reports.models import AccountabilityReport
from tests import factories
from tests.test_public_privacy import forbidden_strings
from tests.test_reports_workflow import pdf_text

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


def _links(page: str) -> dict[str, str]:
    """Return {link text: href} of a page (the text without its tags)."""
    found = re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', page, flags=re.S)
    return {unescape(re.sub(r"<[^>]+>", "", text)).strip(): unescape(href) for href, text in found}


def _follow(client, page: str, text: str) -> tuple[str, str]:
    """Follow the link whose text starts with text; return its address and the page it answers."""
    href = next((h for t, h in _links(page).items() if t.startswith(text)), None)
    assert href, f"no link {text!r}"
    response = client.get(href)
    assert response.status_code == 200, href
    assert "Set-Cookie" not in response.headers, href
    return href, response.get_data(as_text=True)


def test_an_anonymous_visitor_reaches_every_published_thing_from_the_login_page(client, demo):
    forbidden = forbidden_strings()
    login = client.get("/auth/login").get_data(as_text=True)
    _, portal = _follow(client, login, "Buka portal publik")
    _, election = _follow(client, portal, "Pilkada Kota Tangerang Selatan 2020")
    assert 'id="indicator-accountability"' in election
    _, stage = _follow(client, election, "7. Pemutakhiran dan penyusunan daftar pemilih")
    report_url, report = _follow(client, stage, "Laporan pertanggungjawaban tahapan pemutakhiran data pemilih")
    assert "Realisasi anggaran" in report and "Rp 45.000.000" in report and "Rp 41.250.000" in report
    assert 'class="portal"' in report  # the portal's own frame
    pdf_url = next(h for t, h in _links(report).items() if t == "Unduh PDF")
    pdf = client.get(pdf_url)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    assert "pemutakhiran data pemilih" in text.lower() and "45.000.000" in text
    feed_url, _ = _follow(client, stage, "Berlangganan tahapan ini")
    feed = ElementTree.fromstring(client.get(feed_url).data)
    assert any(report_url.split("?")[0] in (link.get("href") or "") for link in feed.iter(f"{ATOM}link"))
    _, data = _follow(client, election, "Unduh data terbuka")
    csv_url = next(h for t, h in _links(data).items() if t == "CSV" and "budget_lines" in h)
    rows = list(csv.DictReader(io.StringIO(client.get(csv_url).get_data(as_text=True))))
    assert any(row["description"] == "Rapat koordinasi pemutakhiran data pemilih" for row in rows)
    for page in (portal, election, stage, report, data, text):
        leaks = [f"{what} {value!r}" for value, what in forbidden.items() if value in page]
        assert not leaks, leaks[:5]


def test_a_signed_in_manager_reading_the_portal_gets_no_cookie_and_the_anonymous_page(client, auth, demo):
    anonymous = client.application.test_client().get("/public/pilkada-tangsel-2020/").get_data(as_text=True)
    manager = factories.make_user("manager", name="Manajer Pembaca", email="pembaca@kpu.example.org")
    db.session.commit()
    assert auth.login(manager, remember="y").status_code == 302  # signed in, with a remember cookie
    report = (
        db.session.execute(db.select(AccountabilityReport).where(AccountabilityReport.published_dt.is_not(None)))
        .scalars()
        .first()
    )
    for url in ("/public/pilkada-tangsel-2020/", f"/public/reports/{report.id}", f"/public/reports/{report.id}/v1.pdf"):
        response = client.get(url)
        assert response.status_code == 200 and "Set-Cookie" not in response.headers, url
    page = client.get("/public/pilkada-tangsel-2020/").get_data(as_text=True)
    assert page == anonymous and manager.name not in page
