"""Email about the inbox follows each user's choice: one per notification, one digest a day, or none."""

import re

from coordapp.audit.services import acting_as
from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.issues import services as issues
from coordapp.notifications import emails
from coordapp.notifications.models import Notification
from coordapp.reminders import outbox
from coordapp.reminders.models import ReminderDelivery
from tests import factories


def pending(kind: str) -> list[int]:
    rows = db.session.execute(db.select(ReminderDelivery).filter_by(kind=kind, status="pending")).scalars()
    return [r.id for r in rows]


def two_events(preference: str, language: str = "id"):
    """Give a user with this preference two issues, from a manager; return the user."""
    user = factories.make_user(
        "staff", name="Rina Staf", email="rina@kpu.example.org", language=language, email_notifications=preference
    )
    manager = factories.make_user("manager", name="Ratna Manajer")
    first = factories.make_issue(title="Gudang logistik bocor")
    second = factories.make_issue(title="TPS tanpa akses kursi roda")
    db.session.commit()
    with acting_as(manager):
        issues.update_issue(first, owner=user)
        db.session.commit()
        issues.update_issue(second, owner=user)
        db.session.commit()
    return user, first, second


def test_immediate_sends_one_email_per_notification_once(smtp_app, smtp_server):
    user, first, second = two_events("immediate")
    ids = pending("notice")
    assert len(ids) == 2
    assert outbox.send_many(ids) == 2
    assert outbox.send_many(ids) == 0  # never twice
    messages = smtp_server.handler.to(user.email)
    assert len(messages) == 2 and all(m.rcpt_tos == [user.email] for m in messages)
    subject = messages[0].message["Subject"]
    assert subject == f"Ratna Manajer menjadikan Anda penanggung jawab #{first.id} Gudang logistik bocor"
    text = messages[0].message.get_body(("plain",)).get_content()
    (notification,) = db.session.execute(db.select(Notification).filter_by(issue_id=first.id)).scalars()
    assert f"https://coord.example.org/inbox/{notification.id}" in text
    assert second.title not in text  # one email, one notification


def test_immediate_email_is_in_the_users_language(smtp_app, smtp_server):
    user, first, _ = two_events("immediate", language="en")
    outbox.send_many(pending("notice"))
    subjects = sorted(m.message["Subject"] for m in smtp_server.handler.to(user.email))
    assert subjects[0].startswith("Ratna Manajer made you the owner of #")


def test_an_item_read_in_the_app_before_sending_is_not_mailed(smtp_app, smtp_server):
    user, *_ = two_events("immediate")
    for n in db.session.execute(db.select(Notification)).scalars():
        n.read_dt = utcnow()
    db.session.commit()
    assert outbox.send_many(pending("notice")) == 0 and smtp_server.messages == []


def test_daily_sends_one_digest_with_every_new_item_once(smtp_app, smtp_server):
    user, first, second = two_events("daily")
    assert pending("notice") == []
    now = utcnow()
    ids = emails.queue_daily_digests(now)
    db.session.commit()
    assert len(ids) == 1
    assert emails.queue_daily_digests(now) == []  # a second run the same day adds nothing
    assert outbox.send_many(ids) == 1
    (digest,) = smtp_server.handler.to(user.email)
    assert digest.message["Subject"] == "2 hal baru di kotak masuk Anda"
    text = digest.message.get_body(("plain",)).get_content()
    assert first.title in text and second.title in text
    assert len(re.findall(r"https://coord\.example\.org/inbox/\d+", text)) == 2


def test_daily_leaves_out_what_the_user_may_no_longer_read(smtp_app, smtp_server):
    user, *_ = two_events("daily")
    user.is_active = False
    db.session.commit()
    assert emails.queue_daily_digests(utcnow()) == [] and smtp_server.messages == []


def test_none_sends_nothing_but_the_inbox_has_the_items(smtp_app, smtp_server):
    user, *_ = two_events("none")
    assert pending("notice") == []
    assert emails.queue_daily_digests(utcnow()) == []
    assert smtp_server.messages == []
    assert db.session.execute(db.select(db.func.count(Notification.id))).scalar_one() == 2


def test_a_reply_is_mailed_once_as_the_reply_notice_and_not_at_all_for_none(smtp_app, smtp_server):
    client = smtp_app.test_client()
    sent = {}
    for preference in ("immediate", "none"):
        owner = factories.make_user("staff", email=f"{preference}@kpu.example.org", email_notifications=preference)
        contact = factories.make_contact()
        issue = factories.make_issue(owner=owner, status="waiting")
        issue.contacts.append(contact)
        token = factories.make_reply_token(contact, [issue])
        db.session.commit()
        client.post(f"/reminders/r/{token}", data={f"answer_{issue.id}": "Sudah kami kirim."})
        outbox.send_many(pending("reply_notice") + pending("notice"))
        sent[preference] = len(smtp_server.handler.to(owner.email))
    assert sent == {"immediate": 1, "none": 0}


def test_the_account_page_saves_the_choice(client, auth):
    user = auth.as_role("staff")
    page = client.get("/auth/account").get_data(as_text=True)
    assert "Satu email ringkasan setiap hari" in page
    response = client.post("/auth/account", data={"name": user.name, "language": "id", "email_notifications": "daily"})
    assert response.status_code == 302
    db.session.expire_all()
    assert user.email_notifications == "daily"
    client.post("/auth/account", data={"name": user.name, "language": "id"})  # left out: kept
    db.session.expire_all()
    assert user.email_notifications == "daily"
    refused = client.post("/auth/account", data={"name": user.name, "language": "id", "email_notifications": "x"})
    assert refused.status_code == 422


def test_switching_to_the_digest_does_not_mail_an_item_again(smtp_app, smtp_server):
    user, first, second = two_events("immediate")
    outbox.send_many(pending("notice"))
    user.email_notifications = "daily"
    db.session.commit()
    assert emails.queue_daily_digests(utcnow()) == []
    assert len(smtp_server.handler.to(user.email)) == 2
