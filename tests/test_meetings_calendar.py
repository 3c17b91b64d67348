"""Meetings in calendar apps: one meeting as .ics, and each staff member's signed feed."""

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from coordapp.auth.services import set_password
from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.meetings import ics
from tests import factories
from tests.meetings_support import full_meeting


def _events(response) -> list:
    return Calendar.from_ical(response.data).walk("VEVENT")


def test_one_meeting_downloads_as_ics_in_utc(app, client, auth):
    app.config["BASE_URL"] = "https://coord.kpu-tangsel.example.org"
    auth.as_role("staff")
    meeting = full_meeting()
    meeting.online_url = "https://meet.example.org/rakor"
    db.session.commit()
    response = client.get(f"/meetings/{meeting.id}.ics")  # served at http://localhost
    assert response.mimetype == "text/calendar"
    assert f'filename="meeting-{meeting.id}.ics"' in response.headers["Content-Disposition"]
    (event,) = _events(response)
    assert str(event["uid"]) == f"meeting-{meeting.id}@coord.kpu-tangsel.example.org"
    assert event.decoded("dtstart") == datetime(2020, 9, 28, 2, 0, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2020, 9, 28, 4, 0, tzinfo=UTC)
    assert b"DTSTART:20200928T020000Z" in response.data
    assert str(event["summary"]) == "Rakor DPT dan e-KTP"
    assert str(event["location"]) == "Kantor KPU"
    # the link opens the app at its public address, not at the host this download was served from
    assert str(event["url"]) == f"https://coord.kpu-tangsel.example.org/meetings/{meeting.id}"
    assert "**Pembahasan** DPT" in str(event["description"]) and "https://meet.example.org/rakor" in str(
        event["description"]
    )


def test_the_uid_is_the_same_in_every_download(client, auth):
    auth.as_role("staff")
    meeting = full_meeting()
    first = _events(client.get(f"/meetings/{meeting.id}.ics"))[0]["uid"]
    meeting.title = "Judul baru"
    db.session.commit()
    assert _events(client.get(f"/meetings/{meeting.id}.ics"))[0]["uid"] == first


def _upcoming(election, title, days, **extra):
    return factories.make_meeting(election, title=title, start_dt=utcnow() + timedelta(days=days), **extra)


def test_the_feed_lists_upcoming_live_meetings_without_a_login(client):
    election = factories.make_election()
    user = factories.make_user("staff")
    _upcoming(election, "Rakor besok", 1)
    _upcoming(election, "Rakor bulan lalu", -60)
    _upcoming(election, "Rakor diarsipkan", 2, is_archived=True)
    _upcoming(factories.make_election(is_active=False), "Rakor pemilihan selesai", 3)
    db.session.commit()
    response = client.get(f"/meetings/feed/{ics.feed_token(user)}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert [str(e["summary"]) for e in _events(response)] == ["Rakor besok"]


def test_the_feed_address_offered_to_subscribe_is_the_public_one(app, client, auth):
    app.config["BASE_URL"] = "https://coord.kpu-tangsel.example.org"
    factories.make_election()
    user = auth.as_role("staff")
    page = client.get("/meetings/").get_data(as_text=True)  # served at http://localhost
    assert f"https://coord.kpu-tangsel.example.org/meetings/feed/{ics.feed_token(user)}.ics" in page
    assert "http://localhost/meetings/feed" not in page


def _leaks(response) -> bool:
    return b"Rakor rahasia" in response.data or b"VEVENT" in response.data


@pytest.fixture
def subscriber(app):
    """A staff member, with a meeting coming up tomorrow."""
    user = factories.make_user("staff")
    _upcoming(factories.make_election(), "Rakor rahasia", 1)
    db.session.commit()
    return user


def test_a_bad_token_finds_nothing_and_leaks_nothing(client, subscriber):
    user = subscriber
    good = ics.feed_token(user)
    other_salt = ics.URLSafeSerializer(client.application.config["SECRET_KEY"], salt="another-purpose").dumps(
        [user.id, 1]
    )
    for token in (good[:-3] + "abc", "x", other_salt, good + "x"):
        response = client.get(f"/meetings/feed/{token}.ics")
        assert response.status_code == 404 and not _leaks(response)


def test_a_password_change_revokes_the_feed(client, subscriber):
    user = subscriber
    old = ics.feed_token(user)
    set_password(user, "kata sandi yang baru sekali")
    db.session.commit()
    response = client.get(f"/meetings/feed/{old}.ics")
    assert response.status_code == 404 and not _leaks(response)
    assert client.get(f"/meetings/feed/{ics.feed_token(user)}.ics").status_code == 200


def test_a_deactivated_user_loses_the_feed(client):
    user = factories.make_user("staff")
    db.session.commit()
    token = ics.feed_token(user)
    user.is_active = False
    db.session.commit()
    assert client.get(f"/meetings/feed/{token}.ics").status_code == 404
