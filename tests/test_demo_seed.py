"""`flask --app wsgi seed-demo`: the Tangerang Selatan 2020 demo, loaded once, with working logins."""

import re
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func

from coordapp.audit.models import AuditEvent
from coordapp.auth.models import User
from coordapp.core.time import local_today, to_local
from coordapp.elections.models import Election, Stage
from coordapp.elections.stage_templates import PILKADA_2020
from coordapp.extensions import db
from coordapp.issues.models import UNRESOLVED, FollowUp, Issue
from coordapp.meetings.models import Meeting, MeetingAttendee, MinutesRevision
from coordapp.stakeholders.models import CATEGORIES, Contact, Organization

LOGIN_LINE = re.compile(r"^\s+(admin|manager|staff)\s+(\S+@example\.org)\s+(\S+)\s*$", re.M)


def _seed(runner) -> str:
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    db.session.expire_all()
    return result.output


def _count(model) -> int:
    return db.session.scalar(db.select(func.count()).select_from(model))


def _all(model) -> list:
    return db.session.execute(db.select(model)).scalars().all()


@pytest.fixture
def seeded(runner) -> str:
    """Seed the demo once and return what the command printed."""
    return _seed(runner)


def _of(model, slug: str = "pilkada-tangsel-2020") -> list:
    election = db.session.execute(db.select(Election).filter_by(slug=slug)).scalar_one()
    return db.session.execute(db.select(model).filter_by(election_id=election.id)).scalars().all()


def test_election_has_the_20_pilkada_stages_in_order_with_2020_dates(seeded):
    election = db.session.execute(db.select(Election).filter_by(slug="pilkada-tangsel-2020")).scalar_one()
    assert election.name == "Pilkada Kota Tangerang Selatan 2020"
    assert (election.voting_date, election.timezone, election.is_active) == (date(2020, 12, 9), "Asia/Jakarta", True)
    assert [(s.position, s.code, s.start_date, s.end_date) for s in election.stages] == [
        (i, row[0], row[4], row[5]) for i, row in enumerate(PILKADA_2020, start=1)
    ]
    assert election.stages[11].name.startswith("Kampanye")


def test_stakeholders_cover_every_category_with_fictional_contacts(seeded):
    orgs = _all(Organization)
    assert len(orgs) >= 30
    assert {o.category for o in orgs} == set(CATEGORIES)
    assert all(1 <= o.influence <= 5 and 1 <= o.interest <= 5 for o in orgs)
    names = {o.name for o in orgs}
    assert {"Badan Pengawas Pemilu Kota Tangerang Selatan", "Tim Pasangan Calon 1", "Tim Pasangan Calon 3"} <= names
    assert sum(o.short_name.startswith("PPK ") for o in orgs) == 7  # one per kecamatan
    contacts = _all(Contact)
    assert len(contacts) >= 60
    assert all(c.email.endswith("@example.org") for c in contacts)
    assert all(o.contacts for o in orgs)
    assert {c.language for c in contacts} == {"id", "en"}
    assert {c.reminder_mode for c in contacts} == {"immediate", "daily", "off"}
    assert 1 <= sum(c.unsubscribed_dt is not None for c in contacts) <= 10
    assert sum(c.wants_reminders for c in contacts) >= 50


def test_meetings_have_attendees_and_minutes(seeded):
    meetings = _of(Meeting)
    assert 12 <= len(meetings) <= 20
    assert {m.kind for m in meetings} == {"rakor", "audiensi", "fgd", "kunjungan", "lainnya"}
    assert len({m.stage_id for m in meetings}) >= 10
    assert all(m.organizations and m.minutes is not None for m in meetings)
    assert sum(len(m.minutes_revisions) == 2 for m in meetings) >= 3
    assert all(m.minutes.created_dt > m.end_dt for m in meetings)
    attendees = _all(MeetingAttendee)
    assert any(a.contact_id for a in attendees) and any(a.user_id for a in attendees)
    assert any(not a.attended for a in attendees)
    assert "### Kesepakatan" in meetings[0].minutes.body


