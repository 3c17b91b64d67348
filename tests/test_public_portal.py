"""The public portal: anonymous readers see what was published, stage by stage, cached and cacheable."""

import json
from xml.etree import ElementTree

import pytest

from coordapp.extensions import db
from coordapp.public import publishing
from tests.public_support import world

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def published(app):
    return world()


def _text(client, url: str, **kwargs) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def test_an_anonymous_reader_goes_from_the_portal_to_a_stage(client, published):
    index = _text(client, "/public/")
    assert "Pilkada Uji 2020" in index and "/public/pilkada-uji-2020/" in index
    election = _text(client, "/public/pilkada-uji-2020/")
    assert election.count('href="/public/pilkada-uji-2020/') >= 20  # every stage on the timeline
    assert "Produktivitas" in election  # the five indicators with their definitions
    stage = _text(client, "/public/pilkada-uji-2020/kampanye/")
    assert "Rakor pengamanan kampanye" in stage and "Bawaslu Kota Uji" in stage
    assert "Disepakati izin lokasi diajukan tiga hari sebelumnya." in stage
    assert "Izin lokasi kampanye terlambat" in stage and "4 hari" in stage  # status and days it took
    assert "Rapat tertutup soal anggaran" not in stage and "Kendala rahasia" not in stage


def test_record_pages_show_the_public_text_only(client, published):
    meeting = _text(client, f"/public/meetings/{published.public_meeting.id}")
    assert "Rakor pengamanan kampanye" in meeting and "Izin lokasi kampanye terlambat" in meeting
    issue = _text(client, f"/public/issues/{published.public_issue.id}")
    assert "Izin terbit setelah koordinasi." in issue and "Selesai" in issue
    for page in (meeting, issue):
        for secret in ("Rakor internal", "Agenda internal", "Judul internal", "Uraian internal", "Siti Rahasia"):
            assert secret not in page
        assert "Kantor KPU" not in page  # no location either


@pytest.mark.parametrize("which", ["private_meeting", "private_issue"])
def test_an_unpublished_record_is_not_found(client, published, which):
    record = getattr(published, which)
    kind = "meetings" if "meeting" in which else "issues"
    response = client.get(f"/public/{kind}/{record.id}")
    assert response.status_code == 404
    assert record.title not in response.get_data(as_text=True)


def test_english_on_request_and_by_link(client, published):
    assert "Stages" in _text(client, "/public/pilkada-uji-2020/", headers={"Accept-Language": "en"})
    page = _text(client, "/public/pilkada-uji-2020/?lang=en")
    assert "Campaign and campaign finance reports" in page
    assert 'href="/public/pilkada-uji-2020/kampanye/?lang=en"' in page  # the choice stays in the links


