"""Nothing personal or internal on any public page: the demo loaded, every public URL rendered and searched.

The URLs come from the app's routes (every portal endpoint, filled with the demo's elections,
stages and published records) and from the sitemap; each is read in Indonesian and English
and searched for every contact's name, email and phone, every staff name and email, and the
internal title of every record that is not published. A hostile crawl gets no 500.
"""

from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest

from coordapp.auth.models import User
from coordapp.elections.models import Election
from coordapp.extensions import db
from coordapp.issues.models import Issue
from coordapp.meetings.models import Meeting
from coordapp.stakeholders.models import Contact

PUBLIC_ENDPOINTS = ("public.", "public_root.")


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    # Give some contacts phone numbers: the demo has none, and a phone must never show either.
    for n, contact in enumerate(db.session.execute(db.select(Contact).order_by(Contact.id)).scalars()):
        contact.phone = f"+62 812 {5550000 + n}"
    db.session.commit()


def _all(model) -> list:
    return db.session.execute(db.select(model)).scalars().all()


def forbidden_strings() -> dict[str, str]:
    """Return every string no public page may hold, with what it is."""
    forbidden = {}
    for contact in _all(Contact):
        forbidden |= {contact.name: "contact name", contact.email: "contact email", contact.phone: "contact phone"}
    for user in _all(User):
        forbidden |= {user.name: "staff name", user.email: "staff email"}
    for issue in _all(Issue):
        if not issue.is_public:
            forbidden[issue.title] = f"internal title of unpublished issue {issue.id}"
    for meeting in _all(Meeting):
        if not meeting.is_public:
            forbidden[meeting.title] = f"internal title of unpublished meeting {meeting.id}"
        forbidden[meeting.online_url or "\x00"] = "online meeting link"
    forbidden.pop("\x00", None)
    forbidden.pop("", None)
    return forbidden


def public_urls(app, client) -> list[str]:
    """Return every public address: each portal route with the demo's values, plus the sitemap."""
    elections = _all(Election)
    values = {
        "slug": [e.slug for e in elections],
        "meeting_id": [m.id for m in _all(Meeting) if m.is_public],
        "issue_id": [i.id for i in _all(Issue) if i.is_public],
        "name": ["meetings", "issues"],
    }
    urls = set()
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith(PUBLIC_ENDPOINTS) or "GET" not in rule.methods:
                continue
            if "code" in rule.arguments:
                urls |= {url_for(rule.endpoint, slug=e.slug, code=s.code) for e in elections for s in e.stages}
                continue
            (argument,) = rule.arguments or (None,)
            urls |= {url_for(rule.endpoint, **({argument: v} if argument else {})) for v in values.get(argument, [0])}
        urls |= {
            f"/public/data/{name}.{ext}?election={e.slug}"
            for name in values["name"]
            for ext in ("csv", "json")
            for e in elections
        }
    urls |= {f"/public/search?q={word}" for word in ("kampanye", "a", "tps", "e")}
    sitemap = ElementTree.fromstring(client.get("/sitemap.xml").data)
    urls |= {urlsplit(loc.text).path for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    return sorted(urls)


def test_no_public_page_shows_a_person_or_internal_text(app, client, demo):
    forbidden = forbidden_strings()
    urls = public_urls(app, client)
    assert len(urls) > 60 and any("/public/issues/" in u for u in urls) and any(".csv" in u for u in urls)
    leaks = []
    for url in urls:
        for language in ("id", "en"):
            response = client.get(url, headers={"Accept-Language": language})
            assert response.status_code == 200, url
            body = response.get_data(as_text=True)
            leaks += [f"{url} ({language}): {what} {text!r}" for text, what in forbidden.items() if text in body]
    assert not leaks, "\n".join(leaks[:30])


def test_the_demo_portal_has_something_to_read(client, demo):
    election = client.get("/public/pilkada-tangsel-2020/").get_data(as_text=True)
    assert "Pilkada Kota Tangerang Selatan 2020" in election and "Rp" not in election
    stage = client.get("/public/pilkada-tangsel-2020/daftar_pemilih/").get_data(as_text=True)
    assert "<table" in stage or "pub-list" in stage
    exercise = client.get("/public/simulasi-pilkada/").get_data(as_text=True)
    assert "Simulasi" in exercise and "latihan" in exercise


HOSTILE = [
    "/public/%00/",
    "/public/nope/",
    "/public/pilkada-tangsel-2020/%00/",
    "/public/pilkada-tangsel-2020/nope/feed.atom",
    "/public/' OR 1=1 --/",
    "/public/" + "a" * 500 + "/",
    "/public/meetings/99999999999999999999",
    "/public/issues/-1",
    "/public/issues/0",
    "/public/meetings/abc",
    "/public/search?q=%00",
    "/public/search?q=" + "x" * 5000,
    "/public/search?q=%25%25%25&election=%00",
    "/public/search?q=a&election=" + "b" * 300,
    "/public/search?q[]=a&q[]=b",
    "/public/?lang=%00",
    "/public/?lang=xx&lang=en",
    "/public/pilkada-tangsel-2020/?page=-1&sort=;drop",
    "/public/data/issues.csv?election=%00",
    "/public/data/..%2f..%2fetc%2fpasswd.csv",
    "/public/data/issues.json?election=' OR '1'='1",
    "/public/data/issues.xml",
    "/sitemap.xml?x=%00",
    "/robots.txt?%ff",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_a_hostile_crawl_gets_no_server_error(client, demo, url):
    response = client.get(url, headers={"If-None-Match": '"%00"', "Accept-Language": "\x01;q=x"}, follow_redirects=True)
    assert response.status_code in (200, 400, 404), (url, response.status_code)
    body = response.get_data(as_text=True)
    assert "Traceback" not in body
