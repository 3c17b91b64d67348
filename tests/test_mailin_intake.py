"""Replies by email: the reply address, intake once per Message-ID, quotes cut, auto-replies, bounces, quarantine."""

import re
import smtplib
from datetime import timedelta
from pathlib import Path

import pytest

from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.issues.models import FollowUp
from coordapp.mailin import parsing, server, services
from coordapp.mailin.cli import serve_command
from coordapp.mailin.models import InboundMessage
from coordapp.mailin.tasks import resume_waiting
from coordapp.reminders import outbox, sweep
from coordapp.reminders.models import ReminderDelivery
from coordapp.reminders.replies import find_reply_token
from coordapp.stakeholders.services import save_contact
from tests import factories
from tests.smtp import free_port
from tests.test_reminders_email import MONDAY_9, scenario

FIXTURES = Path(__file__).parent / "fixtures" / "mail"
DOMAIN = "balas.kpu.example"
REPLIES = sorted(p.name for p in FIXTURES.glob("*.eml") if b"X-Expected-Reply" in p.read_bytes())
AUTO_REPLIES = sorted(p.name for p in FIXTURES.glob("autoreply_*.eml"))


@pytest.fixture
def mailin_app(app):
    app.config["MAIL_REPLY_DOMAIN"] = DOMAIN
    return app


def linked(n=2, email="budi@bawaslu-tangsel.example"):
    """A Bawaslu contact with a reply token over n waiting issues, owned by one staff member."""
    owner = factories.make_user("staff", name="Rina Staf")
    contact = factories.make_contact(name="Budi Santoso", email=email)
    issues = []
    for i in range(n):
        issue = factories.make_issue(title=f"Distribusi logistik {i + 1}", owner=owner, status="waiting")
        issue.contacts.append(contact)
        issues.append(issue)
    token = factories.make_reply_token(contact, issues)
    db.session.commit()
    return token, contact, issues


def fixture(name: str, token: str = "", **values) -> bytes:
    text = (FIXTURES / name).read_text("utf-8").replace("{TOKEN}", token)
    for key, value in values.items():
        text = text.replace("{" + key.upper() + "}", value)
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def deliver(raw: bytes, to: list[str] | None = None) -> InboundMessage:
    """Receive a message and run the worker's part, as the task does."""
    row_id = services.receive(raw, to or [])
    services.process(row_id)
    db.session.commit()
    return db.session.get(InboundMessage, row_id)


def replies():
    db.session.expire_all()
    return db.session.execute(db.select(FollowUp).filter_by(kind="stakeholder_reply")).scalars().all()


def test_there_are_at_least_twelve_real_format_replies():
    assert len(REPLIES) >= 12 - len(AUTO_REPLIES)
    assert len(list(FIXTURES.glob("*.eml"))) >= 12


@pytest.mark.parametrize("name", REPLIES)
def test_a_reply_lands_on_each_issue_of_its_address_without_the_quote_or_signature(mailin_app, name):
    token, contact, issues = linked()
    raw = fixture(name, token)
    expected = parsing.parse(raw)["X-Expected-Reply"].replace("\\n", "\n")
    row = deliver(raw)
    assert row.status == "recorded" and row.contact_id == contact.id and not row.is_sender_mismatch
    written = replies()
    assert sorted(e.issue_id for e in written) == sorted(i.id for i in issues)
    for entry in written:
        assert entry.body == expected
        assert entry.author_contact_id == contact.id and entry.visibility == "shared"
    notices = db.session.execute(db.select(ReminderDelivery).filter_by(kind="reply_notice")).scalars().all()
    assert [n.recipient_email for n in notices] == [issues[0].owner.email]


@pytest.mark.parametrize("name", AUTO_REPLIES)
def test_auto_replies_are_counted_and_nothing_else(mailin_app, name):
    token, _, _ = linked()
    row = deliver(fixture(name, token))
    assert row.status == "auto_reply"
    assert replies() == []
    assert db.session.execute(db.select(ReminderDelivery)).scalars().all() == []
    assert services.auto_reply_count() == 1


def test_the_same_message_id_twice_is_one_reply(mailin_app):
    token, _, issues = linked(n=1)
    first = deliver(fixture("gmail_id.eml", token))
    second = deliver(fixture("gmail_id.eml", token))
    assert first.id == second.id
    assert len(replies()) == 1
    assert db.session.execute(db.select(db.func.count()).select_from(InboundMessage)).scalar_one() == 1


