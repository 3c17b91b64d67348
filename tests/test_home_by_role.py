"""The home page by role: staff see their issues by due date and their unread inbox; managers the stage's state."""

from datetime import date, timedelta

from coordapp.core.time import local_today, utcnow
from coordapp.extensions import db
from coordapp.issues.services import add_follow_up
from coordapp.notifications.models import Notification
from tests import factories


def election_today():
    """An active election whose stage 12 runs today, the others around it."""
    election = factories.make_election(name="Pilkada Uji")
    today = local_today("Asia/Jakarta")
    for stage in election.stages:
        offset = (stage.position - 12) * 10
        stage.start_date, stage.end_date = today + timedelta(days=offset - 4), today + timedelta(days=offset + 5)
    db.session.flush()
    return election, today, {s.position: s for s in election.stages}


def test_staff_see_their_open_issues_soonest_first_and_their_unread_items(client, auth):
    me = auth.as_role("staff", name="Rina Staf")
    election, today, stages = election_today()
    later = factories.make_issue(election, title="Tenggat minggu depan", owner=me, due_date=today + timedelta(days=7))
    late = factories.make_issue(election, title="Sudah lewat tenggat", owner=me, due_date=today - timedelta(days=3))
    factories.make_issue(election, title="Sudah selesai", owner=me, status="resolved", due_date=today)
    factories.make_issue(election, title="Milik orang lain", due_date=today)
    db.session.add(Notification(user=me, kind="assigned", issue=later, actor_label="Ratna Manajer"))
    db.session.add(Notification(user=me, kind="mention", issue=late, actor_label="Dodi", read_dt=utcnow()))
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Kendala saya menurut tenggat" in page
    assert page.index("Sudah lewat tenggat") < page.index("Tenggat minggu depan")
    assert "Sudah selesai" not in page and "Milik orang lain" not in page
    assert f"Ratna Manajer menjadikan Anda penanggung jawab #{later.id}" in page
    assert "Dodi menyebut" not in page  # read already
    assert "Tahapan berisiko" not in page
    assert "Tahapan pemilihan" in page or "stages" in page  # the stage table stays below


def test_managers_see_the_current_stage_first_the_stages_at_risk_and_the_last_day(client, auth):
    auth.as_role("manager")
    election, today, stages = election_today()
    factories.make_issue(
        election, title="Lewat tenggat di tahap 3", stage=stages[3], due_date=today - timedelta(days=9)
    )
    factories.make_issue(election, title="Lewat di tahap 12", stage=stages[12], due_date=today - timedelta(days=1))
    factories.make_issue(election, title="Belum jatuh tempo", stage=stages[12], due_date=today + timedelta(days=3))
    old = factories.make_issue(election, title="Kendala lama", stage=stages[2], due_date=date(2020, 10, 1))
    old.created_dt = utcnow() - timedelta(days=3)
    done = factories.make_issue(election, title="Baru diselesaikan", status="resolved", stage=stages[12])
    done.created_dt, done.resolved_dt = utcnow() - timedelta(days=5), utcnow() - timedelta(hours=2)
    contact = factories.make_contact(name="Budi Penghubung")
    add_follow_up(old, kind="stakeholder_reply", body="Sudah ditangani", author_contact=contact)
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    current = page.index("home-current")
    assert current < page.index("Tahapan berisiko") < page.index('class="table stages')
    assert "Kampanye" in page[current : page.index("Tahapan berisiko")]
    risk = page[page.index("Tahapan berisiko") : page.index("Dalam 24 jam terakhir")]
    assert "1 kendala terbuka lewat tenggat" in risk and f"stage={stages[3].id}" in risk
    assert f"stage={stages[12].id}" in risk and f"stage={stages[2].id}" in risk  # Kendala lama is overdue too
    day = page[page.index("Dalam 24 jam terakhir") :]
    assert "3 kendala diajukan" in day and "Kendala lama" not in day.split("diselesaikan")[0]
    assert "1 kendala diselesaikan" in day and "Baru diselesaikan" in day
    assert "1 balasan pemangku kepentingan diterima" in day and "Budi Penghubung" in day
    assert "Kendala saya menurut tenggat" not in page


def test_admins_see_what_managers_see(client, auth):
    auth.as_role("admin")
    election_today()
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Tahapan berisiko" in page and "Dalam 24 jam terakhir" in page


def test_the_home_page_asks_a_fixed_number_of_queries(client, auth):
    from tests.querycount import count_queries

    me = auth.as_role("staff")
    election, today, _ = election_today()
    first = factories.make_issue(election, owner=me, due_date=today)
    db.session.add(Notification(user=me, kind="assigned", issue=first, actor_label="Ratna"))
    db.session.commit()
    client.get("/")
    with count_queries() as few:
        client.get("/")
    for n in range(5):
        issue = factories.make_issue(election, owner=me, due_date=today + timedelta(days=n))
        db.session.add(Notification(user=me, kind="assigned", issue=issue, actor_label="Ratna"))
    db.session.commit()
    with count_queries() as many:
        client.get("/")
    assert many.count == few.count <= 10  # the stage table's 8, the unread items, the staff's own issues
