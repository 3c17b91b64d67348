"""Each event tells exactly the people it concerns: never the actor, never someone who may not read it."""

from datetime import date, timedelta

from coordapp.audit.services import acting_as
from coordapp.commitments.models import Commitment
from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.issues import services as issues
from coordapp.mailin import services as mailin
from coordapp.notifications import commitments, services
from coordapp.notifications.models import Notification
from tests import factories


def told():
    """Return (recipient email, kind, issue id) of every notification, oldest first."""
    db.session.expire_all()
    rows = db.session.execute(db.select(Notification).order_by(Notification.id)).scalars()
    return [(n.user.email, n.kind, n.issue_id) for n in rows]


def team():
    owner = factories.make_user("staff", name="Rina Staf", email="rina@kpu.example.org")
    creator = factories.make_user("staff", name="Dodi Staf", email="dodi@kpu.example.org")
    bystander = factories.make_user("staff", name="Sari Staf", email="sari@kpu.example.org")
    manager = factories.make_user("manager", name="Ratna Manajer", email="ratna@kpu.example.org")
    issue = factories.make_issue(title="Logistik terlambat", owner=owner, created_by=creator, status="waiting")
    db.session.commit()
    return issue, owner, creator, bystander, manager


def test_data_loaded_by_nobody_tells_nobody(app):
    team()
    assert told() == []


def test_a_reply_by_link_tells_the_owner_once_and_no_one_else(client):
    issue, owner, creator, bystander, _ = team()
    contact = factories.make_contact(name="Budi Penghubung")
    issue.contacts.append(contact)
    token = factories.make_reply_token(contact, [issue])
    db.session.commit()
    response = client.post(f"/reminders/r/{token}", data={f"answer_{issue.id}": "Truk tiba besok pagi."})
    assert response.status_code == 303
    assert told() == [(owner.email, "reply", issue.id)]
    (n,) = db.session.execute(db.select(Notification)).scalars()
    assert n.entry.body == "Truk tiba besok pagi." and n.actor_label.startswith("Budi Penghubung (")


def test_a_reply_by_email_tells_the_owner(app):
    app.config["MAIL_REPLY_DOMAIN"] = "balas.kpu.example"
    issue, owner, *_ = team()
    contact = factories.make_contact(name="Budi Santoso", email="budi@bawaslu.example")
    issue.contacts.append(contact)
    token = factories.make_reply_token(contact, [issue])
    db.session.commit()
    raw = (
        f"From: Budi Santoso <budi@bawaslu.example>\r\nTo: reply+{token}@balas.kpu.example\r\n"
        "Subject: Re: Kendala\r\nMessage-ID: <a1@bawaslu.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Sudah kami tindak lanjuti.\r\n"
    ).encode()
    mailin.process(mailin.receive(raw, [f"reply+{token}@balas.kpu.example"]))
    db.session.commit()
    assert told() == [(owner.email, "reply", issue.id)]


def test_a_reply_on_an_issue_of_an_inactive_owner_tells_nobody(client):
    issue, owner, *_ = team()
    owner.is_active = False
    contact = factories.make_contact()
    issue.contacts.append(contact)
    token = factories.make_reply_token(contact, [issue])
    db.session.commit()
    client.post(f"/reminders/r/{token}", data={f"answer_{issue.id}": "Sudah."})
    assert told() == []


def test_giving_an_issue_to_someone_tells_them_but_not_whoever_gave_it(app):
    issue, owner, creator, bystander, manager = team()
    with acting_as(manager):
        issues.update_issue(issue, owner=bystander)
        db.session.commit()
    assert told() == [(bystander.email, "assigned", issue.id)]
    with acting_as(manager):  # saving the form again with the same owner is not news
        issues.update_issue(issue, owner=bystander, title="Logistik terlambat (kecamatan Setu)")
        db.session.commit()
    with acting_as(bystander):  # taking an issue yourself is not news to you
        issues.update_issue(issue, owner=owner)
        db.session.commit()
        issues.update_issue(issue, owner=bystander)
        db.session.commit()
    assert told() == [(bystander.email, "assigned", issue.id), (owner.email, "assigned", issue.id)]


