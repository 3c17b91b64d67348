"""Load the Tangerang Selatan 2020 demo.

Every row is found by its natural key (election slug, organization name, email, meeting
or issue title) before it is created, so a second run creates nothing and changes nothing,
and a run on a database that lost some demo rows puts back only those. Everything is
deterministic (each row draws from its own seeded random generator) except the passwords.
The caller commits (one transaction) and sets who is acting for the audit trail.
"""

import os
import random
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from coordapp.auth.models import User
from coordapp.auth.services import create_user
from coordapp.core.time import local_to_utc, to_local, utcnow
from coordapp.demo import data, extensions, issue_data, meeting_data, simulation
from coordapp.demo.timeline import Timeline, write_timeline, write_unanswered
from coordapp.elections.models import Election, Stage
from coordapp.elections.services import seed_stages
from coordapp.extensions import db
from coordapp.issues.models import Issue
from coordapp.issues.services import create_issue
from coordapp.meetings.models import Meeting, MeetingAttendee, MinutesRevision
from coordapp.stakeholders.models import Contact, Organization

TZ = data.ELECTION["timezone"]
REGISTER_DAY = date(2019, 9, 2)  # when the stakeholder register was first filled in


@dataclass
class SeedReport:
    """What a run created, and the logins of the users it created (shown once)."""

    created: Counter = field(default_factory=Counter)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role, email, password)
    kept_users: list[str] = field(default_factory=list)  # existing demo accounts, passwords untouched

    @property
    def changed(self) -> bool:
        return bool(+self.created)


@dataclass
class Demo:
    """The demo rows a later step refers to."""

    election: Election
    stages: dict[str, Stage]
    orgs: dict[str, Organization]  # by short name
    contacts: dict[str, list[Contact]]  # by organization short name, primary contact first
    users: dict[str, User]  # by email


def _rng(*key) -> random.Random:
    return random.Random("demo:" + ":".join(map(str, key)))


def _wib(day: date, hour: float) -> datetime:
    """Return the UTC time of hour o'clock (WIB) on day."""
    return local_to_utc(datetime.combine(day, time()) + timedelta(hours=hour), TZ)


def seed_demo(today: date, password=lambda: secrets.token_urlsafe(12)) -> SeedReport:
    """Create whatever part of the demo is missing; today dates the issues still open."""
    report = SeedReport()
    election = _election(report, data.ELECTION)
    orgs = _organizations(report)
    demo = Demo(election, {s.code: s for s in election.stages}, orgs, _contacts(orgs, report), _users(report, password))
    meetings = _meetings(demo, report, meeting_data.MEETINGS)
    _issues(demo, meetings, today, report, [_finished(spec) for spec in issue_data.ISSUES])
    exercise = _election(report, simulation.ELECTION, moved_by=simulation.shift(today))
    sim = Demo(exercise, {s.code: s for s in exercise.stages}, orgs, demo.contacts, demo.users)
    _issues(sim, _meetings(sim, report, simulation.meetings(today)), today, report, simulation.issues(today))
    db.session.flush()
    extensions.run(demo, sim, today, report)
    return report


def _election(report: SeedReport, values: dict, moved_by: timedelta | None = None) -> Election:
    """Find or create an election with the Pilkada stages: the 2020 dates, or those dates moved_by."""
    election = db.session.execute(db.select(Election).filter_by(slug=values["slug"])).scalar_one_or_none()
    if election is None:
        election = Election(**values, is_active=True)
        if moved_by is not None:
            election.voting_date = data.ELECTION["voting_date"] + moved_by
        db.session.add(election)
        report.created["elections"] += 1
    if not election.stages:
        report.created["stages"] += len(seed_stages(election, "pilkada", with_dates=True))
        for stage in election.stages if moved_by is not None else ():
            stage.start_date, stage.end_date = stage.start_date + moved_by, stage.end_date + moved_by
    db.session.flush()
    return election


def _finished(spec: dict) -> dict:
    """Return a 2020 issue as it ended: the election is over, so whatever was still open got resolved.

    An issue left waiting for a stakeholder was resolved by staff without the stakeholder's answer.
    """
    if spec["status"] not in ("open", "in_progress", "waiting"):
        return spec
    return dict(spec, status="resolved", live=None, due=spec["due"] or 10, unanswered=spec["status"] == "waiting")


