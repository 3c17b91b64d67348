"""The access matrix of every report route: staff draft and propose, managers approve and publish, anyone reads."""

from types import SimpleNamespace

import pytest

from coordapp.extensions import db
from coordapp.reports.models import AccountabilityReport, ChannelPost, ReportVersion
from tests import factories
from tests.reports_support import make_report

ROLES = (None, "staff", "manager", "admin")
ANYONE = (200, 200, 200, 200)


def _world():
    """An election with a report in each status, written by a manager who is not the viewer."""
    election = factories.make_election()
    author = factories.make_user("manager", name="Penulis Laporan")
    approver = factories.make_user("admin", name="Penyetuju Laporan")
    w = SimpleNamespace(election=election)
    for status in ("draft", "submitted", "approved", "published"):
        setattr(w, status, make_report(election, author=author, approver=approver, status=status))
    db.session.flush()
    w.line = w.draft.latest.budget_lines[0]
    w.post = ChannelPost(channel="website", url="https://kpu.example/1", posted_date=election.voting_date)
    w.published.channel_posts.append(w.post)
    db.session.commit()
    return w


def staff_can(ok):
    return ("login", ok, ok, ok)


def managers_can(ok):
    return ("login", 403, ok, ok)


LINE_FORM = {"account_code": "5211", "description": "Rapat", "allocated": "1.000.000", "realised": "900000"}
# name: (method, url(world), form data, expected for anonymous, staff, manager, admin)
ROUTES = {
    "index": ("GET", lambda w: f"/reports/?election={w.election.id}", None, staff_can(200)),
    "new": ("GET", lambda w: f"/reports/new?election={w.election.id}", None, staff_can(200)),
    "new (post)": ("POST", lambda w: f"/reports/new?election={w.election.id}", {"title": "Baru"}, staff_can(302)),
    "detail": ("GET", lambda w: f"/reports/{w.draft.id}", None, staff_can(200)),
    "edit": ("GET", lambda w: f"/reports/{w.draft.id}/edit", None, staff_can(200)),
    "submit": ("POST", lambda w: f"/reports/{w.draft.id}/submit", {}, staff_can(302)),
    "return_to_draft": ("POST", lambda w: f"/reports/{w.submitted.id}/return", {}, managers_can(302)),
    "approve": ("POST", lambda w: f"/reports/{w.submitted.id}/approve", {}, managers_can(302)),
    "publish": ("POST", lambda w: f"/reports/{w.approved.id}/publish", {}, managers_can(302)),
    "new_version": ("GET", lambda w: f"/reports/{w.published.id}/new-version", None, managers_can(200)),
    "pdf": ("GET", lambda w: f"/reports/{w.approved.id}/v1.pdf", None, staff_can(200)),
    "preview": ("GET", lambda w: f"/reports/{w.draft.id}/preview", None, staff_can(200)),
    "new_line": ("GET", lambda w: f"/reports/{w.draft.id}/lines/new", None, staff_can(200)),
    "new_line (post)": ("POST", lambda w: f"/reports/{w.draft.id}/lines/new", LINE_FORM, staff_can(302)),
    "edit_line": ("GET", lambda w: f"/reports/lines/{w.line.id}/edit", None, staff_can(200)),
    "delete_line": ("POST", lambda w: f"/reports/lines/{w.line.id}/delete", {}, staff_can(302)),
    "import_lines": ("GET", lambda w: f"/reports/{w.draft.id}/import", None, staff_can(200)),
    "import_template": ("GET", lambda w: "/reports/import-template.csv", None, staff_can(200)),
    "publication_kit": ("GET", lambda w: f"/reports/{w.published.id}/kit", None, managers_can(200)),
    "add_channel_post": (
        "POST",
        lambda w: f"/reports/{w.published.id}/channels",
        {"channel": "instagram", "posted_date": "2020-12-20", "url": "https://instagram.com/p/1"},
        managers_can(302),
    ),
    "delete_channel_post": ("POST", lambda w: f"/reports/channels/{w.post.id}/delete", {}, managers_can(302)),
    "public.report": ("GET", lambda w: f"/public/reports/{w.published.id}", None, ANYONE),
    "public.version": ("GET", lambda w: f"/public/reports/{w.published.id}/v1", None, ANYONE),
    "public.pdf": ("GET", lambda w: f"/public/reports/{w.published.id}/v1.pdf", None, ANYONE),
    "public.share_image": ("GET", lambda w: f"/public/reports/{w.published.id}/share.png", None, ANYONE),
    "public.qr_code": ("GET", lambda w: f"/public/reports/{w.published.id}/qr.png", None, ANYONE),
}


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
@pytest.mark.parametrize("route", ROUTES)
def test_access_matrix(client, auth, route, role):
    if role:
        auth.as_role(role)
    world = _world()
    method, url, data, expected = ROUTES[route]
    response = client.get(url(world)) if method == "GET" else client.post(url(world), data=data)
    wanted = expected[ROLES.index(role)]
    if wanted == "login":
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login")
    else:
        assert response.status_code == wanted, response.get_data(as_text=True)[:1000]


