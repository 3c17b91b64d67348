"""Raising and editing issues through the forms: pre-filling, saving, and refusing bad input."""

from datetime import timedelta

import pytest

from coordapp.audit.models import AuditEvent
from coordapp.core.time import local_today
from coordapp.extensions import db
from coordapp.issues.models import Issue
from tests import factories
from tests.issues_support import far_past, issue_form_data, make_world


def _issues() -> list[Issue]:
    db.session.expire_all()
    return db.session.execute(db.select(Issue).order_by(Issue.id)).scalars().all()


def test_raise_from_a_meeting_is_prefilled(client, auth):
    world = make_world()
    auth.login(world.owner)
    page = client.get(f"/issues/new?meeting_id={world.meeting.id}").get_data(as_text=True)
    assert (
        f'<option selected value="{world.meeting.id}"' in page
        or f'value="{world.meeting.id}" selected' in page
        or _selected(page, "meeting_id", world.meeting.id)
    )
    assert _selected(page, "election_id", world.election.id)
    assert _selected(page, "stage_id", world.meeting.stage_id)
    assert _selected(page, "organization_ids", world.bawaslu.id)
    assert _selected(page, "organization_ids", world.dukcapil.id)
    assert _selected(page, "owner_id", world.owner.id)


def _selected(page: str, name: str, value) -> bool:
    """Tell whether the select named name has value selected."""
    start = page.index(f'name="{name}"')
    block = page[start : page.index("</select>", start)]
    return any(f'value="{value}"' in opt and "selected" in opt for opt in block.split("<option")[1:])


def test_unknown_meeting_is_404(client, auth):
    auth.as_role("staff")
    assert client.get("/issues/new?meeting_id=999999").status_code == 404


def test_create_saves_every_field_and_records_who(client, auth):
    world = make_world()
    auth.login(world.owner)
    response = client.post("/issues/new", data=issue_form_data(world, world.owner))
    assert response.status_code == 302
    issue = _issues()[-1]
    assert response.headers["Location"].endswith(f"/issues/{issue.id}")
    assert (issue.title, issue.priority, issue.status) == ("Izin tempat kampanye di Pamulang", "high", "open")
    assert (issue.meeting_id, issue.stage_id, issue.owner_id, issue.created_by_id) == (
        world.meeting.id,
        world.election.stages[6].id,
        world.owner.id,
        world.owner.id,
    )
    assert [o.id for o in issue.organizations] == [world.bawaslu.id]
    assert [c.id for c in issue.contacts] == [world.contact.id]
    event = db.session.execute(
        db.select(AuditEvent).where(AuditEvent.entity_type == "issues", AuditEvent.entity_id == issue.id)
    ).scalar_one()
    assert event.action == "create" and event.actor_user_id == world.owner.id
    assert event.changes["organizations"] == [[], [world.bawaslu.id]]
    assert event.changes["contacts"] == [[], [world.contact.id]]


def test_edit_changes_fields_and_history_shows_it(client, auth):
    world = make_world()
    auth.login(world.owner)
    data = issue_form_data(
        world, world.owner, title="Judul baru", organization_ids=[str(world.bawaslu.id), str(world.dukcapil.id)]
    )
    assert client.post(f"/issues/{world.issue.id}/edit", data=data).status_code == 302
    issue = _issues()[0]
    assert issue.title == "Judul baru"
    page = client.get(f"/issues/{issue.id}").get_data(as_text=True)
    assert "Riwayat" in page and "Judul baru" in page and "Bawaslu, Disdukcapil" in page


