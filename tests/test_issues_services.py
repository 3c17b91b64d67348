"""Issue rules without HTTP: raising, editing, archiving, the due-date and stage rules, who may do what."""

from datetime import date, timedelta

import pytest

from coordapp.extensions import db
from coordapp.issues import permissions, services
from coordapp.issues.models import Issue
from tests import factories
from tests.issues_support import make_world

TODAY = date(2020, 10, 10)


@pytest.mark.parametrize(
    "due, previous, refused",
    [
        (None, None, False),
        (TODAY, None, False),
        (TODAY - timedelta(days=30), None, False),
        (TODAY - timedelta(days=31), None, True),
        (TODAY - timedelta(days=400), TODAY - timedelta(days=400), False),  # unchanged on edit
        (TODAY - timedelta(days=400), TODAY - timedelta(days=401), True),
    ],
)
def test_due_date_rule(app, due, previous, refused):
    with app.test_request_context():
        assert (services.due_date_problem(due, TODAY, previous) is not None) is refused


def test_stage_and_meeting_must_belong_to_the_election(app):
    first, second = factories.make_election(), factories.make_election()
    meeting = factories.make_meeting(second)
    with app.test_request_context():
        assert services.stage_problem(first, first.stages[3]) is None
        assert services.stage_problem(first, None) is None
        assert services.stage_problem(first, second.stages[3])
        assert services.meeting_problem(second, meeting) is None
        assert services.meeting_problem(first, meeting)


def test_create_prefilled_from_a_meeting(app):
    world = make_world()
    values = services.prefill_from_meeting(world.meeting)
    issue = services.create_issue(created_by=world.other, title="Izin kampanye", priority="high", **values)
    db.session.commit()
    issue = db.session.get(Issue, issue.id)
    assert (issue.status, issue.meeting_id, issue.stage_id, issue.election_id, issue.created_by_id) == (
        "open",
        world.meeting.id,
        world.meeting.stage_id,
        world.election.id,
        world.other.id,
    )
    assert {o.id for o in issue.organizations} == {world.bawaslu.id, world.dukcapil.id}
    assert issue.first_response_dt is None and issue.resolved_dt is None


def test_update_leaves_the_status_to_the_workflow(app):
    world = make_world()
    services.update_issue(world.issue, title="Baru", status="closed", contacts=[])
    assert world.issue.title == "Baru" and world.issue.status == "open" and world.issue.contacts == []


def test_archive_and_restore(app):
    world = make_world()
    services.archive_issue(world.issue)
    assert world.issue.is_archived
    services.restore_issue(world.issue)
    assert not world.issue.is_archived


RIGHTS = {  # role: (edit, reassign, archive, follow up) on an issue owned and raised by staff_owner
    "staff_owner": (True, False, False, True),
    "staff_other": (False, False, False, True),
    "manager": (True, True, True, True),
    "admin": (True, True, True, True),
}


@pytest.mark.parametrize("role", RIGHTS)
def test_who_may_do_what(app, role):
    world = make_world()
    user = world.user(role)
    expected = RIGHTS[role]
    assert (
        permissions.can_edit(user, world.issue),
        permissions.can_reassign(user),
        permissions.can_archive(user, world.issue),
        permissions.can_follow_up(user, world.issue),
    ) == expected
    assert permissions.can_change_status(user, world.issue) is expected[0]
    assert permissions.can_tick_action(user, world.action) is expected[0]


def test_creator_keeps_edit_rights_after_reassignment(app):
    world = make_world()
    world.issue.owner = world.other
    assert permissions.can_edit(world.owner, world.issue) and permissions.can_edit(world.other, world.issue)


def test_staff_may_only_take_the_issue_or_keep_its_owner(app):
    world = make_world()
    staff, issue = world.owner, world.issue
    assert permissions.owner_allowed(staff, None, staff.id)
    assert permissions.owner_allowed(staff, None, None)
    assert not permissions.owner_allowed(staff, None, world.other.id)
    issue.owner = world.other
    db.session.flush()
    assert permissions.owner_allowed(staff, issue, world.other.id)  # leave it
    assert permissions.owner_allowed(staff, issue, staff.id)  # take it
    assert not permissions.owner_allowed(staff, issue, None)  # not unassign it
    assert not permissions.owner_allowed(staff, issue, world.manager.id)
    assert permissions.owner_allowed(world.manager, issue, None)


def test_archived_issue_is_read_only_for_everyone(app):
    world = make_world()
    world.issue.is_archived = True
    for role in RIGHTS:
        user = world.user(role)
        assert not permissions.can_edit(user, world.issue)
        assert not permissions.can_follow_up(user, world.issue)
        assert not permissions.can_tick_action(user, world.action)
        assert permissions.can_restore(user, world.issue) is permissions.is_manager(user)
