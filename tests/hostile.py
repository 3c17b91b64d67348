"""Hostile input for the robustness tests: a world of awkward records, a crawler, and the nasty values.

The crawler reads pages as a browser would (links and forms from the HTML), so a new page, filter
or form is covered without this file knowing it.
"""

import os
import re
import traceback
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

from werkzeug.datastructures import MultiDict

from coordapp.core.time import utcnow
from coordapp.extensions import db
from tests import factories

ON_POSTGRES = bool(os.environ.get("DATABASE_URL"))
# Every C0 control, DEL and the C1 controls; NUL only where the database can hold it (PostgreSQL refuses it).
CONTROLS = "".join(chr(c) for c in [*range(0 if not ON_POSTGRES else 1, 32), *range(127, 160)])
HOSTILE_TEXT = [
    "Judul\x0bdari\x0cWord\x1b[0m",
    "nul\x00byte",
    "baris\r\nbaru\rlagi\u2028sep",
    "Örmas Ujicoba",
    '\ufeff=HYPERLINK("http://x")',
    "<script>alert(1)</script>",
    "%00%0d%0a",
    "' OR 1=1 --",
    "a" * 5000,
    "",
    " ",
]
HOSTILE_NUMBERS = ["²", "٣", "-1", "0", "1e9", "9" * 20, "9" * 4400, "2147483648", "1.5", "0x10", "+7", " 3 "]
HOSTILE_DATES = ["0001-01-01", "9999-12-31", "2020-02-30", "1899-12-31", "2101-01-01", "20201-01-01", "2020-1-1"]
HOSTILE_VALUES = HOSTILE_TEXT + HOSTILE_NUMBERS + HOSTILE_DATES + ["none", "on", "csv", "week", "list"]
SKIP_PATHS = ("/auth/logout", "/static/")


@dataclass
class Form:
    """A form found on a page: where it posts and its fields with the values the page put in them."""

    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    options: dict[str, list[str]] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        """Return the names of the form's fields, each once."""
        return list(dict.fromkeys([name for name, _ in self.fields] + list(self.options)))


