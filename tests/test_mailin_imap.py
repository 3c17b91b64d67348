"""Replies fetched from a real IMAP mailbox (Debian's Dovecot, started by the tests): one intake, once per Message-ID.

Without Dovecot (or root) the tests skip locally; with CI=true they fail.
"""

from datetime import timedelta

import pytest

from coordapp.celery_app import BEAT_SCHEDULE
from coordapp.extensions import db
from coordapp.issues.models import FollowUp
from coordapp.mailin import imap, parsing, services
from coordapp.mailin.models import InboundMessage
from coordapp.mailin.tasks import fetch_mailbox
from coordapp.reminders.models import ReminderDelivery
from tests.conftest import require_or_skip
from tests.dovecot import PASSWORD, Dovecot, available
from tests.test_mailin_intake import DOMAIN, fixture, linked


@pytest.fixture(scope="module")
def dovecot(tmp_path_factory):
    """One Dovecot for the module (started in a fraction of a second); each test empties the INBOX."""
    require_or_skip(available(), "the IMAP tests need Dovecot (apt-get install dovecot-imapd), openssl and root")
    server = Dovecot(tmp_path_factory.mktemp("dovecot"))
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def mailbox(app, dovecot):
    app.config["MAIL_REPLY_DOMAIN"] = DOMAIN
    app.config["MAILIN_IMAP_URL"] = dovecot.url
    dovecot.empty()
    return dovecot


def work() -> None:
    """The worker's part: process what the fetch stored."""
    for row_id in services.waiting():
        services.process(row_id)
        db.session.commit()


def replies(issue_id: int | None = None) -> list[FollowUp]:
    db.session.expire_all()
    stmt = db.select(FollowUp).filter_by(kind="stakeholder_reply").order_by(FollowUp.id)
    if issue_id is not None:
        stmt = stmt.filter_by(issue_id=issue_id)
    return list(db.session.execute(stmt).scalars())


def stored() -> int:
    return db.session.execute(db.select(db.func.count()).select_from(InboundMessage)).scalar_one()


def test_replies_fetched_over_imap_land_on_their_issue_once_quote_gone(mailbox, runner):
    token_a, budi, (issue_a,) = linked(n=1)
    token_b, siti, (issue_b,) = linked(n=1, email="siti@panwaslu.example")
    first = fixture("gmail_id.eml", token_a)
    second = fixture("outlook_en.eml", token_b).replace(b"budi@bawaslu-tangsel.example", siti.email.encode())
    mailbox.append(first, second, fixture("autoreply_id.eml", token_a))

    result = runner.invoke(args=["mail-in", "fetch"])
    assert result.exit_code == 0, result.output
    assert "3 messages stored" in result.output
    assert mailbox.flags() == [{"\\Seen"}] * 3
    work()

    (on_a,) = replies(issue_a.id)
    assert on_a.body == "Sudah kami koordinasikan dengan Panwascam, laporan menyusul."
    assert on_a.author_contact_id == budi.id and "menulis" not in on_a.body and ">" not in on_a.body
    (on_b,) = replies(issue_b.id)
    assert on_b.body == parsing.parse(second)["X-Expected-Reply"].replace("\\n", "\n")
    assert on_b.author_contact_id == siti.id and "From:" not in on_b.body
    notices = db.session.execute(db.select(ReminderDelivery).filter_by(kind="reply_notice")).scalars().all()
    assert sorted(n.recipient_email for n in notices) == sorted([issue_a.owner.email, issue_b.owner.email])
    assert services.auto_reply_count() == 1

    again = runner.invoke(args=["mail-in", "fetch"])  # nothing new in the mailbox
    assert again.exit_code == 0 and "0 messages stored" in again.output
    mailbox.append(first)  # the same message filed again (a rule that copies it, a second delivery)
    assert runner.invoke(args=["mail-in", "fetch"]).exit_code == 0
    work()
    assert stored() == 3
    assert [e.id for e in replies()] == [on_a.id, on_b.id]
    assert len(db.session.execute(db.select(ReminderDelivery).filter_by(kind="reply_notice")).all()) == 2