def test_issues_are_spread_over_stages_statuses_and_priorities(seeded):
    assert {i.status for i in _all(Issue)} == {"open", "in_progress", "waiting", "resolved", "closed"}
    issues = _of(Issue)
    assert 55 <= len(issues) <= 75
    assert {i.status for i in issues} == {"resolved", "closed"}  # the 2020 election is over
    assert {i.priority for i in issues} == {"low", "normal", "high", "critical"}
    assert len({i.stage_id for i in issues}) == 20
    assert all(i.organizations and i.contacts for i in issues)
    assert sum(i.meeting_id is not None for i in issues) >= 10
    assert any(i.owner_id is None for i in _all(Issue))  # an exercise issue nobody took yet
    assert sum(bool(i.follow_ups) for i in issues) >= 0.8 * len(issues)
    assert _count(FollowUp) >= 150
    assert {f.kind for f in _all(FollowUp)} == {"comment", "action", "status_change", "stakeholder_reply", "reminder"}
    assert any(i.is_public and i.public_summary for i in issues)


def test_timelines_are_dated_in_the_election_not_at_seed_time(seeded):
    in_2020 = {i.id for i in _of(Issue)}
    for issue in _all(Issue):
        if issue.id in in_2020:
            assert date(2019, 9, 1) <= to_local(issue.created_dt).date() <= date(2021, 4, 30)
        else:  # the exercise runs now: nothing in it happened after today
            assert to_local(issue.created_dt).date() <= local_today("Asia/Jakarta")
        times = [f.created_dt for f in issue.follow_ups]
        assert times == sorted(times) and all(t > issue.created_dt for t in times)
        responses = [f for f in issue.follow_ups if (f.author_user_id or f.author_contact_id) and f.kind != "reminder"]
        assert issue.first_response_dt == (responses[0].created_dt if responses else None)
        if issue.status in UNRESOLVED:
            assert issue.resolved_dt is None
        else:
            finished = [f for f in issue.follow_ups if f.old_status in UNRESOLVED and f.new_status not in UNRESOLVED]
            assert issue.resolved_dt == finished[-1].created_dt


def test_some_unresolved_issues_are_overdue_today_and_some_due_soon(seeded):
    today = local_today("Asia/Jakarta")
    unresolved = [i for i in _all(Issue) if i.status in UNRESOLVED]
    overdue = [i for i in unresolved if i.is_overdue(today)]
    due_soon = [i for i in unresolved if i.due_date and today <= i.due_date <= today + timedelta(days=7)]
    assert len(overdue) >= 5 and all(i.due_date >= today - timedelta(days=10) for i in overdue)
    assert len(due_soon) >= 3
    assert all(any(c.wants_reminders for c in i.contacts) for i in overdue)
    assert not [i for i in _of(Issue) if i.is_resolved and i.due_date and i.due_date.year > 2021]
    assert not [i for i in _of(Issue) if not i.is_resolved]  # every one of them belongs to the exercise


def test_one_user_per_role_and_the_logins_are_printed_once(seeded):
    logins = LOGIN_LINE.findall(seeded)
    assert Counter(role for role, _e, _p in logins) == Counter({"admin": 1, "manager": 1, "staff": 2})
    users = _all(User)
    assert {u.role for u in users} == {"admin", "manager", "staff"}
    assert {u.email for u in users} == {email for _r, email, _p in logins}
    assert len({p for _r, _e, p in logins}) == 4 and all(len(p) >= 12 for _r, _e, p in logins)


def test_printed_logins_log_in_and_the_manager_sees_the_stages(seeded, client):
    for role, email, password in LOGIN_LINE.findall(seeded):
        response = client.post("/auth/login", data={"email": email, "password": password})
        assert response.status_code == 302, (role, response.data[:300])
        home = client.get("/").get_data(as_text=True)
        user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one()
        assert "Pilkada Kota Tangerang Selatan 2020" in home
        assert ("Kampanye" if user.language == "id" else "Campaign and campaign finance reports") in home
        client.post("/auth/logout")


def test_second_run_changes_nothing_and_keeps_passwords(seeded, runner):
    models = (Election, Stage, Organization, Contact, User, Meeting, MinutesRevision, Issue, FollowUp, AuditEvent)
    before = {m.__name__: _count(m) for m in models}
    hashes = {u.email: (u.password_hash, u.session_version) for u in _all(User)}
    output = _seed(runner)
    assert "nothing changed" in output
    assert not LOGIN_LINE.findall(output)
    assert {m.__name__: _count(m) for m in models} == before
    assert {u.email: (u.password_hash, u.session_version) for u in _all(User)} == hashes


