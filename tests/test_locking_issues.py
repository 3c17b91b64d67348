"""No edit of an issue is lost: stale forms get a 409 with what changed, status moves compare and set."""

from coordapp.core import locking
from coordapp.extensions import db
from coordapp.issues import services
from coordapp.issues.models import FollowUp, Issue
from tests.issues_support import issue_form_data, make_world
from tests.locking_support import hidden, run_together, second_client


def _edit_form(client, issue_id: int) -> dict:
    page = client.get(f"/issues/{issue_id}/edit").get_data(as_text=True)
    return {"version": hidden(page, "version"), "submission_token": hidden(page, "submission_token")}


def _fresh(issue_id: int) -> Issue:
    db.session.expire_all()
    return db.session.get(Issue, issue_id)


def test_an_older_copy_of_the_form_cannot_undo_a_newer_save(app, client, auth):
    world = make_world()
    auth.login(world.owner)
    manager = second_client(app, world.manager)
    owners_copy = _edit_form(client, world.issue.id)  # the owner opens the form first ...
    managers_copy = _edit_form(manager, world.issue.id)
    data = issue_form_data(world, world.owner, priority="normal")
    saved = manager.post(
        f"/issues/{world.issue.id}/edit",
        data={**data, "owner_id": str(world.owner.id), "priority": "critical"} | managers_copy,
    )
    assert saved.status_code == 302
    # ... and saves it after the manager: their older copy still says "normal".
    response = client.post(
        f"/issues/{world.issue.id}/edit", data={**data, "title": "Judul dari salinan lama"} | owners_copy
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone else changed this while you were editing" in page or "Orang lain mengubah" in page
    assert "Kritis" in page and world.manager.name in page  # the change, and who made it
    assert 'value="Judul dari salinan lama"' in page  # the owner's own text is kept in the form
    issue = _fresh(world.issue.id)
    assert (issue.priority, issue.title) == ("critical", world.issue.title)


def test_saving_again_after_the_conflict_page_is_a_deliberate_overwrite(app, client, auth):
    world = make_world()
    auth.login(world.owner)
    stale = _edit_form(client, world.issue.id)
    world.issue.priority = "critical"
    db.session.commit()
    data = issue_form_data(world, world.owner, title="Judul baru")
    page = client.post(f"/issues/{world.issue.id}/edit", data=data | stale).get_data(as_text=True)
    again = {"version": hidden(page, "version"), "submission_token": hidden(page, "submission_token")}
    assert again["version"] == str(_fresh(world.issue.id).version)
    assert client.post(f"/issues/{world.issue.id}/edit", data=data | again).status_code == 302
    assert _fresh(world.issue.id).title == "Judul baru"


def test_a_junk_version_is_a_conflict_not_an_error(client, auth):
    world = make_world()
    auth.login(world.owner)
    data = issue_form_data(world, world.owner, title="Judul baru") | {"version": "abc"}
    assert client.post(f"/issues/{world.issue.id}/edit", data=data).status_code == 409
    assert _fresh(world.issue.id).title != "Judul baru"


def test_changing_only_the_organizations_makes_open_forms_stale(client, auth):
    world = make_world()
    auth.login(world.owner)
    stale = _edit_form(client, world.issue.id)
    world.issue.organizations.append(world.bawaslu)
    db.session.commit()
    response = client.post(f"/issues/{world.issue.id}/edit", data=issue_form_data(world, world.owner) | stale)
    assert response.status_code == 409
    assert "Bawaslu" in response.get_data(as_text=True)


def test_a_move_from_a_status_the_issue_no_longer_has_is_refused(client, auth):
    world = make_world()
    auth.login(world.owner)
    page = client.get(f"/issues/{world.issue.id}").get_data(as_text=True)
    assert hidden(page, "from_status") == "open"
    first = client.post(f"/issues/{world.issue.id}/status", data={"status": "in_progress", "from_status": "open"})
    assert first.status_code == 302
    second = client.post(f"/issues/{world.issue.id}/status", data={"status": "resolved", "from_status": "open"})
    assert second.status_code == 409
    assert "Sedang ditangani" in second.get_data(as_text=True)  # the status it has now
    moves = db.session.execute(db.select(FollowUp).where(FollowUp.kind == "status_change")).scalars().all()
    assert [(m.old_status, m.new_status) for m in moves] == [("open", "in_progress")]
    assert _fresh(world.issue.id).status == "in_progress"


def test_twenty_concurrent_status_moves_agree_with_the_timeline(app, make_app):
    world = make_world()
    issue_id = world.issue.id
    racing = make_app(SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 25, "max_overflow": 5, "pool_timeout": 60})

    def move(n: int, barrier) -> str:
        with racing.app_context():
            try:
                for attempt in range(3):
                    issue = db.session.get(Issue, issue_id)
                    seen = issue.status
                    if attempt == 0:
                        barrier.wait(timeout=60)  # everyone has read the issue before anyone moves it
                    moves = services.allowed_moves(issue)
                    try:
                        services.change_status(issue, moves[n % len(moves)], reason="Dibuka lagi", from_status=seen)
                        db.session.commit()
                        return "moved"
                    except (services.StatusMoved, *locking.CONFLICTS):
                        db.session.rollback()
                return "refused"
            finally:
                db.session.remove()
                db.engine.dispose()

    results = run_together(20, move)
    assert all(r in ("moved", "refused") for r in results), results
    db.session.expire_all()
    entries = (
        db.session.execute(
            db.select(FollowUp)
            .where(FollowUp.issue_id == issue_id, FollowUp.kind == "status_change")
            .order_by(FollowUp.id)
        )
        .scalars()
        .all()
    )
    assert len(entries) == results.count("moved") >= 1
    assert entries[0].old_status == "open"
    for earlier, later in zip(entries, entries[1:], strict=False):
        assert later.old_status == earlier.new_status
    assert db.session.get(Issue, issue_id).status == entries[-1].new_status
