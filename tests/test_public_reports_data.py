"""Published accountability reports reach the Atom feed and the open data; drafts never do."""

import csv
import io
from xml.etree import ElementTree

from coordapp.extensions import db
from tests import factories
from tests.reports_support import make_report

ATOM = "{http://www.w3.org/2005/Atom}"


def _world():
    election = factories.make_election(name="Pilkada Uji 2020", slug="pilkada-uji-2020")
    published = make_report(election, status="published", title="Laporan tahapan perencanaan")
    draft = make_report(election, status="draft", title="Laporan rahasia belum terbit")
    db.session.commit()
    return election, published, draft


def test_the_election_feed_lists_a_published_report_not_a_draft(client):
    election, published, _ = _world()
    feed = ElementTree.fromstring(client.get(f"/public/{election.slug}/feed.atom").data)
    entries = {e.findtext(f"{ATOM}title"): e.find(f"{ATOM}link").get("href") for e in feed.iter(f"{ATOM}entry")}
    assert "Laporan tahapan perencanaan" in entries
    assert entries["Laporan tahapan perencanaan"].endswith(f"/public/reports/{published.id}/v1")
    assert not any("rahasia" in title for title in entries)


def test_open_data_offers_reports_and_budget_lines_with_their_dictionary(client):
    _world()
    reports = client.get("/public/data/reports.json").get_json()
    rows = reports["rows"] if isinstance(reports, dict) else reports
    assert [r["title"] for r in rows] == ["Laporan tahapan perencanaan"]
    lines = list(csv.DictReader(io.StringIO(client.get("/public/data/budget_lines.csv").get_data(as_text=True))))
    assert {(r["account_code"], r["allocated"], r["realised"]) for r in lines} == {
        ("521211", "45000000", "41250000"),
        ("521213", "1234567", "1234567"),
    }
    dictionary = client.get("/public/data/").get_data(as_text=True)
    assert "budget_lines" in dictionary and "variance_note" in dictionary