def test_pages_are_cacheable_and_revalidate_with_their_etag(client, published):
    first = client.get("/public/pilkada-uji-2020/kampanye/")
    assert first.headers["Cache-Control"].startswith("public, max-age=")
    assert "Cookie" in first.headers["Vary"] and "Set-Cookie" not in first.headers
    again = client.get("/public/pilkada-uji-2020/kampanye/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.data


def test_publishing_outdates_the_cached_pages(client, published):
    assert "Kendala rahasia" not in _text(client, "/public/pilkada-uji-2020/kampanye/")  # now cached
    publishing.publish(published.private_issue, published.manager, "Kendala yang kini terbuka", "Ringkasan.")
    db.session.commit()
    page = _text(client, "/public/pilkada-uji-2020/kampanye/")
    assert "Kendala yang kini terbuka" in page and "Kendala rahasia" not in page
    publishing.unpublish(published.private_issue, published.manager)
    db.session.commit()
    assert "Kendala yang kini terbuka" not in _text(client, "/public/pilkada-uji-2020/kampanye/")


def test_search_finds_published_wording_only(client, published):
    found = _text(client, "/public/search?q=IZIN")
    assert "Izin lokasi kampanye terlambat" in found and "Rakor pengamanan kampanye" in found
    assert "Izin lokasi" not in _text(client, "/public/search?q=rahasia")
    assert _text(client, "/public/search?q=%25_%5C")  # LIKE wildcards are plain characters


def test_atom_feeds_of_the_election_and_the_stage(client, published):
    for url in ("/public/pilkada-uji-2020/feed.atom", "/public/pilkada-uji-2020/kampanye/feed.atom"):
        response = client.get(url)
        assert response.mimetype == "application/atom+xml"
        feed = ElementTree.fromstring(response.data)
        titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
        assert set(titles) == {"Rakor pengamanan kampanye", "Izin lokasi kampanye terlambat"}
        links = [e.find(f"{ATOM}link").get("href") for e in feed.iter(f"{ATOM}entry")]
        assert all(link.startswith("http://") and "/public/" in link for link in links)
    empty = ElementTree.fromstring(client.get("/public/pilkada-uji-2020/regulasi/feed.atom").data)
    assert not list(empty.iter(f"{ATOM}entry"))


def test_open_data_downloads_hold_published_rows_and_no_people(client, published):
    csv_text = client.get("/public/data/issues.csv?election=pilkada-uji-2020").get_data(as_text=True)
    lines = csv_text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("id,election,stage,title,summary,status")
    assert len(lines) == 2 and "Izin lokasi kampanye terlambat" in lines[1] and ",resolved," in lines[1]
    data = json.loads(client.get("/public/data/meetings.json").data)
    assert data["licence"] == "CC BY 4.0" and "organizations" in data["columns"]
    assert [row["title"] for row in data["rows"]] == ["Rakor pengamanan kampanye"]
    assert data["rows"][0]["url"].endswith(f"/public/meetings/{published.public_meeting.id}")
    for body in (csv_text, json.dumps(data)):
        assert "Siti" not in body and "example.org" not in body and "internal" not in body
    dictionary = _text(client, "/public/data/")
    assert "days_to_resolve" in dictionary and "CC BY 4.0" in dictionary
    assert client.get("/public/data/secrets.csv").status_code == 404
    assert client.get("/public/data/issues.json?election=nope").status_code == 404


def test_robots_and_sitemap(client, published):
    robots = _text(client, "/robots.txt")
    assert "Allow: /public/" in robots and "Disallow: /\n" in robots and "Sitemap: " in robots
    sitemap = ElementTree.fromstring(client.get("/sitemap.xml").data)
    locs = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert any(loc.endswith(f"/public/issues/{published.public_issue.id}") for loc in locs)
    assert not any(loc.endswith(f"/public/issues/{published.private_issue.id}") for loc in locs)
    assert all("/public/" in loc for loc in locs)


def test_the_login_page_links_to_the_portal(client):
    assert 'href="/public/"' in _text(client, "/auth/login")


def test_pages_carry_opengraph_and_no_script_or_form_token(client, published):
    page = _text(client, f"/public/issues/{published.public_issue.id}")
    assert '<meta property="og:title" content="Izin lokasi kampanye terlambat' in page
    assert 'name="twitter:card"' in page and "<script" not in page and "csrf_token" not in page


def test_the_reports_list_is_included_where_reports_exist(app, client, published):
    """The reports feature provides public_reports and its list; the pages include them when present."""
    app.jinja_env.globals["public_reports"] = lambda election_id, stage_id=None: [stage_id or "whole"]
    app.jinja_env.loader.mapping = {}
    from jinja2 import ChoiceLoader, DictLoader

    app.jinja_env.loader = ChoiceLoader(
        [DictLoader({"reports/_public_list.html": "REPORTS:{{ reports|join(',') }}"}), app.jinja_env.loader]
    )
    assert f"REPORTS:{published.stage.id}" in _text(client, "/public/pilkada-uji-2020/kampanye/")
    assert "REPORTS:whole" in _text(client, "/public/pilkada-uji-2020/")


def test_the_page_cache_is_shared_redis_when_redis_url_is_set(monkeypatch, tmp_path):
    from coordapp.config import build_config

    monkeypatch.delenv("REDIS_URL", raising=False)
    assert build_config(str(tmp_path))["CACHE_TYPE"] == "SimpleCache"
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    config = build_config(str(tmp_path))
    assert (config["CACHE_TYPE"], config["CACHE_REDIS_URL"]) == ("RedisCache", "redis://127.0.0.1:6379/0")
