"""A refused form says at its top what to correct, with a link to each field; fields required in some case say so."""

import re

from tests.issues_support import issue_form_data, make_world
from tests.test_reminders_links import linked_issues


def _summary(page: str) -> str:
    found = re.search(r'<div class="flash flash-danger error-summary"[^>]*>(.*?)</div>', page, re.S)
    assert found is not None, "no error summary"
    return found.group(1)


def test_a_refused_form_lists_each_error_with_a_link_to_its_field(client, auth):
    world = make_world()
    auth.login(world.owner)
    response = client.post("/issues/new", data=issue_form_data(world, world.owner, title=" ", priority="urgent"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    summary = _summary(page)
    assert "Perbaiki isian yang ditandai." in summary
    assert '<a href="#title">Judul</a>: Kolom ini wajib diisi.' in summary
    assert '<a href="#priority">Prioritas</a>: Pilih salah satu' in summary
    assert page.index("error-summary") < page.index('name="title"')  # above the fields, at the top of the form
    assert 'id="title"' in page and 'id="priority"' in page  # the links lead somewhere


def test_a_form_level_error_is_listed_without_a_link(client):
    token, *_ = linked_issues()  # the link's page needs no login
    page = client.post(f"/reminders/r/{token}", data={}).get_data(as_text=True)
    assert "<li>Tulis jawaban untuk sekurang-kurangnya satu kendala.</li>" in _summary(page)


def test_a_valid_page_has_no_summary(client, auth):
    world = make_world()
    auth.login(world.owner)
    assert "error-summary" not in client.get("/issues/new").get_data(as_text=True)


def test_fields_required_in_some_case_carry_a_mark_and_the_case(client, auth):
    world = make_world()
    auth.login(world.owner)
    page = client.get(f"/issues/{world.issue.id}").get_data(as_text=True)
    due = re.search(r'<div class="field[^"]*action-only">(.*?)</div>', page, re.S).group(1)
    assert '<span class="req req-when" aria-hidden="true">*</span>' in due
    assert '<small class="hint req-hint" id="action_due_date-when">Wajib diisi untuk tindakan.</small>' in due
    assert 'aria-describedby="action_due_date-when"' in due
    assert 'id="reason-when">Wajib diisi saat membuka kembali kendala.</small>' in page


def test_a_conditional_field_in_error_points_to_its_error_and_its_case(client, auth):
    world = make_world()
    auth.login(world.owner)
    response = client.post(f"/issues/{world.issue.id}/follow-ups", data={"kind": "action", "body": "Surati"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<a href="#action_due_date">Tenggat tindakan</a>: Tindakan memerlukan tenggat.' in _summary(page)
    assert 'aria-describedby="action_due_date-error action_due_date-when"' in page


def test_the_summary_in_english(client, auth):
    world = make_world()
    auth.login(world.owner)
    client.post("/language", data={"language": "en"})
    page = client.post("/issues/new", data=issue_form_data(world, world.owner, title="")).get_data(as_text=True)
    summary = _summary(page)
    assert (
        "Please correct the marked fields." in summary
        and '<a href="#title">Title</a>: This field is required.' in summary
    )
