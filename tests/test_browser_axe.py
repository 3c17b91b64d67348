"""axe-core over every page of the demo, as every kind of visitor, in both languages: no serious or critical violation.

Pages: every GET route that answers a page, found on the Tangerang Selatan demo the way tests/hostile.py's
crawler finds them (the routes without arguments, then the links of every page, read by hostile.read_page);
routes no link reaches (a draft report's pages, a minutes revision, a held email, account links) get their
arguments from records _seed adds to the demo, and the test fails if a page route is reached by nobody.
Downloads, exports, feeds, JSON and an email's own HTML are not pages. One URL per route (per `view` of a list).

Visitors: the anonymous reader (portal, login, privacy, password reset and invitation links), the
stakeholder (reply, RSVP and unsubscribe pages from real signed links), staff, manager and admin: one
browser, one context per visitor (two tabs, so one loads while axe works in the other).

What is checked, to stay near 90 s a run (CI runs the suite twice): in Indonesian, each route once, as the
lowest visitor that reaches it (a staff page as staff, a manager page as manager, ...); in English, each route
once again, as the anonymous reader, the stakeholder and the admin, who between them reach every route
(the admin sees the most of every staff and manager template: their role-only buttons and forms).
The contrast rule runs on the Indonesian pass only (see ENGLISH_OPTIONS). The second sign-in step is checked
last, in both languages, as an account with two-factor sign-in that _seed adds.

axe-core is the copy bundled in axe-playwright-python, added to each page as an init script: nothing is
fetched (the test fails if the browser asks for anything but the live server). Counts per impact (axe's
nodes), the pages and the violations go to test-output/axe-summary.json.
"""

import json
import time
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pyotp
import pytest
from axe_playwright_python.base import AXE_SCRIPT
from flask_babel import force_locale
from werkzeug.exceptions import HTTPException

from coordapp.audit.services import acting_as
from coordapp.auth import tokens
from coordapp.auth.models import User
from coordapp.core.time import local_today, utcnow
from coordapp.demo import data
from coordapp.demo.services import seed_demo
from coordapp.extensions import db
from coordapp.issues.models import Issue
from coordapp.mailin import services as mailin_services
from coordapp.meetings.models import Meeting, MinutesRevision
from coordapp.reminders.links import unsubscribe_token
from coordapp.reminders.meeting_emails import rsvp_link
from coordapp.reminders.notifications import quiet
from coordapp.reports.models import AccountabilityReport
from tests import factories, hostile
from tests.browser import log_in, submit
from tests.reports_support import make_report

pytestmark = pytest.mark.browser
SUMMARY = Path(__file__).resolve().parent.parent / "test-output" / "axe-summary.json"
IMPACTS = ("critical", "serious", "moderate", "minor")
# Not pages a person reads: files, feeds, data, machine endpoints, an email's own HTML.
NOT_PAGES = (".csv", ".json", ".atom", ".ics", ".pdf", ".png", ".xlsx", ".xml", ".txt", "/email.html")
NOT_PAGE_ENDPOINTS = {
    "core.healthz",
    "ops.metrics",
    "files.download",
    "mailin.contact_file",
    "meetings.feed",
    "dashboard.export_issues",
    "dashboard.export_meetings",
    "dashboard.export_stages",
    # Redirects: a saved filter to its list, the old grouped list to the one list, a notification to its item.
    "dashboard.open_filter",
    "dashboard.stage_issues",
    "dashboard.stage_issues_print",
    "notifications.open",
}
# Routes the crawl cannot reach: the second sign-in step needs an account with two-factor sign-in; it is
# checked on its own at the end (_check_second_step), in both languages.
NOT_REACHED = {"auth.login_code"}
ORDER = ("anonymous", "stakeholder", "staff", "manager", "admin")
# WCAG 2.1 A and AA and axe's best practices; in Indonesian no rule is turned off.
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
}
# English has the same colours as Indonesian (one stylesheet, the same classes): the contrast rule, axe's
# slowest, runs once per route, on the Indonesian pass (about 20 s a run less); every other rule (names, labels,
# language, structure) runs in both. To check contrast in English too, use AXE_OPTIONS there.
ENGLISH_OPTIONS = {**AXE_OPTIONS, "rules": {"color-contrast": {"enabled": False}}}