def test_a_new_issue_raised_for_someone_else_tells_its_owner(client, auth):
    manager = auth.as_role("manager")
    owner = factories.make_user("staff")
    election = factories.make_election()
    db.session.commit()
    with acting_as(manager):
        issues.create_issue(created_by=manager, election=election, title="TPS tanpa akses kursi roda", owner=owner)
        issues.create_issue(created_by=manager, election=election, title="Milik sendiri", owner=manager)
        db.session.commit()
    assert [(e, k) for e, k, _ in told()] == [(owner.email, "assigned")]


def test_a_status_move_tells_every_watcher_but_the_mover(client, auth):
    issue, owner, creator, bystander, manager = team()
    watcher = factories.make_user("staff", email="wati@kpu.example.org")
    gone = factories.make_user("staff", email="gone@kpu.example.org")
    services.set_watching(issue, watcher, True)
    services.set_watching(issue, gone, True)
    services.set_watching(issue, creator, False)  # the creator stopped watching
    gone.is_active = False
    db.session.commit()
    auth.login(owner)
    response = client.post(
        f"/issues/{issue.id}/status", data={"status": "in_progress", "reason": "", "visibility": "internal"}
    )
    assert response.status_code == 302
    assert told() == [(watcher.email, "status", issue.id)]
    (n,) = db.session.execute(db.select(Notification)).scalars()
    assert n.data == {"old": "waiting", "new": "in_progress"} and n.entry.kind == "status_change"


def test_a_mention_by_email_local_part_tells_that_user_only(client, auth):
    issue, owner, creator, bystander, manager = team()
    budi = factories.make_user("staff", name="Budi Santoso", email="budi.santoso@kpu.example.org")
    factories.make_user("staff", name="Budi Lain", email="budi@kpu.example.org")  # @budi.santoso is not @budi
    sleeping = factories.make_user("staff", email="tidur@kpu.example.org", is_active=False)
    db.session.commit()
    auth.login(bystander)
    body = "Mohon @Budi.Santoso cek gudang; cc @sari, @tidur, @orang.asing dan budi@kpu.example.org."
    response = client.post(
        f"/issues/{issue.id}/follow-ups", data={"kind": "comment", "body": body, "visibility": "internal"}
    )
    assert response.status_code == 302
    assert told() == [(budi.email, "mention", issue.id)]  # not the author (@sari), the inactive or a mail address
    assert sleeping.email not in str(told())


def test_a_commitment_due_and_then_overdue_tells_owner_and_author_once_each(app):
    issue, owner, creator, bystander, manager = team()
    made = Commitment(
        election_id=issue.election_id,
        issue=issue,
        text="Polres mengawal distribusi",
        organization_id=factories.make_organization().id,
        due_date=date(2020, 10, 6),
        created_by_id=manager.id,
    )
    later = Commitment(
        election_id=issue.election_id,
        issue=issue,
        text="Belum jatuh tempo",
        organization_id=made.organization_id,
        due_date=date(2020, 10, 9),
        created_by_id=manager.id,
    )
    db.session.add_all([made, later])
    db.session.commit()
    due_day = utcnow().replace(year=2020, month=10, day=6, hour=1)  # 08:00 in Jakarta
    assert commitments.notify_due(due_day) == 2
    assert commitments.notify_due(due_day + timedelta(hours=3)) == 0  # the same day again: nothing new
    assert commitments.notify_due(due_day + timedelta(days=1)) == 2  # overdue now
    assert commitments.notify_due(due_day + timedelta(days=2)) == 0
    db.session.commit()
    assert sorted((e, k) for e, k, _ in told()) == sorted(
        [
            (owner.email, "commitment_due"),
            (manager.email, "commitment_due"),
            (owner.email, "commitment_overdue"),
            (manager.email, "commitment_overdue"),
        ]
    )