def test_the_matrix_covers_every_report_route(app):
    endpoints = {
        rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith(("reports.", "public_reports."))
    }
    covered = {
        ("public_reports." + name.removeprefix("public.")) if name.startswith("public.") else "reports." + name
        for name in ROUTES
    }
    assert endpoints == {name.removesuffix(" (post)") for name in covered}


def test_refused_steps_change_nothing(client, auth):
    auth.as_role("staff")
    world = _world()
    assert client.post(f"/reports/{world.submitted.id}/approve").status_code == 403
    assert client.post(f"/reports/{world.approved.id}/publish").status_code == 403
    assert client.post(f"/reports/{world.published.id}/channels", data={"channel": "radio"}).status_code == 403
    db.session.expire_all()
    statuses = dict(db.session.execute(db.select(ReportVersion.report_id, ReportVersion.status)).all())
    assert statuses[world.submitted.id] == "submitted" and statuses[world.approved.id] == "approved"
    assert db.session.scalar(db.select(db.func.count()).select_from(ChannelPost)) == 1


@pytest.mark.parametrize("status", ["draft", "submitted", "approved"])
def test_an_unpublished_report_is_not_found_by_the_public(client, status):
    world = _world()
    report = getattr(world, status)
    for url in (
        f"/public/reports/{report.id}",
        f"/public/reports/{report.id}/v1",
        f"/public/reports/{report.id}/v1.pdf",
    ):
        assert client.get(url).status_code == 404
    assert client.get(f"/public/reports/{report.id}/share.png").status_code == 404


def test_hand_edited_ids_are_not_found(client, auth):
    auth.as_role("admin")
    world = _world()
    missing = db.session.scalar(db.select(db.func.max(AccountabilityReport.id))) + 100
    for url in (f"/reports/{missing}", f"/reports/{world.published.id}?v=9", f"/public/reports/{missing}"):
        assert client.get(url).status_code == 404
    assert client.get(f"/public/reports/{world.published.id}/v9").status_code == 404
    assert client.post("/reports/lines/999999/delete").status_code == 404


def test_a_hostile_crawl_gets_not_found_never_an_error(client, auth):
    world = _world()
    huge = "99999999999999999999999"
    paths = [f"/public/reports/{huge}", f"/public/reports/{world.published.id}/v{huge}"]
    paths += [f"/public/reports/{world.published.id}/v{huge}.pdf", f"/public/reports/{huge}/share.png"]
    paths += [f"/public/reports/{world.published.id}/v0", "/public/reports/-1", "/public/reports/abc"]
    paths += [f"/public/reports/{world.published.id}/v1.pdf/../../admin"]
    for path in paths:
        # 308: a number no database holds is no report id; the portal's /public/<slug>/ then asks for its slash
        assert client.get(path).status_code in (404, 308), path
    auth.as_role("admin")
    for path in (f"/reports/{huge}", f"/reports/{huge}/kit", f"/reports/lines/{huge}/edit"):
        assert client.get(path).status_code == 404, path
    # A version number no database holds is ignored like any out-of-range filter: the newest version shows.
    assert client.get(f"/reports/{world.published.id}?v={huge}").status_code == 200