def test_a_reply_naming_an_issue_goes_to_that_issue_only(mailin_app):
    token, _, issues = linked(n=3)
    raw = fixture("thunderbird_id.eml", token).replace(b"Kami hadir", f"Untuk #{issues[1].id}: kami hadir".encode())
    deliver(raw)
    assert [e.issue_id for e in replies()] == [issues[1].id]


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: "A" * 43,  # a well-formed token nobody issued
        lambda token: token[:-1] + ("x" if token[-1] != "x" else "y"),
    ],
)
def test_a_forged_token_goes_to_quarantine_and_records_nothing(mailin_app, forge):
    token, _, _ = linked()
    row = deliver(fixture("gmail_en.eml", forge(token)))
    assert (row.status, row.reason) == ("quarantined", "unknown")
    assert replies() == []


def test_an_expired_or_revoked_address_goes_to_quarantine(mailin_app):
    token, contact, issues = linked()
    token_row = find_reply_token(token, utcnow())
    token_row.expires_dt = utcnow() - timedelta(minutes=1)
    db.session.commit()
    row = deliver(fixture("gmail_en.eml", token))
    assert (row.status, row.reason) == ("quarantined", "expired")
    assert replies() == []


def test_a_reply_without_a_reply_address_is_quarantined(mailin_app):
    linked()
    row = deliver(fixture("gmail_en.eml", "").replace(b"reply+@balas", b"kpu@balas"))
    assert (row.status, row.reason) == ("quarantined", "unknown")


def test_a_reply_address_of_another_domain_opens_nothing(mailin_app):
    token, _, _ = linked()
    row = deliver(fixture("gmail_en.eml", token).replace(DOMAIN.encode(), b"evil.example"))
    assert row.status == "quarantined" and replies() == []


def test_a_from_that_is_not_the_contact_is_flagged_but_the_token_decides(mailin_app):
    token, contact, _ = linked(email="liaison@bawaslu.example")
    row = deliver(fixture("gmail_en.eml", token))
    assert row.status == "recorded" and row.is_sender_mismatch
    assert {e.author_contact_id for e in replies()} == {contact.id}


def test_a_message_over_the_size_limit_is_refused_and_nothing_is_stored(mailin_app):
    mailin_app.config["MAILIN_MAX_BYTES"] = 1000
    token, _, _ = linked()
    with pytest.raises(services.MessageTooLarge):
        services.receive(fixture("gmail_en_attachment.eml", token) + b"x" * 1000, [])
    assert db.session.execute(db.select(InboundMessage)).scalars().all() == []


def test_a_bounce_pauses_reminders_to_that_contact_until_the_address_changes(mailin_app):
    token, contact, issues = linked()
    assert contact.wants_reminders
    row = deliver(fixture("bounce_dsn.eml", token, bounced=contact.email.upper()))
    assert row.status == "bounce" and replies() == []
    db.session.expire_all()
    assert contact.bounced_dt is not None and "5.1.1" in contact.bounce_reason
    assert not contact.wants_reminders
    planned = sweep.plan(MONDAY_9)
    assert contact.email not in [p.recipient_email for p in planned]
    save_contact(contact, {"email": "budi.baru@bawaslu-tangsel.example"})
    assert contact.bounced_dt is None and contact.wants_reminders


def test_every_email_to_a_contact_carries_its_own_reply_address(smtp_app, smtp_server):
    smtp_app.config["MAIL_REPLY_DOMAIN"] = DOMAIN
    lo, en, owner, _ = scenario()
    sweep.run_sweep(MONDAY_9, send=outbox.send_many)
    reply_to = {m.rcpt_tos[0]: m.message["Reply-To"] for m in smtp_server.messages}
    for contact in (lo, en):
        local, _, domain = reply_to[contact.email].rpartition("@")
        assert domain == DOMAIN and local.startswith("reply+")
        assert find_reply_token(local.removeprefix("reply+"), utcnow()).contact_id == contact.id
    assert reply_to[lo.email] != reply_to[en.email]
    assert reply_to[owner.email] == "kpu@example.org"  # staff mail keeps the fixed address


def test_a_reply_delivered_over_smtp_lands_on_the_issue_once_quote_gone(smtp_app, smtp_server):
    smtp_app.config["MAIL_REPLY_DOMAIN"] = DOMAIN
    _, en, owner, issues = scenario()
    sweep.run_sweep(MONDAY_9, send=outbox.send_many)
    (digest,) = [m.message for m in smtp_server.handler.to(en.email)]
    address = digest["Reply-To"]
    raw = fixture("gmail_en.eml").replace(f"reply+@{DOMAIN}".encode(), address.encode())
    raw = raw.replace(b"budi@bawaslu-tangsel.example", en.email.encode())
    listener = server.listener(smtp_app, "127.0.0.1", free_port())
    listener.start()
    try:
        for _ in range(2):  # a relay that delivers twice
            with smtplib.SMTP(listener.hostname, listener.port) as relay:
                relay.sendmail(en.email, [address], raw)
    finally:
        listener.stop()
    for row_id in services.waiting():  # the worker's part
        services.process(row_id)
        db.session.commit()
    (entry,) = replies()
    assert entry.issue_id == issues[0].id and entry.author_contact_id == en.id
    assert entry.body == "We coordinated with Panwascam yesterday, the report follows."
    notices = db.session.execute(db.select(ReminderDelivery).filter_by(kind="reply_notice")).scalars().all()
    assert [n.recipient_email for n in notices] == [owner.email]