def _seed() -> dict:
    """Load the demo with the factories' password; add the links a stakeholder or a new user gets, and a draft
    report (the demo's are published); commit."""
    today = local_today(data.ELECTION["timezone"])
    with force_locale("en"), acting_as(None, label="seed-demo"), quiet(db.session):
        seed_demo(today, password=lambda: factories.PASSWORD)
        db.session.flush()
    now = utcnow()
    users = {u.role: u for u in db.session.scalars(db.select(User).order_by(User.id.desc()))}
    issue = db.session.scalars(
        db.select(Issue).where(Issue.contacts.any(), Issue.status.in_(("open", "waiting"))).order_by(Issue.id)
    ).first()
    contact = issue.contacts[0]
    reply = factories.make_reply_token(contact, [issue])
    meeting = next(
        m
        for m in db.session.scalars(db.select(Meeting).where(Meeting.start_dt > now).order_by(Meeting.start_dt))
        if not m.is_cancelled and not m.is_archived and any(a.contact and a.contact.email for a in m.attendees)
    )
    invited = next(a.contact for a in meeting.attendees if a.contact and a.contact.email)
    delivery = factories.make_delivery(invited, [], kind="invitation", meeting=meeting)
    rsvp = urlsplit(rsvp_link(delivery, now)).path
    # Account links for users nobody logs in as (a login retires a reset link).
    reset = tokens.new_token(factories.make_user("staff"), tokens.RESET, now)
    invite = tokens.new_token(factories.make_user("staff"), tokens.INVITE, now)
    simulation = issue.election if issue.election.slug == "simulasi-pilkada" else None
    report = make_report(simulation or issue.election, stage=None, author=users["staff"], title="Laporan rancangan")
    revision = db.session.scalars(db.select(MinutesRevision).order_by(MinutesRevision.id.desc())).first()
    raw = f"From: {contact.email}\r\nTo: kpu@example.org\r\nSubject: Jawaban\r\nMessage-ID: <axe@example.org>\r\n\r\n."
    message_id, _ = mailin_services.store(raw.encode(), ["kpu@example.org"])
    mailin_services.process(message_id, now)  # no reply address in it: held for staff
    published = next(r for r in db.session.scalars(db.select(AccountabilityReport)) if r.latest_published)
    unsubscribe = unsubscribe_token(contact, now)
    two_factor = factories.make_user("staff")
    two_factor.totp_secret, two_factor.totp_enabled_dt = pyotp.random_base32(), now
    db.session.commit()
    staff_pages = [
        f"/reports/{report.id}/edit",
        f"/reports/{report.id}/import",
        f"/reports/{report.id}/lines/new",
        f"/reports/{report.id}/preview",
        f"/reports/lines/{report.latest.budget_lines[0].id}/edit",
        f"/meetings/{revision.meeting_id}/minutes/{revision.id}",
        f"/mail-in/{message_id}",
    ]
    return {
        "users": {role: user.email for role, user in users.items()},
        "stakeholder": [f"/reminders/r/{reply}", rsvp, f"/reminders/u/{unsubscribe}"],
        "anonymous": [
            f"/auth/reset/{reset}",
            f"/auth/invite/{invite}",
            f"/public/reports/{published.id}",
            f"/public/reports/{published.id}/v1",
        ],
        "staff": staff_pages,
        "manager": [f"/reports/{published.id}/new-version", f"/reports/{published.id}/kit"],
        "two_factor": two_factor.email,
    }


def _check_second_step(chromium, site, email: str, language: str, checker_class, found, counts, outside) -> None:
    """Sign in with the password of an account with two-factor sign-in and check the code page it leads to."""
    context = chromium.new_context(base_url=site, locale="id-ID", timezone_id="Asia/Jakarta")
    context.on("request", lambda r: None if r.url.startswith(site) else outside.append(r.url))
    checker = checker_class(context, found, counts)
    page = checker.tabs[0]
    page.goto("/auth/login")
    if language == "en":
        submit(page, page.get_by_role("button", name="English", exact=True))
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(factories.PASSWORD)
    submit(page, page.locator("form:has(input[name=password]) button[type=submit]"))
    assert urlsplit(page.url).path == "/auth/login/code", page.url
    page.evaluate("o => { window.__axe = axe.run(document, o); }", checker.options)
    checker.pending[0] = ("/auth/login/code", f"anonymous/{language}")
    checker.finish()
    context.close()


