"""No personal data or secrets in the logs: representative flows run, everything logged is searched.

Login, raising an issue, a sweep sending emails (one SMTP refusal quoting the address), the reply
link, a mail-in reply, a password reset, the tasks of each: no contact's or user's address or
name, no password, no token, no SECRET_KEY may appear in any record of the coordapp or celery
loggers (tracebacks included). The suite-wide watch (tests/logcheck.py) is checked to bite too.
"""

import logging
import re
from smtplib import SMTPRecipientsRefused
from unittest import mock

import pytest
import sqlalchemy as sa

from coordapp.auth.models import User
from coordapp.core.logredact import RedactAddresses
from coordapp.extensions import db
from coordapp.issues.models import Issue
from coordapp.mailin import services as mailin
from coordapp.reminders import outbox, sweep
from tests import factories, logcheck
from tests.accounts_support import STRONGER, deliver, link_in
from tests.conftest import AuthActions
from tests.issues_support import issue_form_data, make_world
from tests.test_mailin_intake import DOMAIN, fixture
from tests.test_reminders_email import MONDAY_9, body, scenario

REPLY_LINK = re.compile(r"https://coord\.example\.org/reminders/r/([A-Za-z0-9_-]+)")


def _logged(caplog) -> str:
    """All text the coordapp and celery loggers wrote, tracebacks included."""
    texts = []
    for record in caplog.records:
        if record.name.split(".")[0] in ("coordapp", "celery"):
            texts.append(record.getMessage())
            if record.exc_info:
                texts.append(logging.Formatter().formatException(record.exc_info))
    return "\n".join(texts)


def _celery(app):
    return app.extensions["celery"].tasks


def _flows(app, smtp_server, secrets: list[str]) -> None:
    """Run the flows, adding every secret and personal value they involve to secrets."""
    world = make_world()
    staff = app.test_client()
    assert AuthActions(staff).login(world.owner).status_code == 302
    assert AuthActions(app.test_client()).login(world.owner, password="wrong password 123").status_code != 302
    response = staff.post("/issues/new", data=issue_form_data(world, world.owner))
    assert response.status_code == 302
    secrets += [world.owner.email, world.owner.name, factories.PASSWORD, "wrong password 123"]
    secrets += [world.contact.email, world.contact.name, app.config["SECRET_KEY"]]

    lo, en, owner, issues = scenario()
    real_send = outbox.send

    def refuse_jane(delivery_id, **kwargs):  # the relay refuses one address, quoting it
        if outbox.db.session.get(outbox.ReminderDelivery, delivery_id).recipient_email == en.email:
            raise SMTPRecipientsRefused({en.email: (451, f"4.2.2 {en.email} mailbox full".encode())})
        return real_send(delivery_id, **kwargs)

    with mock.patch.object(outbox, "send", refuse_jane):
        sweep.run_sweep(MONDAY_9, send=outbox.send_many)
    _celery(app)["coordapp.reminders.tasks.sweep"].apply()
    (message,) = [m.message for m in smtp_server.handler.to(lo.email)]
    token = REPLY_LINK.search(body(message, "plain")).group(1)
    contact_page = app.test_client()
    assert contact_page.get(f"/reminders/r/{token}").status_code == 200
    reply = {f"answer_{issues[1].id}": "Sedang kami proses."}  # one answer box per issue
    assert contact_page.post(f"/reminders/r/{token}", data=reply).status_code == 303
    secrets += [lo.email, lo.name, en.email, en.name, owner.email, token]

    app.config["MAIL_REPLY_DOMAIN"] = DOMAIN
    row_id, _ = mailin.store(fixture("gmail_id.eml", token), [])
    db.session.commit()
    _celery(app)["coordapp.mailin.tasks.process_message"].apply(args=[row_id])

    app.test_client().post("/auth/forgot", data={"email": world.other.email})
    deliver()
    reset = [m for m in smtp_server.handler.to(world.other.email)][-1]
    path = link_in(reset)
    assert app.test_client().post(path, data={"new_password": STRONGER, "confirm": STRONGER}).status_code == 302
    _celery(app)["coordapp.auth.tasks.send_waiting_account_emails"].apply()
    secrets += [world.other.email, world.other.name, path.rsplit("/", 1)[1], STRONGER]


