"""The charts' roll-ups (rollups.day_counts) stay equal to a recount after every way an issue is written.

Each test writes as users do (the app's routes; services where no route exists) and then checks
that the table holds exactly what counting the issues from scratch gives. Runs on SQLite and, in
CI's second run, on PostgreSQL.
"""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import update

from coordapp.core.time import local_today, utcnow
from coordapp.dashboard.charts import open_ages, weekly_flow
from coordapp.demo.services import seed_demo
from coordapp.elections.models import Election
from coordapp.extensions import db
from coordapp.issues.models import Issue
from coordapp.issues.services import add_follow_up
from coordapp.rollups import day_counts
from coordapp.rollups.models import IssueDayCount
from tests import factories
from tests.issues_support import issue_form_data, make_world


def assert_exact(*elections) -> None:
    """Assert the table equals a full recount for each election, and that it counts something."""
    db.session.expire_all()
    for election in elections:
        election_id = election if isinstance(election, int) else election.id
        assert day_counts.differences(election_id) == []
    db.session.rollback()


def _stored_total(election, measure: str) -> int:
    return sum(n for (_, _, m, _), n in day_counts.stored(election.id).items() if m == measure)


@pytest.fixture
def world(app):
    world = make_world()
    db.session.commit()
    return world


def test_raising_an_issue_through_the_form_counts_it(client, auth, world):
    auth.login(world.owner)
    before = _stored_total(world.election, "raised")
    assert client.post("/issues/new", data=issue_form_data(world, world.owner)).status_code == 302
    assert _stored_total(world.election, "raised") == before + 1
    assert_exact(world.election)


