"""The quarantine and bouncing addresses: staff only, raw message escaped, attach to an issue or discard."""

import pytest

from coordapp.extensions import db
from coordapp.issues.models import FollowUp
from coordapp.mailin.models import InboundMessage
from tests import factories
from tests.test_mailin_intake import DOMAIN, deliver, fixture, linked
from tests.test_security_csrf import _login, _token

SCRIPT = b"<script>alert(1)</script>"


@pytest.fixture
def held(app):
    """A reply with a forged address, held in quarantine; its body carries markup."""
    app.config["MAIL_REPLY_DOMAIN"] = DOMAIN
    linked()
    raw = fixture("gmail_en.eml", "B" * 43).replace(b"We coordinated", SCRIPT + b" We coordinated")
    row = deliver(raw)
    assert row.status == "quarantined"
    return row.id


@pytest.mark.parametrize("path", ["/mail-in/", "/mail-in/{id}"])
def test_only_staff_read_the_quarantine(client, auth, held, path):
    url = path.format(id=held)
    response = client.get(url)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    auth.as_role("staff")
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("action", ["assign", "discard"])
def test_anonymous_visitors_cannot_place_or_discard(client, held, action):
    response = client.post(f"/mail-in/{held}/{action}", data={"issue_id": 1})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert db.session.get(InboundMessage, held).status == "quarantined"


def test_the_raw_message_is_shown_escaped(client, auth, held):
    auth.as_role("staff", language="en")
    page = client.get(f"/mail-in/{held}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert "No reply address of ours" in page


def test_the_list_shows_the_held_message_and_a_bouncing_contact(client, auth, held):
    contact = factories.make_contact(name="Siti Bounce", email="siti@example.org")
    deliver(fixture("bounce_dsn.eml", "", bounced=contact.email))
    auth.as_role("staff")
    page = client.get("/mail-in/").get_data(as_text=True)
    assert "Re: Reminder: 2 issues waiting" in page
    assert "Siti Bounce" in page and "5.1.1" in page
    contact_page = client.get(f"/stakeholders/contacts/{contact.id}").get_data(as_text=True)
    assert "Email tidak terkirim" in contact_page


def test_staff_attach_a_held_message_to_an_issue(client, auth, held):
    issue = factories.make_issue()
    db.session.commit()
    user = auth.as_role("staff")
    response = client.post(f"/mail-in/{held}/assign", data={"issue_id": issue.id})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/issues/{issue.id}")
    db.session.expire_all()
    (entry,) = db.session.execute(db.select(FollowUp).filter_by(issue_id=issue.id, kind="comment")).scalars().all()
    assert entry.author_user_id == user.id and entry.visibility == "internal"
    assert entry.body.startswith("budi@bawaslu-tangsel.example: ") and "We coordinated" in entry.body
    assert db.session.get(InboundMessage, held).status == "assigned"
    assert client.get(f"/mail-in/{held}").status_code == 404  # no longer held


@pytest.mark.parametrize("value", ["", "abc", "0", "999999", "-3"])
def test_a_bad_issue_number_is_a_clear_422_and_changes_nothing(client, auth, held, value):
    auth.as_role("staff", language="en")
    response = client.post(f"/mail-in/{held}/assign", data={"issue_id": value})
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(InboundMessage, held).status == "quarantined"
    assert db.session.execute(db.select(FollowUp).filter_by(kind="comment")).scalars().all() == []


def test_staff_discard_a_held_message(client, auth, held):
    auth.as_role("staff")
    response = client.post(f"/mail-in/{held}/discard")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(InboundMessage, held).status == "discarded"


def test_an_unknown_message_is_404(client, auth):
    auth.as_role("staff")
    assert client.get("/mail-in/424242").status_code == 404
    assert client.post("/mail-in/424242/discard").status_code == 404


def test_placing_and_discarding_need_the_csrf_token(csrf_app):
    csrf_app.config["MAIL_REPLY_DOMAIN"] = DOMAIN
    linked()
    row = deliver(fixture("gmail_en.eml", "C" * 43))
    user = factories.make_user("staff")
    db.session.commit()
    client = csrf_app.test_client()
    _login(client, user)
    assert client.post(f"/mail-in/{row.id}/discard").status_code == 400
    assert client.post(f"/mail-in/{row.id}/assign", data={"issue_id": 1}).status_code in (400, 422)
    db.session.expire_all()
    assert db.session.get(InboundMessage, row.id).status == "quarantined"
    token = _token(client, f"/mail-in/{row.id}")
    assert client.post(f"/mail-in/{row.id}/discard", data={"csrf_token": token}).status_code == 302