def test_the_listener_refuses_a_message_over_the_size_limit(mailin_app):
    mailin_app.config["MAILIN_MAX_BYTES"] = 2000
    listener = server.listener(mailin_app, "127.0.0.1", free_port())
    listener.start()
    try:
        with smtplib.SMTP(listener.hostname, listener.port) as relay, pytest.raises(smtplib.SMTPException):
            relay.sendmail("a@example.org", [f"reply+x@{DOMAIN}"], b"Subject: big\r\n\r\n" + b"x" * 5000)
    finally:
        listener.stop()
    assert db.session.execute(db.select(InboundMessage)).scalars().all() == []


def test_the_listener_binds_to_localhost_by_default():
    host = next(p for p in serve_command.params if p.name == "host")
    assert host.default == "127.0.0.1"


def test_a_permanent_smtp_refusal_at_sending_marks_the_address_as_bouncing(smtp_app, smtp_server):
    lo, _, _, _ = scenario()
    sweep.run_sweep(MONDAY_9, send=lambda ids: 0)
    delivery = db.session.execute(db.select(ReminderDelivery).filter_by(recipient_email=lo.email)).scalar_one()
    smtp_server.handler.fail_next(1, "550 5.1.1 <lo.paslon1@example.org>: Recipient address rejected: User unknown")
    assert outbox.send(delivery.id) == "failed"
    db.session.expire_all()
    assert delivery.status == "failed" and "550" in delivery.last_error
    assert lo.bounced_dt is not None and "5.1.1" in lo.bounce_reason and not lo.wants_reminders


def test_a_temporary_smtp_refusal_does_not_mark_the_address(smtp_app, smtp_server):
    lo, _, _, _ = scenario()
    sweep.run_sweep(MONDAY_9, send=lambda ids: 0)
    delivery = db.session.execute(db.select(ReminderDelivery).filter_by(recipient_email=lo.email)).scalar_one()
    smtp_server.handler.fail_next(1, "451 4.3.0 Try again later")
    with pytest.raises(smtplib.SMTPException):
        outbox.send(delivery.id)
    db.session.expire_all()
    assert lo.bounced_dt is None and delivery.status == "pending"


def test_a_sender_over_the_hourly_limit_is_held_not_recorded(mailin_app):
    mailin_app.config["MAILIN_SENDER_PER_HOUR"] = 2
    token, _, _ = linked(n=1)
    statuses = []
    for n in range(3):
        raw = fixture("gmail_en.eml", token).replace(b"CAGmail-en-1", f"flood-{n}".encode())
        row = deliver(raw)
        statuses.append((row.status, row.reason))
    assert statuses == [("recorded", ""), ("recorded", ""), ("quarantined", "rate_limited")]
    assert len(replies()) == 2


def test_a_message_whose_task_was_lost_is_processed_by_the_beat(mailin_app):
    token, _, _ = linked(n=1)
    row_id, _ = services.store(fixture("gmail_id.eml", token), [])
    db.session.get(InboundMessage, row_id).received_dt = utcnow() - timedelta(minutes=10)
    db.session.commit()
    resume_waiting()
    assert db.session.get(InboundMessage, row_id).status == "recorded"
    assert len(replies()) == 1


def test_a_digest_of_several_issues_offers_a_reply_address_per_issue(smtp_app, smtp_server):
    smtp_app.config["MAIL_REPLY_DOMAIN"] = DOMAIN
    lo, _, _, issues = scenario()
    sweep.run_sweep(MONDAY_9, send=outbox.send_many)
    (digest,) = [m.message for m in smtp_server.handler.to(lo.email)]
    text = digest.get_body(preferencelist=("plain",)).get_content()
    html = digest.get_body(preferencelist=("html",)).get_content()
    per_issue = re.findall(rf"reply\+([A-Za-z0-9_-]+)@{re.escape(DOMAIN)}", text)
    assert len(per_issue) == 3 and "Balas tentang kendala ini" in text and html.count("mailto:reply+") == 3
    opened = [[i.id for i in find_reply_token(token, utcnow()).issues] for token in per_issue]
    assert sorted(opened) == sorted([[i.id] for i in issues])
    raw = fixture("outlook_id.eml", per_issue[0]).replace(b"budi@bawaslu-tangsel.example", lo.email.encode())
    deliver(raw)
    assert [e.issue_id for e in replies()] == opened[0]