def test_a_message_that_cannot_be_stored_stays_unseen_and_the_others_are_kept(mailbox, runner, monkeypatch):
    token, _, (issue,) = linked(n=1)
    raws = [fixture("gmail_id.eml", token).replace(b"CAGmail-id-1", name) for name in (b"ok-0", b"broken-1", b"ok-2")]
    mailbox.append(*raws)
    receive = services.receive

    def flaky(raw, recipients, sender=""):
        if b"broken-1" in raw:
            raise OSError("disk full")
        return receive(raw, recipients, sender)

    monkeypatch.setattr(services, "receive", flaky)
    result = runner.invoke(args=["mail-in", "fetch"])
    assert result.exit_code == 1 and "2 messages stored, 0 too large, 1 failed" in result.output
    assert mailbox.flags() == [{"\\Seen"}, set(), {"\\Seen"}]
    assert stored() == 2

    monkeypatch.setattr(services, "receive", receive)  # the disk has room again: the next run takes it
    assert "1 messages stored" in runner.invoke(args=["mail-in", "fetch"]).output
    assert mailbox.flags() == [{"\\Seen"}] * 3
    work()
    assert len(replies(issue.id)) == 3


def test_imaps_checks_the_server_certificate(mailbox):
    token, _, (issue,) = linked(n=1)
    mailbox.append(fixture("thunderbird_en.eml", token))
    with pytest.raises(imap.MailboxUnreachable, match="CERTIFICATE_VERIFY_FAILED"):
        imap.fetch(mailbox.tls_url)  # self-signed: refused by the default context
    assert stored() == 0 and mailbox.flags() == [set()]
    result = imap.fetch(mailbox.tls_url, ssl_context=mailbox.trusting_context())
    assert (result.stored, result.failed) == (1, 0)
    work()
    assert len(replies(issue.id)) == 1


def test_a_message_over_the_size_limit_is_flagged_and_never_downloaded(mailbox, app):
    app.config["MAILIN_MAX_BYTES"] = 4000
    token, _, _ = linked(n=1)
    big = fixture("gmail_en_attachment.eml", token) + b"x" * 5000
    mailbox.append(big, fixture("gmail_en.eml", token))
    result = imap.fetch(mailbox.url)
    assert (result.stored, result.too_large, result.failed) == (1, 1, 0)
    assert mailbox.flags() == [{"\\Seen", "\\Flagged"}, {"\\Seen"}]
    assert stored() == 1


def test_a_wrong_password_is_a_clear_error_that_does_not_print_it(mailbox, app, runner):
    app.config["MAILIN_IMAP_URL"] = mailbox.url.replace(PASSWORD, "salah")
    result = runner.invoke(args=["mail-in", "fetch"])
    assert result.exit_code == 1 and "cannot read the mailbox" in result.output
    assert "salah" not in result.output and "Traceback" not in result.output


def test_fetch_without_a_mailbox_says_what_to_set(app, runner):
    app.config["MAILIN_IMAP_URL"] = None
    result = runner.invoke(args=["mail-in", "fetch"])
    assert result.exit_code == 2 and "MAILIN_IMAP_URL is not set" in result.output


def test_the_beat_fetches_every_interval_only_when_a_mailbox_is_set(make_app, mailbox):
    assert "mailin-fetch" not in make_app().extensions["celery"].conf.beat_schedule
    celery = make_app(MAILIN_IMAP_URL=mailbox.url, MAILIN_IMAP_INTERVAL=30).extensions["celery"]
    assert celery.conf.beat_schedule["mailin-fetch"] == {"task": fetch_mailbox.name, "schedule": timedelta(seconds=30)}
    assert "mailin-fetch" not in BEAT_SCHEDULE  # the shared default schedule is left alone
    token, _, (issue,) = linked(n=1)
    mailbox.append(fixture("apple_id.eml", token))
    fetch_mailbox()  # what the beat runs
    work()
    assert len(replies(issue.id)) == 1 and mailbox.flags() == [{"\\Seen"}]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("imap://balas:p%40ss%2Fword@127.0.0.1/INBOX", (False, "127.0.0.1", 143, "balas", "p@ss/word", "INBOX")),
        ("imaps://me%40kpu.example:x@mail.example", (True, "mail.example", 993, "me@kpu.example", "x", "INBOX")),
        ("imap://u:p@host:1143/Balasan%20Email", (False, "host", 1143, "u", "p", "Balasan Email")),
    ],
)
def test_the_mailbox_url(url, expected):
    box = imap.parse_url(url)
    assert (box.tls, box.host, box.port, box.user, box.password, box.folder) == expected
    assert f":{box.password}@" not in box.safe_url


@pytest.mark.parametrize("url", ["", "pop3://u:p@host/INBOX", "imap://host/INBOX", "imap://u:p@/INBOX"])
def test_a_malformed_mailbox_url_is_refused(url):
    with pytest.raises(ValueError):
        imap.parse_url(url)