def test_a_lost_demo_issue_comes_back_the_same(seeded, runner):
    issue = db.session.execute(db.select(Issue).filter_by(title="Klarifikasi pemilih tanpa NIK valid")).scalar_one()
    kept = (
        issue.status,
        issue.priority,
        issue.due_date,
        issue.created_dt,
        [(f.kind, f.body) for f in issue.follow_ups],
    )
    db.session.delete(issue)
    db.session.commit()
    output = _seed(runner)
    assert "issues: 1" in output and "contacts" not in output and not LOGIN_LINE.findall(output)
    again = db.session.execute(db.select(Issue).filter_by(title="Klarifikasi pemilih tanpa NIK valid")).scalar_one()
    assert (
        again.status,
        again.priority,
        again.due_date,
        again.created_dt,
        [(f.kind, f.body) for f in again.follow_ups],
    ) == kept


def test_the_audit_trail_names_the_seed_as_the_actor(seeded):
    events = _all(AuditEvent)
    assert events and {(e.actor_label, e.actor_user_id) for e in events} == {("seed-demo", None)}
    assert {e.entity_type for e in events} >= {"elections", "organizations", "contacts", "users", "meetings", "issues"}


def test_seeding_queues_no_assignment_notices(seeded):
    from coordapp.reminders.models import ReminderDelivery

    rows = db.session.execute(db.select(ReminderDelivery.kind, ReminderDelivery.status)).all()
    # Only the outreach demo's invitations, already sent and answered: nothing waits to be mailed.
    assert {(kind, status) for kind, status in rows} <= {("invitation", "sent")}


def test_the_demo_gives_every_scorecard_indicator_something_to_show(seeded):
    """A manager opening Kinerja on the demo sees each indicator measured, not a dash."""
    from coordapp.dashboard.scorecard import compute_scorecard

    election = db.session.execute(db.select(Election).filter_by(slug="pilkada-tangsel-2020")).scalar_one()
    overall = compute_scorecard(election).overall.values
    empty = [name for name, value in overall.items() if value is None or getattr(value, "denominator", 1) == 0]
    # Commitments are demoed on the live exercise (coordapp.demo.outreach), not on the finished 2020 election.
    assert empty == ["commitments_kept"]
    replied = overall["replied_to_reminders"]  # reminded contacts: some answered, some not yet
    assert 0 < replied.numerator < replied.denominator
    reminders = [f for f in _all(FollowUp) if f.kind == "reminder"]
    assert all(
        f.author_contact is None
        and f.recipient_contact.wants_reminders
        and f.body == f"{f.recipient_contact.name} ({f.recipient_contact.organization.label})"
        for f in reminders
    )


def test_2020_publishes_a_realistic_share_with_who_and_when(seeded):
    """A share of 2020's meetings and issues is on the portal, each published after it happened."""
    meetings, issues = _of(Meeting), _of(Issue)
    public_meetings = [m for m in meetings if m.is_public]
    public_issues = [i for i in issues if i.is_public]
    assert 0.3 <= len(public_meetings) / len(meetings) <= 0.8
    assert 0.2 <= len(public_issues) / len(issues) <= 0.6
    manager = db.session.execute(db.select(User).filter_by(role="manager")).scalar_one()
    for record in public_meetings + public_issues:
        assert record.public_title and record.public_summary and record.published_by_id == manager.id
    assert all(m.published_dt > m.end_dt for m in public_meetings)
    assert all(i.is_resolved and i.published_dt > i.resolved_dt for i in public_issues)
    assert not [r for r in meetings + issues if not r.is_public and (r.published_dt or r.public_title)]


def test_the_exercise_is_labelled_and_runs_today(seeded):
    """Simulasi Pilkada: its calendar is laid around today, so the current stage, due issues and meetings are live."""
    today = local_today("Asia/Jakarta")
    exercise = db.session.execute(db.select(Election).filter_by(slug="simulasi-pilkada")).scalar_one()
    assert "Simulasi" in exercise.name and "latihan" in exercise.name and "simulasi" in exercise.region
    assert len(exercise.stages) == 20 and exercise.voting_date > today
    assert exercise.current_stage(today).code == "kampanye"
    issues = _of(Issue, "simulasi-pilkada")
    assert {i.status for i in issues} == {"open", "in_progress", "waiting", "resolved"}
    assert sum(i.is_overdue(today) for i in issues) >= 3
    meetings = _of(Meeting, "simulasi-pilkada")
    coming = [m for m in meetings if to_local(m.start_dt).date() > today]
    assert len(coming) >= 2 and all(m.minutes is None and m.attendees for m in coming)
    assert all(m.minutes is not None for m in meetings if m not in coming)
    assert all(m.stage.start_date <= to_local(m.start_dt).date() <= m.stage.end_date for m in meetings)