def test_editing_moving_stage_and_reassigning_keep_the_counts_exact(client, auth, world):
    auth.login(world.manager)
    data = issue_form_data(
        world, world.manager, stage_id=str(world.election.stages[2].id), owner_id=str(world.other.id)
    )
    assert client.post(f"/issues/{world.issue.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Issue, world.issue.id).stage_id == world.election.stages[2].id
    ages = open_ages(world.election, local_today())
    assert world.election.stages[2].id in ages and world.election.stages[6].id not in ages
    assert_exact(world.election)


def test_status_moves_resolve_and_reopen_keep_the_counts_exact(client, auth, world):
    auth.login(world.manager)
    url = f"/issues/{world.issue.id}/status"
    for status in ("in_progress", "resolved", "open", "closed"):
        assert client.post(url, data={"status": status, "reason": "Diperbarui"}).status_code == 302, status
        assert_exact(world.election)
    assert _stored_total(world.election, "raised") == 0  # closed: no longer open
    assert _stored_total(world.election, "resolved") == 1


def test_archive_and_restore_take_the_issue_out_and_back(client, auth, world):
    auth.login(world.manager)
    before = day_counts.stored(world.election.id)
    assert client.post(f"/issues/{world.issue.id}/archive").status_code == 302
    assert day_counts.stored(world.election.id) == {}
    assert_exact(world.election)
    assert client.post(f"/issues/{world.issue.id}/restore").status_code == 302
    assert day_counts.stored(world.election.id) == before
    assert_exact(world.election)


def test_a_first_response_counts_its_whole_days(client, auth, world):
    issue = db.session.get(Issue, world.issue.id)
    issue.created_dt = utcnow() - timedelta(days=3, hours=2)
    issue.first_response_dt = None
    db.session.commit()
    auth.login(world.owner)
    response = client.post(f"/issues/{issue.id}/follow-ups", data={"kind": "comment", "body": "Sudah dihubungi"})
    assert response.status_code == 302
    stored = day_counts.stored(world.election.id)
    assert stored.get((world.election.id, world.election.stages[6].id, "response", 3)) == 1
    assert_exact(world.election)


def test_deleting_an_issue_takes_its_counts_away(world):
    db.session.delete(db.session.get(Issue, world.issue.id))
    db.session.commit()
    assert day_counts.stored(world.election.id) == {}
    assert_exact(world.election)


def test_a_rolled_back_write_leaves_the_counts_as_they_were(world):
    before = day_counts.stored(world.election.id)
    factories.make_issue(world.election, title="Tidak jadi", stage=world.election.stages[1])
    db.session.flush()
    assert day_counts.stored(world.election.id) != before  # counted inside the transaction...
    db.session.rollback()
    assert day_counts.stored(world.election.id) == before  # ...and gone with it
    assert_exact(world.election)


def test_a_refused_form_changes_no_count(client, auth, world):
    auth.login(world.owner)
    before = day_counts.stored(world.election.id)
    refused = client.post("/issues/new", data=issue_form_data(world, world.owner, title=""))
    assert refused.status_code == 422
    assert day_counts.stored(world.election.id) == before


def test_a_timezone_change_counts_the_election_again(client, auth, world):
    issue = db.session.get(Issue, world.issue.id)
    issue.created_dt = issue.created_dt.replace(hour=15, minute=30)  # 22:30 in Jakarta, 00:30 the next day in Jayapura
    db.session.commit()
    jakarta_day = day_counts.stored(world.election.id)
    auth.as_role("admin")
    election = db.session.get(Election, world.election.id)
    data = {"name": election.name, "slug": election.slug, "region": election.region or ""}
    data |= {"timezone": "Asia/Jayapura", "is_active": "y", "template": ""}
    response = client.post(f"/admin/elections/{election.id}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    assert day_counts.stored(world.election.id) != jakarta_day
    assert_exact(world.election)


def test_the_demo_is_counted_exactly(app):
    seed_demo(local_today())
    db.session.commit()
    elections = db.session.execute(db.select(Election.id)).scalars().all()
    assert elections and sum(len(day_counts.stored(e)) for e in elections) > 20
    assert_exact(*elections)


def test_two_writers_at_once_both_count(app):
    election = factories.make_election()
    db.session.commit()
    election_id, stage_id = election.id, election.stages[3].id
    barrier, errors = threading.Barrier(2), []

    def raise_issues():
        with app.app_context():
            try:
                for i in range(10):
                    barrier.wait()
                    e = db.session.get(Election, election_id)
                    factories.make_issue(e, title=f"Bersamaan {i}", stage=db.session.get(type(e.stages[0]), stage_id))
                    db.session.commit()
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                barrier.abort()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=raise_issues) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(n for (_, _, m, _), n in day_counts.stored(election_id).items() if m == "raised") == 20
    assert_exact(election_id)


def test_the_charts_read_the_roll_ups(app):
    world = make_world()
    db.session.commit()
    flow = weekly_flow(world.election)
    assert sum(flow[world.election.stages[6].id]["created"].values()) == 1
    db.session.execute(update(IssueDayCount).values(n=IssueDayCount.n + 4))  # what the charts show is the table
    assert sum(weekly_flow(world.election)[world.election.stages[6].id]["created"].values()) == 5
    assert day_counts.differences(world.election.id) != []
    db.session.rollback()


def test_rebuild_repairs_a_damaged_table(app):
    world = make_world()
    add_follow_up(world.issue, kind="comment", body="Tindak lanjut", author_user=world.owner)
    db.session.commit()
    good = day_counts.stored(world.election.id)
    db.session.execute(update(IssueDayCount).values(n=IssueDayCount.n + 1))
    db.session.execute(db.delete(IssueDayCount).where(IssueDayCount.measure == "created"))
    db.session.commit()
    assert day_counts.differences(world.election.id) != []
    day_counts.rebuild(world.election.id)
    db.session.commit()
    assert day_counts.stored(world.election.id) == good
    assert_exact(world.election)


def test_verify_reports_a_damaged_day_count_and_rebuild_repairs_it(runner):
    world = make_world()
    db.session.commit()
    assert runner.invoke(args=["rollups", "verify"]).exit_code == 0
    db.session.execute(update(IssueDayCount).where(IssueDayCount.measure == "raised").values(n=IssueDayCount.n + 2))
    db.session.commit()
    result = runner.invoke(args=["rollups", "verify"])
    assert result.exit_code == 1
    assert f"election {world.election.id}: 1 chart day count(s) differ" in result.output
    assert "raised" in result.output and "stored 3, recounted 1" in result.output
    assert runner.invoke(args=["rollups", "rebuild"]).exit_code == 0
    result = runner.invoke(args=["rollups", "verify"])
    assert result.exit_code == 0 and "roll-ups match" in result.output
