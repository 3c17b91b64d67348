"""Factory helpers: build realistic rows with overrides, flushed so they have ids."""

import itertools
from datetime import UTC, date, datetime, timedelta

from coordapp.auth.services import hash_password
from coordapp.extensions import db

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)
_HASH = None


def _password_hash() -> str:
    global _HASH
    if _HASH is None:  # Argon2 is slow on purpose: hash the shared test password once
        _HASH = hash_password(PASSWORD)
    return _HASH


def make_user(role: str = "staff", **overrides):
    """Create a user whose password is PASSWORD."""
    from coordapp.auth.models import User

    n = next(_seq)
    values = {
        "email": f"{role}{n}@kpu.example.org",
        "name": f"{role.title()} {n}",
        "role": role,
        "password_hash": _password_hash(),
        "language": "id",
    }
    values.update(overrides)
    user = User(**values)
    db.session.add(user)
    db.session.flush()
    return user


def make_election(with_stages: bool = True, **overrides):
    """Create an election, by default with the 20 Pilkada stages and their 2020 dates."""
    from coordapp.elections.models import Election
    from coordapp.elections.services import seed_stages

    n = next(_seq)
    values = {
        "name": f"Pilkada Test {n}",
        "slug": f"pilkada-test-{n}",
        "region": "Kota Tangerang Selatan",
        "timezone": "Asia/Jakarta",
        "voting_date": date(2020, 12, 9),
        "is_active": True,
    }
    values.update(overrides)
    election = Election(**values)
    if with_stages:
        seed_stages(election, "pilkada", with_dates=True)
    db.session.add(election)
    db.session.flush()
    return election


def make_organization(**overrides):
    """Create a stakeholder organization."""
    from coordapp.stakeholders.models import Organization

    n = next(_seq)
    values = {
        "name": f"Organisasi {n}",
        "short_name": f"ORG{n}",
        "category": "government",
        "influence": 3,
        "interest": 3,
    }
    values.update(overrides)
    org = Organization(**values)
    db.session.add(org)
    db.session.flush()
    return org


def make_contact(organization=None, **overrides):
    """Create a contact (in a new organization unless one is given)."""
    from coordapp.stakeholders.models import Contact

    n = next(_seq)
    values = {
        "name": f"Kontak {n}",
        "position": "Staf",
        "email": f"kontak{n}@example.org",
        "language": "id",
        "reminder_mode": "daily",
    }
    values.update(overrides)
    contact = Contact(organization=organization or make_organization(), **values)
    db.session.add(contact)
    db.session.flush()
    return contact


def make_meeting(election=None, **overrides):
    """Create a meeting in the first stage of an election."""
    from coordapp.meetings.models import Meeting

    election = election or make_election()
    n = next(_seq)
    start = overrides.pop("start_dt", datetime(2020, 9, 28, 2, 0, tzinfo=UTC))
    values = {
        "title": f"Rapat koordinasi {n}",
        "kind": "rakor",
        "start_dt": start,
        "end_dt": start + timedelta(hours=2),
        "location": "Kantor KPU",
        "stage": election.stages[0] if election.stages else None,
    }
    values.update(overrides)
    meeting = Meeting(election=election, **values)
    db.session.add(meeting)
    db.session.flush()
    return meeting


def make_issue(election=None, **overrides):
    """Create an open issue in the first stage of an election."""
    from coordapp.issues.models import Issue

    election = election or make_election()
    n = next(_seq)
    values = {
        "title": f"Kendala {n}",
        "description": "Uraian kendala.",
        "priority": "normal",
        "status": "open",
        "due_date": date(2020, 10, 1),
        "stage": election.stages[0] if election.stages else None,
    }
    values.update(overrides)
    issue = Issue(election=election, **values)
    db.session.add(issue)
    db.session.flush()
    return issue


def make_delivery(recipient=None, issues=(), **overrides):
    """Create an outbox row (a pending digest to a contact, by default)."""
    from coordapp.reminders.models import ReminderDelivery

    recipient = recipient or make_contact()
    is_contact = hasattr(recipient, "reminder_mode")
    values = {
        "recipient_email": recipient.email,
        "kind": "digest" if is_contact else "staff_digest",
        "window_key": f"2020-10-{next(_seq) % 28 + 1:02d}-{next(_seq)}",
        "language": recipient.language,
        "status": "pending",
        "contact": recipient if is_contact else None,
        "user": None if is_contact else recipient,
    }
    values.update(overrides)
    delivery = ReminderDelivery(issues=list(issues), **values)
    db.session.add(delivery)
    db.session.flush()
    return delivery


def make_reply_token(contact, issues, days: int = 14, delivery=None) -> str:
    """Create a reply link for contact over issues; return the raw token (only its hash is stored)."""
    from coordapp.core.time import utcnow
    from coordapp.reminders.links import new_reply_token
    from coordapp.reminders.models import ReplyToken

    token, token_hash = new_reply_token()
    db.session.add(
        ReplyToken(
            contact=contact,
            issues=list(issues),
            token_hash=token_hash,
            delivery=delivery,
            expires_dt=utcnow() + timedelta(days=days),
        )
    )
    db.session.flush()
    return token


def add_minutes(meeting, author=None, body="Notulen rapat.", **overrides):
    """Add a minutes revision to a meeting (the newest one is the minutes)."""
    from coordapp.meetings.models import MinutesRevision

    revision = MinutesRevision(author=author, body=body, **overrides)
    meeting.minutes_revisions.insert(0, revision)
    db.session.flush()
    return revision


def add_attendee(meeting, contact=None, user=None, attended=True):
    """Invite a contact or a staff user to a meeting."""
    from coordapp.meetings.models import MeetingAttendee

    attendee = MeetingAttendee(contact=contact, user=user, attended=attended)
    meeting.attendees.append(attendee)
    db.session.flush()
    return attendee
