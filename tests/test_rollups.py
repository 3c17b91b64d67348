"""Issue roll-ups: every write keeps them equal to a recount, in its own transaction; verify and rebuild repair them."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, update

from coordapp.auth.access import role_required
from coordapp.core.time import local_today
from coordapp.dashboard.board import build_board
from coordapp.elections.models import Stage
from coordapp.extensions import db
from coordapp.issues import services
from coordapp.issues.models import Issue
from coordapp.rollups import services as rollups
from coordapp.rollups.models import IssueRollup
from tests import factories
from tests.issues_support import issue_form_data, make_world


def _recount() -> dict:
    """Count the live issues by (election, stage, status, priority, owner), independently of coordapp.rollups."""
    rows = db.session.execute(
        db.select(
            Issue.election_id,
            Issue.stage_id,
            Issue.status,
            Issue.priority,
            Issue.owner_id,
            func.count(),
            func.count(Issue.first_response_dt),
            func.count(Issue.resolved_dt),
        )
        .where(Issue.is_archived.is_(False))
        .group_by(Issue.election_id, Issue.stage_id, Issue.status, Issue.priority, Issue.owner_id)
    )
    return {tuple(row[:5]): tuple(row[5:]) for row in rows}


def _rollups() -> dict:
    """Read the roll-ups, groups that hold nothing left out."""
    r = IssueRollup
    rows = db.session.execute(
        db.select(r.election_id, r.stage_id, r.status, r.priority, r.owner_id, r.n, r.responded, r.resolved).where(
            (r.n != 0) | (r.responded != 0) | (r.resolved != 0)
        )
    )
    return {tuple(row[:5]): tuple(row[5:]) for row in rows}


def assert_rollups_exact() -> dict:
    """Assert that the roll-ups equal a GROUP BY over the issues; return them."""
    db.session.rollback()  # read what is committed, as the next request will
    stored = _rollups()
    assert stored == _recount()
    return stored


def _group(issue: Issue) -> tuple:
    db.session.refresh(issue)
    return (issue.election_id, issue.stage_id, issue.status, issue.priority, issue.owner_id)


def test_raising_editing_moving_and_reassigning_through_the_forms_keep_the_rollups_exact(client, auth):
    world = make_world()
    assert_rollups_exact()
    auth.login(world.manager)
    assert client.post("/issues/new", data=issue_form_data(world, world.manager)).status_code == 302
    new = db.session.execute(db.select(Issue).order_by(Issue.id.desc()).limit(1)).scalar_one()
    assert assert_rollups_exact()[_group(new)] == (1, 0, 0)
    url = f"/issues/{new.id}/edit"
    edits = {  # each a field of the group, kept in the next edits
        "priority": {"priority": "critical"},
        "stage": {"stage_id": str(world.election.stages[2].id)},
        "owner": {"owner_id": str(world.other.id)},
        "no stage": {"stage_id": ""},
    }
    changed = {}
    for what, change in edits.items():
        changed |= change
        version = str(db.session.get(Issue, new.id).version)
        data = issue_form_data(world, world.manager, version=version, **changed)
        assert client.post(url, data=data).status_code == 302, what
        stored = assert_rollups_exact()
        assert stored[_group(new)] == (1, 0, 0), what
    assert _group(new) == (world.election.id, None, "open", "critical", world.other.id)


def _move(client, issue_id: int, status: str, **extra):
    db.session.rollback()
    issue = db.session.get(Issue, issue_id)
    data = {"status": status, "from_status": issue.status, "visibility": "internal", **extra}
    return client.post(f"/issues/{issue_id}/status", data=data)


def test_status_moves_resolving_and_reopening_keep_the_rollups_exact(client, auth):
    world = make_world()
    auth.login(world.owner)
    issue_id = world.issue.id
    group = _group(world.issue)[:2]
    assert _move(client, issue_id, "in_progress").status_code == 302
    assert assert_rollups_exact()[(*group, "in_progress", "normal", world.owner.id)] == (1, 1, 0)
    assert _move(client, issue_id, "resolved").status_code == 302
    assert assert_rollups_exact()[(*group, "resolved", "normal", world.owner.id)] == (1, 1, 1)
    assert _move(client, issue_id, "open", reason="Belum tuntas").status_code == 302
    stored = assert_rollups_exact()
    assert stored[(*group, "open", "normal", world.owner.id)] == (1, 1, 0)
    assert (*group, "resolved", "normal", world.owner.id) not in stored
    comment = {"kind": "comment", "body": "Sudah dihubungi.", "visibility": "internal"}
    assert client.post(f"/issues/{issue_id}/follow-ups", data=comment).status_code == 302
    assert_rollups_exact()


def test_archiving_and_restoring_take_the_issue_out_of_the_counts_and_back(client, auth):
    world = make_world()
    auth.login(world.manager)
    group = _group(world.issue)
    assert client.post(f"/issues/{world.issue.id}/archive").status_code == 302
    assert group not in assert_rollups_exact()
    assert client.post(f"/issues/{world.issue.id}/restore").status_code == 302
    assert assert_rollups_exact()[group] == (1, 1, 0)  # its open action was its first response


def test_a_stage_date_change_and_a_deletion_keep_the_rollups_exact(client, auth):
    world = make_world()
    auth.login(world.admin)
    stage = world.election.stages[6]
    form = {"code": stage.code, "name": stage.name, "name_en": stage.name_en, "phase": stage.phase}
    form |= {"start_date": "2020-09-26", "end_date": "2020-12-05"}
    assert client.post(f"/admin/stages/{stage.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    assert str(db.session.get(Stage, stage.id).end_date) == "2020-12-05"
    before = assert_rollups_exact()
    assert before[_group(world.issue)] == (1, 1, 0)  # the open action was its first response
    # No route deletes an issue; the ORM's delete (and its cascade to the timeline) is the one path.
    db.session.delete(db.session.get(Issue, world.issue.id))
    db.session.commit()
    assert assert_rollups_exact() == {}


def test_the_demo_loader_leaves_exact_rollups(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    stored = assert_rollups_exact()
    assert sum(n for n, _, _ in stored.values()) == db.session.scalar(
        db.select(func.count()).select_from(Issue).where(Issue.is_archived.is_(False))
    )
    assert sum(n for n, _, _ in stored.values()) > 10


def test_a_request_that_fails_after_its_flush_leaves_the_rollups_as_they_were(app, client, auth):
    world = make_world()

    @app.post("/test-only/failing-move/<int:issue_id>")
    @role_required("staff")
    def failing_move(issue_id):
        issue = db.session.get(Issue, issue_id)
        services.change_status(issue, "resolved")
        issue.priority = "critical"
        db.session.flush()  # the roll-ups are written here, in the request's transaction
        raise RuntimeError("the request fails before its commit")

    auth.login(world.owner)
    before = assert_rollups_exact()
    with pytest.raises(RuntimeError):
        client.post(f"/test-only/failing-move/{world.issue.id}")
    assert assert_rollups_exact() == before
    # Inside the transaction, the flush had moved the count: a rollback is what took it back.
    issue = db.session.get(Issue, world.issue.id)
    issue.priority = "critical"
    db.session.flush()
    assert _rollups() != before
    db.session.rollback()
    assert assert_rollups_exact() == before


def test_two_writers_counting_into_the_same_group_at_once_both_count(app):
    election = factories.make_election()
    owner = factories.make_user("staff")
    db.session.commit()
    election_id, stage_id, owner_id = election.id, election.stages[0].id, owner.id
    rounds, errors, barrier = 10, [], threading.Barrier(2)

    def write(n):
        with app.app_context():
            try:
                for round_ in range(rounds):
                    barrier.wait()
                    priority = ("low", "high")[round_ % 2]  # a group that is new in the first rounds, then stored
                    db.session.add(
                        Issue(
                            election_id=election_id,
                            stage_id=stage_id,
                            owner_id=owner_id,
                            title=f"Balapan {n}-{round_}",
                            priority=priority,
                            due_date=local_today() + timedelta(days=3),
                        )
                    )
                    db.session.commit()
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                barrier.abort()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=write, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    stored = assert_rollups_exact()
    assert stored[(election_id, stage_id, "open", "low", owner_id)] == (rounds, 0, 0)
    assert stored[(election_id, stage_id, "open", "high", owner_id)] == (rounds, 0, 0)


def test_verify_says_match_then_reports_a_corrupted_row_and_rebuild_repairs_it(runner):
    world = make_world()
    factories.make_issue(world.election, stage=None, priority="high")
    db.session.commit()
    result = runner.invoke(args=["rollups", "verify"])
    assert result.exit_code == 0 and "roll-ups match" in result.output
    db.session.execute(update(IssueRollup).where(IssueRollup.stage_id.is_not(None)).values(n=IssueRollup.n + 5))
    db.session.commit()
    result = runner.invoke(args=["rollups", "verify"])
    assert result.exit_code == 1
    assert f"election {world.election.id}: 1 group(s) differ" in result.output
    assert f"stage={world.election.stages[6].id} status=open priority=normal" in result.output
    assert "stored n=6 responded=1 resolved=0, recounted n=1 responded=1 resolved=0" in result.output
    result = runner.invoke(args=["rollups", "rebuild", "--election", str(world.election.id)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["rollups", "verify"])
    assert result.exit_code == 0 and "roll-ups match" in result.output
    assert_rollups_exact()


def test_the_board_counts_from_the_rollups(app):
    """The board reads its counts from the roll-ups (a stale row shows), and a rebuild puts it right."""
    world = make_world()
    factories.make_issue(world.election, stage=world.election.stages[6], priority="critical")
    db.session.commit()
    today = local_today()
    assert build_board(world.election, today).stages[6].by_status["open"] == 2
    db.session.execute(update(IssueRollup).values(n=IssueRollup.n + 3))
    assert build_board(world.election, today).stages[6].by_status["open"] == 8
    rollups.rebuild(world.election.id)
    figures = build_board(world.election, today).stages[6]
    assert (figures.by_status["open"], figures.open_urgent, figures.total) == (2, 1, 2)


def test_a_change_made_without_the_old_values_loaded_moves_the_count_from_the_stored_group(app):
    """After a commit every attribute is expired: setting one records no old value, so the database is asked."""
    world = make_world()
    issue = world.issue
    assert "priority" not in inspect(issue).dict  # expired by the commit
    issue.priority = "low"
    issue.owner_id = world.other.id
    db.session.commit()
    stored = assert_rollups_exact()
    assert stored[(world.election.id, world.election.stages[6].id, "open", "low", world.other.id)] == (1, 1, 0)
