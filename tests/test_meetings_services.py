"""The meeting rules, called without HTTP."""

from datetime import UTC, datetime

import pytest

from coordapp.extensions import db
from coordapp.meetings import ics, services
from coordapp.meetings.services import MeetingInput
from tests import factories
from tests.meetings_support import full_meeting, stage


def _input(election, **overrides) -> MeetingInput:
    values = dict(
        election_id=election.id,
        title="Rakor logistik",
        kind="rakor",
        location="Gudang logistik",
        start=datetime(2020, 11, 30, 9, 0),
        end=datetime(2020, 11, 30, 12, 0),
    )
    values.update(overrides)
    return MeetingInput(**values)


def test_every_problem_is_reported_at_once_and_nothing_is_added(app):
    election, staff = factories.make_election(), factories.make_user("staff")
    with pytest.raises(services.MeetingInputError) as refused:
        services.save_meeting(
            None,
            _input(
                election,
                title=" ",
                kind="pesta",
                location="",
                end=datetime(2020, 11, 30, 8),
                organization_ids=[0],
                is_public=True,
            ),
            staff,
        )
    assert set(refused.value.errors) == {"title", "kind", "end", "location", "organizations", "is_public"}
    assert not db.session.new


def test_the_stage_is_derived_from_the_date_in_the_elections_timezone(app):
    election, staff = factories.make_election(), factories.make_user("staff")
    meeting = services.save_meeting(None, _input(election), staff)
    assert meeting.start_dt == datetime(2020, 11, 30, 2, 0, tzinfo=UTC)
    assert meeting.stage == stage(election, "kampanye")  # of the stages holding the date, the latest-starting one


def test_editing_with_the_stage_left_empty_derives_it_again(app):
    election, staff = factories.make_election(), factories.make_user("staff")
    meeting = services.save_meeting(None, _input(election), staff)
    services.save_meeting(
        meeting, _input(election, start=datetime(2020, 12, 7, 9), end=datetime(2020, 12, 7, 10)), staff
    )
    assert meeting.stage == stage(election, "masa_tenang")


def test_an_archived_meeting_cannot_be_changed(app):
    meeting = full_meeting()
    services.set_archived(meeting, True)
    with pytest.raises(services.MeetingError):
        services.save_meeting(meeting, _input(meeting.election), meeting.created_by)
    with pytest.raises(services.MeetingError):
        services.save_minutes(meeting, "Baru", meeting.created_by, meeting.minutes.id)


def test_minutes_need_the_newest_revision_as_their_base(app):
    meeting = full_meeting()
    author = meeting.created_by
    with pytest.raises(services.MinutesConflict):
        services.save_minutes(meeting, "Baru", author, meeting.minutes_revisions[-1].id)
    revision = services.save_minutes(meeting, "Baru", author, meeting.minutes.id)
    assert meeting.minutes is revision and len(meeting.minutes_revisions) == 3


def test_empty_minutes_on_a_meeting_without_minutes_add_nothing(app):
    meeting = factories.make_meeting()
    assert services.save_minutes(meeting, "  ", factories.make_user(), None) is None
    assert meeting.minutes_revisions == []


def test_a_feed_token_is_bound_to_an_active_staff_user_and_session_version(app):
    user = factories.make_user("staff")
    token = ics.feed_token(user)
    assert ics.feed_user(token) is user
    user.session_version += 1
    assert ics.feed_user(token) is None
    assert ics.feed_user("not-a-token") is None