def _key(app, path: str) -> tuple[str, str] | None:
    """Return (endpoint, view) of a path, or None when it is not a page to check."""
    parts = urlsplit(path)
    if parts.path.endswith(NOT_PAGES):
        return None
    try:
        endpoint, _ = app.url_map.bind("localhost").match(parts.path, method="GET")
    except HTTPException:
        return None
    if endpoint in NOT_PAGE_ENDPOINTS:
        return None
    return endpoint, dict(parse_qsl(parts.query)).get("view", "")


def _page_endpoints(app) -> set[str]:
    """Return the endpoints of every GET route that answers a page."""
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and rule.endpoint not in NOT_PAGE_ENDPOINTS | {"static"}
        and not rule.rule.endswith(NOT_PAGES)
    }


def _reach(app, client, auth, email: str | None, start: list[str]) -> dict[tuple, str]:
    """Crawl as a visitor, breadth first; return one HTML page (200) per route and view, the first one reached.

    hostile.py's reader finds the links; a route is fetched until one of its URLs answers a page
    (at most three tries), so the crawl costs about one request per route.
    """
    auth.logout()
    if email:
        assert auth.login(email).status_code == 302
    pages, tries, queue, seen = {}, Counter(), list(start), set()
    while queue:
        path = queue.pop(0)
        key = _key(app, path)
        if path in seen or key is None or key in pages or tries[key] >= 3:
            continue
        seen.add(path)
        tries[key] += 1
        response = hostile.fetch(client, "get", path)
        if response.status_code == 200 and response.mimetype == "text/html":
            pages[key] = path
            queue.extend(hostile.read_page(path.split("?")[0], response.get_data(as_text=True))[0])
    return pages


class Checker:
    """Run axe-core on pages two at a time: while one tab's axe works, the other tab loads the next page.

    axe-core comes from axe-playwright-python's bundled file, added to every document of the context
    before its own scripts (an init script; nothing is fetched).
    """

    def __init__(self, context, found: list, counts: Counter):
        context.add_init_script(script=AXE_SCRIPT)
        self.tabs = [context.new_page(), context.new_page()]
        self.pending: dict[int, tuple[str, str]] = {}
        self.found, self.counts, self.turn = found, counts, 0
        self.options = AXE_OPTIONS

    def start(self, path: str, visitor: str) -> None:
        """Open path in the next tab and start axe on it (after collecting that tab's previous run)."""
        tab = self.turn % 2
        self.turn += 1
        self._collect(tab)
        response = self.tabs[tab].goto(path)
        assert response.status == 200 and response.url.endswith(path), (visitor, path, response.status, response.url)
        self.tabs[tab].evaluate("o => { window.__axe = axe.run(document, o); }", self.options)
        self.pending[tab] = (path, visitor)

    def finish(self) -> None:
        """Collect the runs still going."""
        for tab in list(self.pending):
            self._collect(tab)

    def _collect(self, tab: int) -> None:
        if tab not in self.pending:
            return
        path, visitor = self.pending.pop(tab)
        for violation in self.tabs[tab].evaluate("() => window.__axe")["violations"]:
            self.counts[violation["impact"]] += len(violation["nodes"])
            for node in violation["nodes"]:
                target = " ".join(" > ".join(t) if isinstance(t, list) else t for t in node["target"])
                self.found.append(
                    {
                        "visitor": visitor,
                        "page": path,
                        "rule": violation["id"],
                        "impact": violation["impact"],
                        "target": target,
                        "summary": (node.get("failureSummary") or "")[:300],
                    }
                )


