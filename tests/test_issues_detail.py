"""The issue page: timeline, follow-ups, the status workflow, actions, archiving."""

from datetime import timedelta

import pytest

from coordapp.core.time import local_today
from coordapp.extensions import db
from coordapp.issues import services
from coordapp.issues.models import FollowUp, Issue
from tests.issues_support import far_past, make_world


def _issue(issue_id: int) -> Issue:
    db.session.expire_all()
    return db.session.get(Issue, issue_id)


def _move_buttons(page: str) -> set[str]:
    start = page.index('id="status"')
    block = page[start : page.index("</section>", start)]
    return {part.split('"')[0] for part in block.split('name="status" value="')[1:]}


def test_page_shows_fields_timeline_and_history(client, auth):
    world = make_world()
    auth.login(world.other)
    page = client.get(f"/issues/{world.issue.id}").get_data(as_text=True)
    assert world.issue.title in page
    assert "Rina Kusuma" in page and "Disdukcapil" in page
    assert "Jemput bola perekaman e-KTP" in page  # the action on the timeline
    assert "Linimasa" in page and "Riwayat" in page


def test_comment_goes_on_the_timeline_and_counts_as_first_response(client, auth):
    world = make_world()
    world.issue.first_response_dt = None
    db.session.commit()
    auth.login(world.other)
    response = client.post(
        f"/issues/{world.issue.id}/follow-ups",
        data={"kind": "comment", "body": "Disdukcapil siap *jemput bola* Sabtu ini."},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("#timeline")
    issue = _issue(world.issue.id)
    entry = issue.follow_ups[-1]
    assert (entry.kind, entry.author_user_id) == ("comment", world.other.id)
    assert issue.first_response_dt is not None
    page = client.get(f"/issues/{issue.id}").get_data(as_text=True)
    assert "<em>jemput bola</em>" in page and "Agus Pratama" in page


def test_action_needs_its_own_due_date_and_can_be_ticked(client, auth):
    world = make_world()
    auth.login(world.owner)
    url = f"/issues/{world.issue.id}/follow-ups"
    refused = client.post(url, data={"kind": "action", "body": "Surati Disdukcapil"})
    assert refused.status_code == 422
    assert "Tindakan memerlukan tenggat." in refused.get_data(as_text=True)
    assert "Surati Disdukcapil" in refused.get_data(as_text=True)
    far = client.post(url, data={"kind": "action", "body": "Surati", "action_due_date": far_past().isoformat()})
    assert far.status_code == 422
    due = (local_today() + timedelta(days=2)).isoformat()
    assert client.post(url, data={"kind": "action", "body": "Surati", "action_due_date": due}).status_code == 302
    entry = _issue(world.issue.id).follow_ups[-1]
    assert entry.kind == "action" and entry.action_due_date.isoformat() == due and entry.action_done_dt is None
    tick = f"/issues/{world.issue.id}/follow-ups/{entry.id}/done"
    assert client.post(tick, data={"done": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(FollowUp, entry.id).action_done_dt is not None
    db.session.expire_all()
    assert client.post(tick, data={"done": "0"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(FollowUp, entry.id).action_done_dt is None


def test_a_comment_cannot_be_ticked_and_entries_belong_to_their_issue(client, auth):
    world = make_world()
    comment = services.add_follow_up(world.issue, body="Catatan", author_user=world.owner)
    db.session.commit()
    auth.login(world.manager)
    assert client.post(f"/issues/{world.issue.id}/follow-ups/{comment.id}/done", data={"done": "1"}).status_code == 404
    assert (
        client.post(f"/issues/{world.issue.id + 1}/follow-ups/{world.action.id}/done", data={"done": "1"}).status_code
        == 404
    )


def test_the_author_of_an_action_may_tick_it_on_someone_elses_issue(client, auth):
    world = make_world()
    entry = services.add_follow_up(
        world.issue, kind="action", body="Cek lokasi", author_user=world.other, action_due_date=local_today()
    )
    db.session.commit()
    auth.login(world.other)
    assert client.post(f"/issues/{world.issue.id}/follow-ups/{entry.id}/done", data={"done": "1"}).status_code == 302


def test_only_allowed_moves_are_offered(client, auth):
    world = make_world()
    auth.login(world.owner)
    page = client.get(f"/issues/{world.issue.id}").get_data(as_text=True)
    assert _move_buttons(page) == set(services.TRANSITIONS["open"])
    world.issue.status = "closed"
    db.session.commit()
    page = client.get(f"/issues/{world.issue.id}").get_data(as_text=True)
    assert _move_buttons(page) == {"open"} and "Buka kembali" in page


def test_staff_who_cannot_edit_see_no_moves(client, auth):
    world = make_world()
    auth.login(world.other)
    page = client.get(f"/issues/{world.issue.id}").get_data(as_text=True)
    assert 'id="status"' not in page and f"/issues/{world.issue.id}/edit" not in page
    assert 'id="follow-up"' in page  # colleagues still add follow-ups


def test_status_moves_are_written_on_the_timeline_with_resolution_time(client, auth):
    world = make_world()
    auth.login(world.owner)
    url = f"/issues/{world.issue.id}/status"
    assert client.post(url, data={"status": "in_progress"}).status_code == 302
    assert client.post(url, data={"status": "resolved", "reason": "Perekaman selesai."}).status_code == 302
    issue = _issue(world.issue.id)
    assert issue.status == "resolved" and issue.resolved_dt is not None
    moves = [(f.old_status, f.new_status) for f in issue.follow_ups if f.kind == "status_change"]
    assert moves == [("open", "in_progress"), ("in_progress", "resolved")]
    page = client.get(f"/issues/{issue.id}").get_data(as_text=True)
    assert "Perekaman selesai." in page and "Status diubah" in page


@pytest.mark.parametrize(
    "start, move, reason, message",
    [
        (
            "resolved",
            "in_progress",
            "",
            "Kendala tidak dapat berpindah dari status ini ke status tersebut.",
        ),  # not a move the workflow offers
        ("closed", "open", "   ", "Sebutkan alasan membuka kembali kendala ini."),
        ("open", "deleted", "", "Pilih salah satu pilihan yang tersedia."),
    ],
)
def test_invalid_moves_are_refused_on_the_page(client, auth, start, move, reason, message):
    world = make_world()
    world.issue.status = start
    db.session.commit()
    auth.login(world.owner)
    response = client.post(f"/issues/{world.issue.id}/status", data={"status": move, "reason": reason})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    issue = _issue(world.issue.id)
    assert issue.status == start and not any(f.kind == "status_change" for f in issue.follow_ups)


def test_reopening_with_a_reason(client, auth):
    world = make_world()
    world.issue.status = "closed"
    db.session.commit()
    auth.login(world.owner)
    response = client.post(
        f"/issues/{world.issue.id}/status", data={"status": "open", "reason": "Masih ada 200 warga."}
    )
    assert response.status_code == 302
    issue = _issue(world.issue.id)
    assert issue.status == "open" and issue.resolved_dt is None
    assert issue.follow_ups[-1].body == "Masih ada 200 warga."


def test_archive_is_read_only_and_a_manager_restores_it(client, auth):
    world = make_world()
    auth.login(world.manager)
    assert client.post(f"/issues/{world.issue.id}/archive").status_code == 302
    assert _issue(world.issue.id).is_archived
    assert world.issue.title not in client.get("/issues/").get_data(as_text=True)
    assert world.issue.title in client.get("/issues/?archived=1").get_data(as_text=True)
    assert client.post(f"/issues/{world.issue.id}/archive").status_code == 409
    page = client.get(f"/issues/{world.issue.id}").get_data(as_text=True)
    assert "diarsipkan" in page and 'id="follow-up"' not in page and 'id="status"' not in page
    assert client.post(f"/issues/{world.issue.id}/follow-ups", data={"kind": "comment", "body": "x"}).status_code == 403
    assert client.get(f"/issues/{world.issue.id}/edit").status_code == 403
    assert client.post(f"/issues/{world.issue.id}/restore").status_code == 302
    assert not _issue(world.issue.id).is_archived
    page = client.get(f"/issues/{world.issue.id}").get_data(as_text=True)
    assert "Dipulihkan dari arsip" in page and "Diarsipkan" in page  # both moves in the history


def test_unknown_issue_is_404(client, auth):
    auth.as_role("staff")
    assert client.get("/issues/999999").status_code == 404
    assert client.post("/issues/999999/follow-ups", data={"body": "x"}).status_code == 404