@pytest.mark.parametrize("role", ["staff_owner", "staff_creator"])
def test_staff_cannot_give_the_issue_to_someone_else(client, auth, role):
    world = make_world()
    editor = world.owner
    if role == "staff_creator":  # created it, but a manager gave it to a colleague
        world.issue.owner = world.other
        db.session.commit()
    auth.login(editor)
    target = world.manager if role == "staff_owner" else world.admin
    response = client.post(
        f"/issues/{world.issue.id}/edit", data=issue_form_data(world, editor, title="Ganti", owner_id=str(target.id))
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Anda hanya dapat menugaskan kendala kepada diri sendiri" in page
    assert 'value="Ganti"' in page  # what was typed is kept
    issue = _issues()[0]
    assert issue.title != "Ganti" and issue.owner_id != target.id


def test_staff_creator_may_take_over_and_manager_may_reassign(client, auth):
    world = make_world()
    world.issue.owner = world.other
    db.session.commit()
    auth.login(world.owner)  # the creator takes it back
    assert client.post(f"/issues/{world.issue.id}/edit", data=issue_form_data(world, world.owner)).status_code == 302
    auth.logout()
    auth.login(world.manager)
    assert (
        client.post(
            f"/issues/{world.issue.id}/edit", data=issue_form_data(world, world.manager, owner_id=str(world.other.id))
        ).status_code
        == 302
    )
    assert _issues()[0].owner_id == world.other.id


def test_staff_create_form_offers_only_themselves_as_owner(client, auth):
    world = make_world()
    auth.login(world.other)
    page = client.get("/issues/new").get_data(as_text=True)
    owner_select = page[page.index('name="owner_id"') :]
    owner_select = owner_select[: owner_select.index("</select>")]
    assert world.other.name in owner_select and world.owner.name not in owner_select


BAD_INPUT = {
    "far_past_due_date": ({"due_date": None}, "due_date", "lebih dari 30 hari"),
    "stage_of_another_election": ({"stage_id": None}, "stage_id", "bukan bagian dari pemilihan"),
    "meeting_of_another_election": ({"meeting_id": None}, "meeting_id", "pemilihan lain"),
    "oversize_title": ({"title": "x" * 201}, "title", "Gunakan paling banyak 200 karakter"),
    "oversize_description": ({"description": "x" * 20_001}, "description", "Gunakan paling banyak 20000 karakter"),
    "unknown_organization": ({"organization_ids": ["999999"]}, "organization_ids", "Pilih salah satu"),
    "unknown_contact": ({"contact_ids": ["abc"]}, "contact_ids", "Pilih salah satu"),
    "unknown_election": ({"election_id": "999999"}, "election_id", "Pilih salah satu"),
    "unknown_priority": ({"priority": "urgent"}, "priority", "Pilih salah satu"),
    "missing_title": ({"title": "  "}, "title", "Kolom ini wajib diisi"),
    "bad_date": ({"due_date": "31/02/2020"}, "due_date", "Tanggal tidak valid"),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_is_refused_next_to_the_field(client, auth, case):
    world = make_world()
    other_election = factories.make_election()
    other_meeting = factories.make_meeting(other_election)
    db.session.commit()
    overrides, field, message = BAD_INPUT[case]
    overrides = dict(overrides)
    if case == "far_past_due_date":
        overrides["due_date"] = far_past().isoformat()
    if case == "stage_of_another_election":
        overrides["stage_id"] = str(other_election.stages[3].id)
    if case == "meeting_of_another_election":
        overrides["meeting_id"] = str(other_meeting.id)
    auth.login(world.owner)
    before = len(_issues())
    response = client.post("/issues/new", data=issue_form_data(world, world.owner, **overrides))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error_at = page.index(f'id="{field}-error"')
    assert message in page[error_at : error_at + 300]
    assert "Izin tempat kampanye di Pamulang" in page or case in ("oversize_title", "missing_title")
    assert len(_issues()) == before


def test_error_messages_in_english(client, auth):
    world = make_world()
    auth.login(world.owner)
    client.post("/language", data={"language": "en"})
    response = client.post("/issues/new", data=issue_form_data(world, world.owner, due_date=far_past().isoformat()))
    assert response.status_code == 422
    assert "The due date is more than 30 days in the past." in response.get_data(as_text=True)


def test_edit_keeps_an_old_due_date_but_refuses_a_new_far_past_one(client, auth):
    world = make_world()
    world.issue.due_date = far_past() - timedelta(days=10)  # set long ago, now overdue: editing must still work
    db.session.commit()
    auth.login(world.owner)
    keep = issue_form_data(world, world.owner, due_date=world.issue.due_date.isoformat(), title="Tetap")
    assert client.post(f"/issues/{world.issue.id}/edit", data=keep).status_code == 302
    move = issue_form_data(world, world.owner, due_date=far_past().isoformat(), title="Pindah")
    assert client.post(f"/issues/{world.issue.id}/edit", data=move).status_code == 422
    assert _issues()[0].title == "Tetap"


def test_recent_past_due_date_is_accepted(client, auth):
    world = make_world()
    auth.login(world.owner)
    data = issue_form_data(world, world.owner, due_date=(local_today() - timedelta(days=3)).isoformat())
    assert client.post("/issues/new", data=data).status_code == 302


def test_without_an_election_the_form_says_what_to_do(client, auth):
    auth.as_role("staff")
    page = client.get("/issues/new").get_data(as_text=True)
    assert "Administrator perlu membuat pemilihan dan tahapannya terlebih dahulu." in page
