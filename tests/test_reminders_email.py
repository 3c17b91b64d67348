"""Reminder emails through a real SMTP server: one recipient each, headers, language, links."""

import contextlib
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from coordapp.extensions import db
from coordapp.issues.models import Issue
from coordapp.reminders import outbox, sweep
from coordapp.reminders.models import ReminderDelivery
from coordapp.reminders.outbox import pending_notices
from tests import factories

MONDAY_9 = datetime(2020, 10, 5, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
ELECTION = "Pilkada Kota Tangerang Selatan 2020"


def scenario():
    """Three overdue issues for an Indonesian liaison officer, one for an English-speaking one."""
    election = factories.make_election(name=ELECTION)
    owner = factories.make_user("staff", name="Rina Staf")
    team = factories.make_organization(name="Tim Pasangan Calon 1", short_name="Paslon 1", category="candidate_team")
    lo = factories.make_contact(team, name="Budi Penghubung", email="lo.paslon1@example.org", language="id")
    en = factories.make_contact(name="Jane Observer", email="jane@example.org", language="en")
    issues = []
    for n, due in enumerate((date(2020, 9, 28), date(2020, 10, 1), date(2020, 10, 6))):
        issue = factories.make_issue(election, title=f"Izin lokasi kampanye {n + 1}", due_date=due, owner=owner)
        issue.contacts.append(lo)
        issues.append(issue)
    issues[0].contacts.append(en)
    db.session.commit()
    return lo, en, owner, issues


def body(message, subtype):
    return message.get_body(preferencelist=(subtype,)).get_content()


def test_each_recipient_gets_exactly_one_email_addressed_to_them_alone(smtp_app, smtp_server):
    lo, en, owner, _ = scenario()
    sweep.run_sweep(MONDAY_9, send=outbox.send_many)
    received = smtp_server.messages
    assert sorted(m.rcpt_tos[0] for m in received) == sorted([lo.email, en.email, owner.email])
    for message in received:
        assert len(message.rcpt_tos) == 1
        assert message.message["To"] == message.rcpt_tos[0]
        assert message.message["Cc"] is None and message.message["Bcc"] is None


def test_digest_in_indonesian_lists_each_issue_with_stage_due_date_and_days_overdue(smtp_app, smtp_server):
    lo, _, _, issues = scenario()
    sweep.run_sweep(MONDAY_9, send=outbox.send_many)
    (message,) = [m.message for m in smtp_server.handler.to(lo.email)]
    assert message["Subject"] == f"3 kendala menunggu tindak lanjut Anda - {ELECTION}"
    text, html = body(message, "plain"), body(message, "html")
    for issue in issues:
        assert issue.title in text and issue.title in html
    assert "terlambat 7 hari" in text and "terlambat 4 hari" in text and "jatuh tempo 1 hari lagi" in text
    assert issues[0].stage.name in text
    assert "Belum ada tindak lanjut." in text
    assert ">Tanggapi<" in html
    assert "Yth. Budi Penghubung," in text


def test_digest_in_english_for_an_english_contact(smtp_app, smtp_server):
    _, en, _, _ = scenario()
    sweep.run_sweep(MONDAY_9, send=outbox.send_many)
    (message,) = [m.message for m in smtp_server.handler.to(en.email)]
    assert re.fullmatch(rf"1 issue awaits your follow-up #\d+ - {ELECTION}", message["Subject"])  # its number
    assert "7 days overdue" in body(message, "plain")
    assert ">Reply<" in body(message, "html")


def test_headers_unsubscribe_one_click_reply_to_and_message_id(smtp_app, smtp_server):
    lo, _, _, _ = scenario()
    sweep.run_sweep(MONDAY_9, send=outbox.send_many)
    (message,) = [m.message for m in smtp_server.handler.to(lo.email)]
    assert re.fullmatch(r"<https://coord\.example\.org/reminders/u/[^>]+>", message["List-Unsubscribe"].strip())
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Reply-To"] == "kpu@example.org"
    assert message["Auto-Submitted"] == "auto-generated"
    delivery = db.session.execute(db.select(ReminderDelivery).filter_by(recipient_email=lo.email)).scalar_one()
    assert message["Message-ID"].strip() == delivery.message_id and delivery.status == "sent"
    assert delivery.subject == message["Subject"]


def test_links_are_built_from_base_url_and_the_reply_link_opens_the_issues(smtp_app, smtp_server):
    lo, _, _, issues = scenario()
    sweep.run_sweep(MONDAY_9, send=outbox.send_many)
    (message,) = [m.message for m in smtp_server.handler.to(lo.email)]
    links = re.findall(r"https://coord\.example\.org/reminders/r/[A-Za-z0-9_-]+", body(message, "plain"))
    assert len(set(links)) == 1
    page = smtp_app.test_client().get(links[0].removeprefix("https://coord.example.org"))
    assert page.status_code == 200
    for issue in issues:
        assert issue.title in page.get_data(as_text=True)


def test_staff_digest_links_to_the_issues_and_has_no_unsubscribe(smtp_app, smtp_server):
    _, _, owner, issues = scenario()
    sweep.run_sweep(MONDAY_9, send=outbox.send_many)
    (message,) = [m.message for m in smtp_server.handler.to(owner.email)]
    assert message["Subject"] == f"3 kendala Anda sudah jatuh tempo - {ELECTION}"
    assert "https://coord.example.org/" in body(message, "plain")
    assert message["List-Unsubscribe"] is None


def test_smtp_connection_is_reused_for_a_batch(smtp_app, smtp_server):
    scenario()
    connections = []
    original = outbox.mail.get_connection

    def counting(*args, **kwargs):
        connections.append(1)
        return original(*args, **kwargs)

    outbox.mail.get_connection = counting
    try:
        sweep.run_sweep(MONDAY_9, send=outbox.send_many)
    finally:
        outbox.mail.get_connection = original
    assert len(smtp_server.messages) == 3 and len(connections) == 1


def test_temporary_smtp_refusals_are_recorded_and_retried_until_sent(smtp_app, smtp_server):
    lo, _, _, _ = scenario()
    created = sweep.run_sweep(MONDAY_9, send=lambda ids: 0).created
    delivery = db.session.execute(db.select(ReminderDelivery).filter_by(recipient_email=lo.email)).scalar_one()
    smtp_server.handler.fail_next(2, "421 4.7.0 Try again later", "451 4.3.0 Local problem")
    for _ in range(2):
        try:
            outbox.send(delivery.id)
        except outbox.RETRYABLE:
            pass
        else:
            raise AssertionError("a refused message must raise for the retry")
        db.session.expire_all()
        assert delivery.status == "pending" and delivery.last_error
    assert outbox.send(delivery.id) == "sent"
    db.session.expire_all()
    assert (delivery.attempts, delivery.last_error) == (3, "")
    assert len(smtp_server.handler.to(lo.email)) == 1 and len(created) == 3


def test_last_failed_try_marks_the_delivery_failed_with_its_error(smtp_app, smtp_server):
    lo, _, _, _ = scenario()
    sweep.run_sweep(MONDAY_9, send=lambda ids: 0)
    delivery = db.session.execute(db.select(ReminderDelivery).filter_by(recipient_email=lo.email)).scalar_one()
    smtp_server.handler.fail_next(1, "451 4.3.0 Mailbox busy")
    with contextlib.suppress(outbox.RETRYABLE):
        outbox.send(delivery.id, last_try=True)
    db.session.expire_all()
    assert delivery.status == "failed" and "451" in delivery.last_error
    assert smtp_server.messages == []


def test_immediate_contact_is_notified_after_the_commit_that_makes_them_responsible(smtp_app, smtp_server):
    election = factories.make_election(name=ELECTION)
    immediate = factories.make_contact(reminder_mode="immediate", language="en")
    daily = factories.make_contact(reminder_mode="daily")
    issue = factories.make_issue(election, title="Logistik terlambat di Kecamatan Setu")
    db.session.commit()
    issue.contacts.extend([immediate, daily])
    db.session.flush()
    assert len(pending_notices(db.session)) == 1  # written in the transaction, enqueued only after commit
    db.session.commit()
    (delivery,) = db.session.execute(db.select(ReminderDelivery)).scalars().all()
    assert (delivery.kind, delivery.recipient_email) == ("assignment", immediate.email)
    assert outbox.send(delivery.id) == "sent"
    (message,) = smtp_server.messages
    assert message.rcpt_tos == [immediate.email]
    assert message.message["Subject"] == f"You are responsible for a new issue #{issue.id} - {ELECTION}"
    assert "/reminders/r/" in body(message.message, "plain")


def test_a_rolled_back_assignment_leaves_no_notice(smtp_app):
    issue = factories.make_issue(factories.make_election())
    db.session.commit()
    issue.contacts.append(factories.make_contact(reminder_mode="immediate"))
    db.session.flush()
    db.session.rollback()
    assert pending_notices(db.session) == []
    assert db.session.execute(db.select(ReminderDelivery)).scalars().all() == []
    assert db.session.get(Issue, issue.id).contacts == []


def test_no_assignment_notice_inside_quiet(smtp_app):
    from coordapp.reminders.notifications import quiet

    issue = factories.make_issue(factories.make_election())
    with quiet(db.session):
        issue.contacts.append(factories.make_contact(reminder_mode="immediate"))
        db.session.commit()
    assert db.session.execute(db.select(ReminderDelivery)).scalars().all() == []