def test_representative_flows_log_no_personal_data_or_secret(smtp_app, smtp_server, caplog):
    caplog.set_level(logging.INFO, logger="coordapp")
    caplog.set_level(logging.INFO, logger="celery")
    secrets: list[str] = []
    _flows(smtp_app, smtp_server, secrets)
    text = _logged(caplog)
    assert db.session.execute(db.select(db.func.count()).select_from(Issue)).scalar_one() >= 2  # the flows ran
    assert "route=/auth/login" in text and "task=process_message" in text and "task=sweep" in text
    assert "delivery " in text and "SMTPRecipientsRefused" in text  # the refusal was logged, by its type
    leaked = [secret for secret in secrets if secret and secret.lower() in text.lower()]
    assert leaked == [], leaked
    assert not re.search(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", text)


def test_a_database_error_names_its_statement_without_the_values(app):
    user = factories.make_user("staff", email="siti.rahma@kpu.example.org")
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError) as raised:
        db.session.execute(
            sa.insert(User).values(**{c: getattr(user, c) for c in ("email", "name", "role")}, id=user.id)
        )
    db.session.rollback()
    text = str(raised.value)
    statement = text[text.index("[SQL:") :]  # SQLAlchemy's part: the statement, and where its values would be
    assert "INSERT INTO users" in statement and "[parameters:" not in statement
    assert "siti.rahma" not in statement and user.name not in statement
    # PostgreSQL's own message may quote the failing row ("Failing row contains (…)"): the handlers mask it.
    record = logging.LogRecord("coordapp", logging.ERROR, __file__, 1, "Exception on /x", (), None)
    record.exc_info = (type(raised.value), raised.value, raised.value.__traceback__)
    RedactAddresses().filter(record)
    assert "siti.rahma" not in record.getMessage() + record.exc_text
    assert user.name not in record.getMessage() + record.exc_text


@pytest.mark.parametrize(
    "detail",
    [
        "DETAIL:  Failing row contains (7, null, Siti Rahma, +62 812 555, staff).",
        "DETAIL:  Key (email)=(siti.rahma@kpu.example.org) already exists.",
        'DETAIL:  Key (name, phone)=(Siti Rahma, +62 812 555) is not present in table "contacts".',
    ],
)
def test_the_rows_postgresql_quotes_in_an_error_are_masked(detail):
    record = logging.LogRecord("coordapp", logging.ERROR, __file__, 1, "Exception on /x\n%s", (detail,), None)
    RedactAddresses().filter(record)
    assert "Siti" not in record.getMessage() and "siti" not in record.getMessage()
    assert "+62" not in record.getMessage() and "(<values>)" in record.getMessage()


def test_celerys_failure_line_reaches_the_worker_log_without_the_address(caplog):
    record = logging.LogRecord(
        "celery.app.trace", logging.ERROR, __file__, 1, "Task %s raised unexpected: %r", ("send", None), None
    )
    record.args = ("send_delivery", SMTPRecipientsRefused({"budi@bawaslu.example": (550, b"5.1.1 unknown")}))
    RedactAddresses().filter(record)
    assert "budi@bawaslu.example" not in record.getMessage()
    assert "SMTPRecipientsRefused" in record.getMessage() and "<address>" in record.getMessage()


def test_the_suite_wide_watch_catches_an_address_in_a_coordapp_record():
    record = logging.LogRecord("coordapp.x", logging.INFO, __file__, 1, "sent to %s", ("siti@kpu.example.org",), None)
    logcheck.WATCH.emit(record)
    try:
        assert logcheck.WATCH.found and "siti@kpu.example.org" in logcheck.WATCH.found[-1]
    finally:
        logcheck.WATCH.found.clear()
    logcheck.WATCH.emit(logging.LogRecord("coordapp.x", logging.INFO, __file__, 1, "delivery 7 sent", (), None))
    assert logcheck.WATCH.found == []