class _PageParser(HTMLParser):
    def __init__(self, base: str):
        super().__init__(convert_charrefs=True)
        self.base, self.links, self.forms, self._select = base, [], [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self.forms.append(Form(a.get("action") or self.base, (a.get("method") or "get").lower()))
        elif not self.forms:
            return
        elif tag in ("input", "textarea") and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                self.forms[-1].options.setdefault(a["name"], []).append(a.get("value") or "on")
            elif kind not in ("submit", "file", "button"):
                self.forms[-1].fields.append((a["name"], a.get("value") or ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self.forms[-1].options.setdefault(self._select, [])
        elif tag == "option" and self._select:
            self.forms[-1].options[self._select].append(a.get("value") or "")
            if "selected" in a:
                self.forms[-1].fields.append((self._select, a.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def read_page(path: str, html: str) -> tuple[list[str], list[Form]]:
    """Return the same-site links (paths with their query) and the forms of a page."""
    parser = _PageParser(path)
    parser.feed(html)
    links = []
    for href in parser.links:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith(SKIP_PATHS):
            continue
        links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links, parser.forms


class Crash:
    """What a request that raised looks like: a 500 carrying the exception (the test app propagates them)."""

    mimetype = "text/plain"

    def __init__(self, exc: Exception):
        self.status_code, self.exc = 500, exc

    def __repr__(self) -> str:
        frames = [f for f in traceback.extract_tb(self.exc.__traceback__) if "/coordapp/" in f.filename]
        where = f" at {frames[-1].filename.split('/coordapp/')[-1]}:{frames[-1].lineno}" if frames else ""
        return f"500 {type(self.exc).__name__}{where}: {str(self.exc)[:200]!r}"


def fetch(client, method: str, path: str, **kwargs):
    """Send a request; a raised exception comes back as a Crash (status 500)."""
    try:
        response = client.open(path, method=method.upper(), **kwargs)
        response.get_data()  # a streamed body (a download) runs now: its errors count, its context is released
        return response
    except Exception as exc:  # noqa: BLE001 - the test reports it as the 500 a user would get
        db.session.rollback()
        return Crash(exc)


def crawl(client, start: list[str], limit: int = 400, per_pattern: int = 3) -> tuple[dict[str, int | str], list[Form]]:
    """Visit pages breadth first from start; return each path's status (a Crash's text for a 500) and the forms.

    At most per_pattern pages per URL shape (digits and query values folded), so a long list does
    not turn into thousands of requests.
    """
    seen, statuses, forms, queue, shapes = set(), {}, [], list(start), {}
    while queue and len(statuses) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        shape = re.sub(r"\d+", "N", path.split("?")[0]) + "?" + ",".join(sorted({k for k, _ in parse_qsl(path)}))
        shapes[shape] = shapes.get(shape, 0) + 1
        if shapes[shape] > per_pattern:
            continue
        response = fetch(client, "get", path)
        statuses[path] = repr(response) if isinstance(response, Crash) else response.status_code
        if response.status_code == 200 and response.mimetype == "text/html":
            links, page_forms = read_page(path.split("?")[0], response.get_data(as_text=True))
            queue.extend(link for link in links if link not in seen)
            forms.extend(page_forms)
    return statuses, forms


def server_errors(statuses: dict) -> dict:
    """Return the visited paths that answered 500 (with the exception), from crawl's statuses."""
    return {path: status for path, status in statuses.items() if isinstance(status, str) or status >= 500}


def seed_world() -> dict:
    """Create awkward records: control characters everywhere, dates at the ends of time, every state."""
    from coordapp.dashboard.models import SavedFilter
    from coordapp.issues.models import FollowUp
    from coordapp.reminders.links import unsubscribe_token

    users = {role: factories.make_user(role) for role in ("admin", "manager", "staff")}
    election = factories.make_election()
    nasty = "Rapat\x0b\x0c\x1b" + CONTROLS + " akhir"
    org = factories.make_organization(name="Örmas\x0bUjicoba" + CONTROLS, notes=nasty)
    gone_org = factories.make_organization(name="Ormas lama", is_active=False)
    contact = factories.make_contact(org, name="Kontak\x0bNama" + CONTROLS, position=nasty)
    quiet = factories.make_contact(org, unsubscribed_dt=utcnow(), reminder_mode="off")
    factories.make_contact(gone_org, is_active=False)
    far = factories.make_meeting(
        election, title=nasty, start_dt=datetime(9999, 12, 31, 20, 0, tzinfo=UTC), location=nasty, agenda=nasty
    )
    far.end_dt = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
    early = factories.make_meeting(election, title="Awal", start_dt=datetime(1, 1, 1, 20, 0, tzinfo=UTC))
    factories.make_meeting(election, title="Arsip", is_archived=True)
    held = factories.make_meeting(election, title="Rapat 2020")
    factories.add_attendee(held, contact=contact)
    factories.add_attendee(far, contact=contact)
    factories.add_attendee(far, user=users["staff"])
    factories.add_minutes(far, users["staff"], body=nasty)
    factories.add_minutes(far, users["staff"], body=nasty + "2")
    far.organizations.append(org)
    issue = factories.make_issue(
        election, title=nasty[:200], description=nasty, owner=users["staff"], meeting=far, due_date=date(9999, 12, 31)
    )
    issue.organizations.append(org)
    issue.contacts.append(contact)
    factories.make_issue(election, title="Lama", due_date=date(1, 1, 1), status="waiting", owner=users["manager"])
    factories.make_issue(election, title="Arsip", is_archived=True)
    db.session.add(FollowUp(issue=issue, kind="comment", body=nasty, author_user=users["staff"]))
    db.session.add(
        FollowUp(issue=issue, kind="action", body=nasty, action_due_date=date(9999, 12, 31), author_user=users["staff"])
    )
    db.session.add(FollowUp(issue=issue, kind="stakeholder_reply", body=nasty, author_contact=contact))
    failed = factories.make_delivery(contact, [issue], status="failed", last_error=nasty, attempts=5)
    factories.make_delivery(users["staff"], [issue], status="sent", sent_dt=utcnow() - timedelta(days=1))
    db.session.add(SavedFilter(user=users["manager"], name=nasty[:120], args={"q": nasty, "stage": [1]}))
    db.session.add(SavedFilter(user=users["admin"], name="Dibagikan", args={"owner": "none"}, is_shared=True))
    reply = factories.make_reply_token(contact, [issue], delivery=failed)
    unsubscribe = unsubscribe_token(contact, utcnow())  # stores its hash: made before the commit
    db.session.commit()
    return {
        "users": users,
        "election": election,
        "issue": issue,
        "meetings": (far, early),
        "contacts": (contact, quiet),
        "links": [f"/reminders/r/{reply}", f"/reminders/u/{unsubscribe}"],
    }


def start_pages(app) -> list[str]:
    """Return every GET page whose URL needs no value: the roots of the crawl."""
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith(SKIP_PATHS):
            paths.append(rule.rule)
    return sorted(paths)


def hostile_data(form: Form, turn: int) -> list[tuple[str, str]]:
    """Return the form's fields, some with hostile values, a different mix on each turn (the rest as on the page)."""
    data = []
    for i, name in enumerate(form.names):
        if (i + turn) % 3 == 0:
            data.append((name, HOSTILE_VALUES[(i * 7 + turn) % len(HOSTILE_VALUES)]))
        else:
            kept = [value for field_name, value in form.fields if field_name == name]
            data.extend((name, value) for value in kept or form.options.get(name, [""])[:1])
    return data


def post_hostile(client, forms: list[Form], turns: int = 3) -> dict[str, int | str]:
    """Post every (POST) form a few times with hostile values; return each post's status, keyed by action and turn."""
    statuses = {}
    for form in forms:
        if form.method != "post" or form.action.startswith(SKIP_PATHS):
            continue
        for turn in range(turns):
            response = fetch(client, "post", form.action, data=MultiDict(hostile_data(form, turn)))
            statuses[f"{form.action} #{turn}"] = repr(response) if isinstance(response, Crash) else response.status_code
    return statuses