def _organizations(report: SeedReport) -> dict[str, Organization]:
    names = [row[0] for row in data.ORGANIZATIONS]
    found = {
        o.name: o for o in db.session.execute(db.select(Organization).where(Organization.name.in_(names))).scalars()
    }
    orgs = {}
    for name, short, category, influence, interest, _positions, notes in data.ORGANIZATIONS:
        org = found.get(name)
        if org is None:
            org = Organization(
                name=name,
                short_name=short,
                category=category,
                influence=influence,
                interest=interest,
                notes=notes,
                created_dt=_wib(REGISTER_DAY, 9),
            )
            db.session.add(org)
            report.created["organizations"] += 1
        orgs[short] = org
    return orgs


def contact_people() -> list[tuple[str, str, str, str]]:
    """Return (organization short name, position, name, email) of every demo contact, in order."""
    people = []
    for k, (short, position) in enumerate((row[1], p) for row in data.ORGANIZATIONS for p in row[5]):
        first = data.FIRST_NAMES[k % len(data.FIRST_NAMES)]
        last = data.LAST_NAMES[(k * 7 + k // len(data.LAST_NAMES)) % len(data.LAST_NAMES)]
        people.append((short, position, f"{first} {last}", f"{first}.{last}@example.org".lower()))
    return people


def _contacts(orgs: dict[str, Organization], report: SeedReport) -> dict[str, list[Contact]]:
    people = contact_people()
    found = {
        c.email: c
        for c in db.session.execute(db.select(Contact).where(Contact.email.in_([p[3] for p in people]))).scalars()
    }
    by_org: dict[str, list[Contact]] = {short: [] for short in orgs}
    for k, (short, position, name, email) in enumerate(people):
        contact = found.get(email)
        if contact is None:
            contact = Contact(
                organization=orgs[short],
                name=name,
                position=position,
                email=email,
                created_dt=_wib(REGISTER_DAY + timedelta(days=k), 10),
                **_contact_habits(short, email, not by_org[short]),
            )
            db.session.add(contact)
            report.created["contacts"] += 1
        by_org[short].append(contact)
    return by_org


def _contact_habits(short: str, email: str, primary: bool) -> dict:
    """Language and reminder settings: primary contacts take reminders; some others opted out."""
    rng = _rng("contact", email)
    category = next(row[2] for row in data.ORGANIZATIONS if row[1] == short)
    english = rng.random() < (0.5 if category in ("academia", "civil_society", "media") else 0.1)
    habits = {
        "language": "en" if english else "id",
        "phone": "",  # no phone numbers: they could be someone's
        "reminder_mode": "immediate" if rng.random() < 0.3 else "daily",
    }
    roll = rng.random()
    if not primary and roll < 0.12:
        habits["reminder_mode"] = "off"
    elif not primary and roll < 0.24:
        habits["unsubscribed_dt"] = _wib(date(2020, 10, 1) + timedelta(days=int(roll * 100)), 20)
    return habits


def _users(report: SeedReport, password) -> dict[str, User]:
    emails = [row[0] for row in data.USERS]
    found = {u.email: u for u in db.session.execute(db.select(User).where(User.email.in_(emails))).scalars()}
    users = {}
    for email, name, role, language in data.USERS:
        user = found.get(email)
        if user is None:
            secret = password()
            user = create_user(email, name, role, secret, language=language)
            report.logins.append((role, email, secret))
            report.created["users"] += 1
        else:
            report.kept_users.append(email)
        users[email] = user
    db.session.flush()
    return users


def _by_role(demo: Demo, role: str) -> list[User]:
    return [demo.users[email] for email, _n, r, _l in data.USERS if r == role]


def _meetings(demo: Demo, report: SeedReport, specs: list[dict]) -> dict[str, Meeting]:
    found = {
        m.title: m for m in db.session.execute(db.select(Meeting).filter_by(election_id=demo.election.id)).scalars()
    }
    meetings = {}
    for spec in specs:
        meeting = found.get(spec["title"])
        if meeting is None:
            meeting = _new_meeting(demo, spec)
            report.created["meetings"] += 1
            report.created["minutes revisions"] += len(meeting.minutes_revisions)
        meetings[spec["title"]] = meeting
    return meetings


def _new_meeting(demo: Demo, spec: dict) -> Meeting:
    rng = _rng("meeting", spec["title"])
    staff, manager = _by_role(demo, "staff"), _by_role(demo, "manager")[0]
    author = rng.choice(staff + [manager])
    start = _wib(spec["day"], spec["hour"])
    end = start + timedelta(hours=spec["hours"])
    slug = spec["title"].lower().replace(" ", "-").replace(":", "")
    meeting = Meeting(
        election=demo.election,
        stage=demo.stages.get(spec["stage"]),
        title=spec["title"],
        kind=spec["kind"],
        start_dt=start,
        end_dt=end,
        location=data.KPU_OFFICE if spec["location"] == "KPU" else spec["location"],
        online_url=meeting_data.ONLINE + slug if spec.get("online") else "",
        agenda=spec["agenda"],
        is_public=False,  # publish_meeting below, once it was held
        created_by=author,
        created_dt=start - timedelta(days=rng.randint(3, 8), hours=rng.randint(0, 6)),
        organizations=[demo.orgs[s] for s in spec["orgs"]],
    )
    held = end < utcnow()  # the exercise has meetings to come: invitations, no minutes yet
    for short in spec["orgs"]:
        people = demo.contacts[short]
        for contact in people[: 2 if rng.random() < 0.3 else 1]:
            meeting.attendees.append(MeetingAttendee(contact=contact, attended=held and rng.random() < 0.85))
    for user in dict.fromkeys((author, manager, rng.choice(staff))):
        meeting.attendees.append(MeetingAttendee(user=user, attended=held))
    db.session.add(meeting)
    if not held:
        return meeting
    if spec["public"]:
        days = _rng("published", spec["title"]).randint(1, 4)
        publish_meeting(meeting, spec, manager, min(end + timedelta(days=days), utcnow()))
    written = end + timedelta(hours=rng.choice((3, 20, 26, 70)))  # not always within 48 hours
    body = minutes_text(spec, meeting)
    meeting.minutes_revisions.append(MinutesRevision(author=author, body=body, created_dt=written))
    if spec["correction"]:
        meeting.minutes_revisions.append(
            MinutesRevision(
                author=manager, body=_corrected(body, spec), created_dt=written + timedelta(days=rng.randint(1, 3))
            )
        )
    db.session.add(meeting)
    return meeting


def minutes_text(spec: dict, meeting: Meeting) -> str:
    """Write the minutes of a demo meeting in Markdown."""
    present = sorted({a.contact.organization.label for a in meeting.attendees if a.contact and a.attended})
    lines = [f"## {spec['title']}", "", f"**Agenda:** {spec['agenda']}", "", "### Hadir", ""]
    lines += [f"- {name}" for name in ["KPU Kota Tangerang Selatan", *present]]
    lines += ["", "### Pembahasan", ""] + [f"{i}. {p}" for i, p in enumerate(spec["points"], start=1)]
    lines += ["", "### Kesepakatan dan tindak lanjut", ""] + [f"- {a}" for a in spec["agreements"]]
    return "\n".join(lines) + "\n"


def _corrected(body: str, spec: dict) -> str:
    """Replace the agreement the correction amends (the one it starts like)."""
    fix = spec["correction"]
    amended = max(spec["agreements"], key=lambda a: len(os.path.commonprefix([a, fix])))
    return (
        body.replace(f"- {amended}", f"- {fix}")
        + "\n_Diperbaiki: kesepakatan dilengkapi setelah dikonfirmasi peserta._\n"
    )


def _issues(demo: Demo, meetings: dict[str, Meeting], today: date, report: SeedReport, specs: list[dict]) -> None:
    found = set(db.session.execute(db.select(Issue.title).filter_by(election_id=demo.election.id)).scalars())
    for spec in specs:
        if spec["title"] not in found:
            report.created["follow-ups"] += _new_issue(demo, spec, meetings.get(spec["meeting"]), today)
            report.created["issues"] += 1


def _raised_at(spec: dict, stage: Stage | None, meeting: Meeting | None, rng: random.Random) -> datetime:
    """When the issue was raised: after its meeting, on its given day, or on a working day of its stage."""
    if meeting is not None:
        return meeting.end_dt + timedelta(hours=rng.uniform(0.5, 4))
    day = spec["on"]
    if day is None and stage is not None and stage.start_date and stage.end_date:
        # Most stages span the COVID-19 pause; their issues arose once work resumed on 15 June 2020.
        first = max(stage.start_date, date(2020, 6, 15)) if stage.end_date >= date(2020, 6, 15) else stage.start_date
        last = min(stage.end_date, first + timedelta(days=75))
        day = first + timedelta(days=rng.randint(0, (last - first).days))
        while day.weekday() >= 5 and day < last:
            day += timedelta(days=1)
    return _wib(day or date(2020, 9, 1), rng.uniform(8, 16))


def _new_issue(demo: Demo, spec: dict, meeting: Meeting | None, today: date) -> int:
    """Create one issue with its timeline; return how many follow-ups it got."""
    rng = _rng("issue", spec["title"])
    staff, manager = _by_role(demo, "staff"), _by_role(demo, "manager")[0]
    stage = demo.stages.get(spec["stage"])
    created = _raised_at(spec, stage, meeting, rng)
    unassigned = spec["status"] == "open" and spec["live"] is None
    owner = None if unassigned else rng.choice(staff + staff + [manager])
    contacts = [people[0] for people in (demo.contacts[s] for s in spec["orgs"])]
    contacts += [demo.contacts[s][1] for s in spec["orgs"] if len(demo.contacts[s]) > 1 and rng.random() < 0.3]
    issue = create_issue(
        created_by=owner or manager,
        election=demo.election,
        stage=stage,
        meeting=meeting,
        title=spec["title"],
        description=spec["description"],
        priority=spec["priority"],
        owner=owner,
        due_date=_due_date(spec, created, today),
        organizations=[demo.orgs[s] for s in spec["orgs"]],
        contacts=contacts,
    )
    issue.created_dt = created
    timeline = Timeline(issue, rng, owner, manager, contacts[0], demo.orgs[spec["orgs"][0]].label)
    issue.updated_dt = (write_unanswered if spec.get("unanswered") else write_timeline)(timeline, spec, created)
    # What was raised at a published meeting is published with it (its minutes may name it).
    at_public_meeting = meeting is not None and meeting.is_public
    if issue.is_resolved and (spec["public"] or at_public_meeting or _rng("publish", spec["title"]).random() < 0.25):
        publish_issue(issue, spec, manager)
    return timeline.count


def publish_meeting(meeting: Meeting, spec: dict, manager: User, when: datetime) -> None:
    """Publish a demo meeting: its title, agenda and agreements in public words, no people."""
    agreed = "\n".join(f"- {a}" for a in spec["agreements"])
    meeting.public_title = spec["title"]
    meeting.public_summary = f"{spec['agenda']}\n\n**Kesepakatan:**\n\n{agreed}\n"
    meeting.is_public, meeting.published_dt, meeting.published_by = True, when, manager


def publish_issue(issue: Issue, spec: dict, manager: User) -> None:
    """Publish a resolved demo issue a few days after it was resolved."""
    rng = _rng("published", spec["title"])
    issue.public_title = spec["title"]
    fix = spec["fix"] or "Sudah ditindaklanjuti bersama pemangku kepentingan terkait."
    issue.public_summary = f"{spec['description']} Tindak lanjut: {fix}"
    when = (issue.resolved_dt or issue.updated_dt) + timedelta(days=rng.randint(1, 5), hours=rng.randint(1, 8))
    issue.is_public, issue.published_dt, issue.published_by = True, min(when, utcnow()), manager


def _due_date(spec: dict, created: datetime, today: date) -> date | None:
    """Finished issues keep their 2020 due dates. The unfinished ones are due around the day the
    demo is seeded (a few days overdue, or due in the coming days): the election is long over,
    but reminders and the overdue lists run on the real clock, and a fresh demo should give them
    work to do. The dates are computed once, at seed time; a later run leaves them as they are."""
    if spec["live"] is not None:
        return today + timedelta(days=spec["live"])
    if spec["due"] is not None:
        return to_local(created, TZ).date() + timedelta(days=spec["due"])
    return None