def _visit_plan(plan: dict[str, dict]) -> list[tuple[str, str, list[str]]]:
    """Return (visitor, language, paths): Indonesian as the lowest visitor that reaches a route, English as
    the anonymous reader, the stakeholder and the admin (each route once per language)."""
    visits, done = [], {"id": set(), "en": set()}
    for language, visitors in (("id", ORDER), ("en", ("anonymous", "stakeholder", "admin"))):
        for name in visitors:
            keys = [key for key in plan[name] if key not in done[language]]
            done[language] |= set(keys)
            visits.append((name, language, [plan[name][key] for key in keys]))
    return visits


def test_axe_finds_no_serious_or_critical_violation_on_any_page(app, client, auth, chromium, site):
    world = _seed()
    started = time.monotonic()
    plan = {
        "anonymous": _reach(app, client, auth, None, hostile.start_pages(app) + world["anonymous"]),
        "stakeholder": _reach(app, client, auth, None, world["stakeholder"]),
    }
    for role in ("staff", "manager", "admin"):
        extra = world.get(role, [])
        plan[role] = _reach(app, client, auth, world["users"][role], hostile.start_pages(app) + extra)
    reached = {key[0] for pages in plan.values() for key in pages}
    assert _page_endpoints(app) - reached == NOT_REACHED, "a page no visitor reached: fill it from the demo in _seed"
    crawled = time.monotonic() - started
    found, counts, outside, checked = [], Counter(), [], Counter()
    checkers = {}
    for name, language, paths in _visit_plan(plan):
        if name not in checkers:
            context = chromium.new_context(base_url=site, locale="id-ID", timezone_id="Asia/Jakarta")
            context.on("request", lambda r: None if r.url.startswith(site) else outside.append(r.url))
            checkers[name] = Checker(context, found, counts)
            if name in world["users"]:
                log_in(checkers[name].tabs[0], world["users"][name])
        checker = checkers[name]
        if language == "en":
            checker.finish()
            page = checker.tabs[0]
            page.goto("/" if name in world["users"] else "/auth/login")  # where the language button is
            submit(page, page.get_by_role("button", name="English", exact=True))
            assert page.locator("html").get_attribute("lang") == "en"
            checker.options = ENGLISH_OPTIONS
        for path in paths:
            checker.start(path, f"{name}/{language}")
        checker.finish()
        checked[f"{name}/{language}"] += len(paths)
    for checker in checkers.values():
        checker.tabs[0].context.close()
    for language in ("id", "en"):
        _check_second_step(chromium, site, world["two_factor"], language, Checker, found, counts, outside)
        checked[f"anonymous/{language}"] += 1
    elapsed = time.monotonic() - started
    summary = {
        "counts": {impact: counts[impact] for impact in IMPACTS},
        "pages": checked,
        "seconds": {"crawl": round(crawled, 1), "total": round(elapsed, 1)},
        "violations": found,
    }
    SUMMARY.parent.mkdir(exist_ok=True)
    SUMMARY.write_text(json.dumps(summary, indent=1, ensure_ascii=False))
    print(f"axe: {summary['counts']} over {sum(checked.values())} pages in {elapsed:.0f} s (crawl {crawled:.0f} s)")
    assert not outside, f"the browser asked for something outside the app: {outside[:5]}"
    bad = sorted(
        {
            f"{v['impact']} {v['rule']}: {v['visitor']} {v['page']} -> {v['target']}"
            for v in found
            if v["impact"] in ("serious", "critical")
        }
    )
    assert not bad, f"{len(bad)} serious or critical axe violations:\n" + "\n".join(bad)


def test_the_check_sees_what_it_must_refuse(chromium, site):
    """The same checker on a page with a low-contrast badge and an unnamed select reports both (nothing is fetched)."""
    context = chromium.new_context(base_url=site)
    bad = '<!doctype html><html lang="id"><title>x</title><main><p style="color:#aaa;background:#fff">Ditutup</p>'
    bad += "<select><option>1</option></select></main></html>"
    context.route("**/axe-self-check", lambda route: route.fulfill(status=200, content_type="text/html", body=bad))
    found, counts = [], Counter()
    checker = Checker(context, found, counts)
    checker.start("/axe-self-check", "self-check")
    checker.finish()
    context.close()
    assert {v["rule"] for v in found} >= {"color-contrast", "select-name"}
    assert counts["critical"] >= 1 and counts["serious"] >= 1
