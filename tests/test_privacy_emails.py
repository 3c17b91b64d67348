"""Digests and reply pages hold only what staff shared with that recipient (a real SMTP server).

One sweep after a staff internal note, a shared update, and replies from two organisations:
each contact's received email (raw message, text and HTML parts) and the reply page its link
opens hold only what the visibility rule allows that contact; the owner's digest, staff, reads all.
"""

import base64
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from coordapp.core.visibility import SHARED
from coordapp.extensions import db
from coordapp.issues.services import add_follow_up
from coordapp.reminders import outbox, sweep
from coordapp.reminders.models import ReminderDelivery
from coordapp.stakeholders.models import Contact
from tests import factories

MONDAY_9 = datetime(2020, 10, 5, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
WEEK_AGO = datetime(2020, 9, 28, 3, 0, tzinfo=UTC)  # replies old enough for their writers to be reminded again

TEXTS = {
    "internal": "CATATAN-INTERNAL staf: jangan dibagikan",
    "shared": "PEMBARUAN-BERSAMA: gudang logistik sudah disiapkan",
    "bawaslu_reply": "JAWABAN-BAWASLU: pengawas sudah ditugaskan",
    "polres_reply": "JAWABAN-POLRES: personel pengamanan siap",
}


@pytest.fixture
def world(smtp_app):
    """Two issues, each with a Bawaslu and a Polres contact responsible, and four kinds of entry."""
    election = factories.make_election(name="Pilkada Kota Tangerang Selatan 2020")
    owner = factories.make_user("staff", name="Rina Staf", email="rina@kpu.example.org")
    bawaslu = factories.make_organization(name="Bawaslu Kota Tangerang Selatan", short_name="Bawaslu")
    polres = factories.make_organization(name="Polres Tangerang Selatan", short_name="Polres")
    ani = factories.make_contact(bawaslu, name="Ani Pengawas", email="ani@bawaslu.example.org")
    joko = factories.make_contact(polres, name="Joko Polisi", email="joko@polres.example.org")
    budi = factories.make_contact(bawaslu, name="Budi Rekan", email="budi@bawaslu.example.org")  # Ani's colleague
    first = factories.make_issue(election, title="Pengamanan gudang", due_date=date(2020, 10, 1), owner=owner)
    second = factories.make_issue(election, title="Distribusi logistik", due_date=date(2020, 10, 2), owner=owner)
    for issue in (first, second):
        issue.contacts.extend([ani, joko, budi])
    # First issue, oldest first: a shared update, both organisations' replies, then an internal note (newest).
    add_follow_up(first, body=TEXTS["shared"], author_user=owner, visibility=SHARED, created_dt=WEEK_AGO)
    add_follow_up(
        first,
        kind="stakeholder_reply",
        body=TEXTS["bawaslu_reply"],
        author_contact=ani,
        visibility=SHARED,
        created_dt=WEEK_AGO,
    )
    add_follow_up(
        first,
        kind="stakeholder_reply",
        body=TEXTS["polres_reply"],
        author_contact=joko,
        visibility=SHARED,
        created_dt=WEEK_AGO,
    )
    add_follow_up(first, body=TEXTS["internal"], author_user=owner, created_dt=WEEK_AGO + timedelta(days=1))
    # Second issue: Polres replied, then staff shared an update, then wrote an internal note.
    add_follow_up(
        second,
        kind="stakeholder_reply",
        body=TEXTS["polres_reply"],
        author_contact=joko,
        visibility=SHARED,
        created_dt=WEEK_AGO,
    )
    add_follow_up(second, body=TEXTS["shared"], author_user=owner, visibility=SHARED, created_dt=WEEK_AGO)
    add_follow_up(second, body=TEXTS["internal"], author_user=owner, created_dt=WEEK_AGO + timedelta(days=1))
    db.session.commit()
    sweep.run_sweep(MONDAY_9, send=outbox.send_many)
    return {"ani": ani, "joko": joko, "budi": budi, "owner": owner, "issues": (first, second)}


def _parts(received) -> dict[str, str]:
    message = received.message
    return {
        "raw": message.as_string(),
        "text": message.get_body(preferencelist=("plain",)).get_content(),
        "html": message.get_body(preferencelist=("html",)).get_content(),
    }


def _email_to(smtp_server, address: str) -> dict[str, str]:
    (received,) = smtp_server.handler.to(address)
    return _parts(received)


def _issue_block(text: str, title: str, next_title: str | None) -> str:
    start = text.index(title)
    end = text.index(next_title, start) if next_title else len(text)
    return text[start:end]


# What each contact's email shows as the last follow-up of each issue: the newest entry it may read.
EXPECTED_LAST = {
    "ani": ("bawaslu_reply", "shared"),  # own reply; then the shared update
    "budi": ("bawaslu_reply", "shared"),  # the same organisation reads its colleague's reply
    "joko": ("polres_reply", "shared"),  # another organisation: its own reply, never Bawaslu's
}
OTHER_ORGANISATION = {"ani": "joko", "budi": "joko", "joko": "ani"}


@pytest.mark.parametrize("who", ["ani", "budi", "joko"])
def test_each_contacts_email_holds_only_what_was_shared_with_them(world, smtp_server, who):
    email = _email_to(smtp_server, world[who].email)
    allowed = set(EXPECTED_LAST[who])
    for part in ("raw", "text", "html"):
        for name, text in TEXTS.items():
            if name not in allowed:
                assert text not in email[part], (who, part, name)
    other = OTHER_ORGANISATION[who]
    for part in ("text", "html"):
        assert world[other].name not in email[part]  # another organisation's replier is never named
    first, second = world["issues"]
    text = email["text"]
    assert TEXTS[EXPECTED_LAST[who][0]] in _issue_block(text, first.title, second.title)
    assert TEXTS[EXPECTED_LAST[who][1]] in _issue_block(text, second.title, None)
    assert TEXTS[EXPECTED_LAST[who][0]] in email["html"] and TEXTS["shared"] in email["html"]


def test_the_owners_digest_reads_the_internal_note(world, smtp_server):
    email = _email_to(smtp_server, world["owner"].email)
    assert TEXTS["internal"] in email["text"] and TEXTS["internal"] in email["html"]


@pytest.mark.parametrize("who", ["ani", "budi", "joko"])
def test_the_reply_page_of_the_email_holds_only_what_was_shared_with_them(world, smtp_app, smtp_server, who):
    email = _email_to(smtp_server, world[who].email)
    link = re.search(r"https://coord\.example\.org(/reminders/r/[A-Za-z0-9_-]+)", email["text"]).group(1)
    page = smtp_app.test_client().get(link).get_data(as_text=True)
    assert all(issue.title in page for issue in world["issues"])
    for name, text in TEXTS.items():
        assert (text in page) == (name in EXPECTED_LAST[who]), (who, name)
    other = OTHER_ORGANISATION[who]
    assert world[other].name not in page


def test_no_email_to_a_contact_holds_an_internal_entry_or_the_timeline_reminder_text(world, smtp_server):
    contacts = {world[name].email for name in ("ani", "budi", "joko")}
    mails = [_parts(m) for m in smtp_server.messages if m.rcpt_tos[0] in contacts]
    assert len(mails) == 3
    for mail in mails:
        assert TEXTS["internal"] not in mail["text"] + mail["html"] + mail["raw"]
        assert "rina@kpu.example.org" not in mail["text"] + mail["html"]


def test_the_assignment_notice_holds_no_internal_entry(smtp_app, smtp_server):
    election = factories.make_election(name="Pilkada Kota Tangerang Selatan 2020")
    staff = factories.make_user("staff")
    contact = factories.make_contact(reminder_mode="immediate", email="baru@dukcapil.example.org")
    issue = factories.make_issue(election, title="Perekaman e-KTP pemilih pemula")
    add_follow_up(issue, body=TEXTS["shared"], author_user=staff, visibility=SHARED)
    add_follow_up(issue, body=TEXTS["internal"], author_user=staff)
    db.session.commit()
    issue.contacts.append(contact)
    db.session.commit()
    (delivery,) = db.session.execute(db.select(ReminderDelivery).filter_by(kind="assignment")).scalars().all()
    assert outbox.send(delivery.id) == "sent"
    email = _email_to(smtp_server, contact.email)
    assert TEXTS["shared"] in email["text"] and TEXTS["shared"] in email["html"]
    assert all(TEXTS["internal"] not in email[part] for part in email)


def test_one_click_unsubscribe_from_the_received_email_works_and_the_link_reveals_nothing(world, smtp_app, smtp_server):
    (received,) = smtp_server.handler.to(world["ani"].email)
    url = received.message["List-Unsubscribe"].strip().strip("<>")
    assert received.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = url.rsplit("/", 1)[1]
    padded = token + "=" * (-len(token) % 4)
    assert "ani" not in token and b"ani@" not in base64.urlsafe_b64decode(padded)
    client = smtp_app.test_client(use_cookies=False)
    response = client.post(url.removeprefix("https://coord.example.org"), data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Contact, world["ani"].id).unsubscribed_dt is not None
    assert db.session.get(Contact, world["joko"].id).unsubscribed_dt is None
