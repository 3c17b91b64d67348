"""Who may call the portal's and the publishing controls' routes."""

import pytest

from coordapp.extensions import db
from tests.public_support import world

LOGIN = "login"
ANYONE = {None: 200, "staff": 200, "manager": 200, "admin": 200}
MATRIX = [
    ("GET", "/public/", ANYONE),
    ("GET", "/public/search?q=izin", ANYONE),
    ("GET", "/public/pilkada-uji-2020/", ANYONE),
    ("GET", "/public/pilkada-uji-2020/kampanye/", ANYONE),
    ("GET", "/public/pilkada-uji-2020/feed.atom", ANYONE),
    ("GET", "/public/pilkada-uji-2020/kampanye/feed.atom", ANYONE),
    ("GET", "/public/meetings/{meeting}", ANYONE),
    ("GET", "/public/issues/{issue}", ANYONE),
    ("GET", "/public/data/", ANYONE),
    ("GET", "/public/data/issues.csv", ANYONE),
    ("GET", "/public/data/meetings.json", ANYONE),
    ("GET", "/robots.txt", ANYONE),
    ("GET", "/sitemap.xml", ANYONE),
    ("GET", "/publishing/", {None: LOGIN, "staff": 403, "manager": 200, "admin": 200}),
    ("GET", "/publishing/issues/{issue}", {None: LOGIN, "staff": 200, "manager": 200, "admin": 200}),
    ("GET", "/publishing/meetings/{meeting}", {None: LOGIN, "staff": 200, "manager": 200, "admin": 200}),
    ("POST", "/publishing/issues/{private}", {None: LOGIN, "staff": 403, "manager": 302, "admin": 302}),
]
CASES = [(m, url, role, expected) for m, url, roles in MATRIX for role, expected in roles.items()]


@pytest.mark.parametrize("method,url,role,expected", CASES, ids=[f"{m} {u} {r or 'anonymous'}" for m, u, r, _ in CASES])
def test_access_matrix(client, auth, method, url, role, expected):
    w = world()
    if role:
        auth.as_role(role)
    values = {"meeting": w.public_meeting.id, "issue": w.public_issue.id, "private": w.private_issue.id}
    data = {"public_title": "Judul publik", "action": "publish"} if method == "POST" else None
    response = client.open(url.format(**values), method=method, data=data)
    if expected == LOGIN:
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    else:
        assert response.status_code == expected
    db.session.expire_all()
    if method == "POST" and expected != 302:
        assert not db.session.get(type(w.private_issue), w.private_issue.id).is_public


def test_every_public_route_is_in_this_matrix(app):
    """A new portal route must be added here (and so decide who reads it)."""
    covered = {"/public/", "/robots.txt", "/sitemap.xml"}
    rules = {
        r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith(("public.", "public_root.", "publishing."))
    }
    patterns = {
        "/public/<slug>/",
        "/public/<slug>/<code>/",
        "/public/meetings/<int(max=2147483647):meeting_id>",
        "/public/issues/<int(max=2147483647):issue_id>",
        "/public/search",
        "/public/<slug>/feed.atom",
        "/public/<slug>/<code>/feed.atom",
        "/public/data/",
        "/public/data/<name>.csv",
        "/public/data/<name>.json",
        "/publishing/",
        "/publishing/<kind>/<int(max=2147483647):record_id>",
    }
    assert rules == covered | patterns
