"""Reply links and unsubscribe: no login, nothing more than the link opens, GET changes nothing."""

import re
from datetime import timedelta

import pytest

from coordapp.audit.models import AuditEvent
from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.issues.models import FollowUp, Issue
from coordapp.reminders.links import unsubscribe_token
from coordapp.reminders.models import ReminderDelivery, ReplyToken
from coordapp.stakeholders.models import Contact
from tests import factories


def linked_issues(n=2, **contact_overrides):
    election = factories.make_election(name="Pilkada Kota Tangerang Selatan 2020")
    owner = factories.make_user("staff")
    contact = factories.make_contact(name="Budi Penghubung", **contact_overrides)
    issues = []
    for i in range(n):
        issue = factories.make_issue(election, title=f"Kendala DPT {i + 1}", owner=owner, status="waiting")
        issue.contacts.append(contact)
        issues.append(issue)
    other = factories.make_issue(election, title="Kendala rahasia lain", owner=owner)
    token = factories.make_reply_token(contact, issues)
    db.session.commit()
    return token, contact, issues, other, owner


def follow_ups(kind="stakeholder_reply"):
    db.session.expire_all()
    return db.session.execute(db.select(FollowUp).filter_by(kind=kind)).scalars().all()


def test_get_shows_only_the_links_issues_without_login_and_changes_nothing(client):
    token, contact, issues, other, _ = linked_issues()
    events_before = len(db.session.execute(db.select(AuditEvent)).scalars().all())
    response = client.get(f"/reminders/r/{token}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert all(issue.title in page for issue in issues) and other.title not in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert "Cache-Control" in response.headers and "no-store" in response.headers["Cache-Control"]
    assert follow_ups() == [] and len(db.session.execute(db.select(AuditEvent)).scalars().all()) == events_before
    assert db.session.execute(db.select(ReplyToken)).scalar_one().used_dt is None
    assert [db.session.get(Issue, i.id).status for i in issues] == ["waiting", "waiting"]
    with client.session_transaction() as session:
        assert "_user_id" not in session  # never logged in


def answer(issue, text):
    """The form field of one issue's answer box."""
    return {f"answer_{issue.id}": text}


def test_the_reply_page_ticks_nothing_and_has_one_empty_box_per_issue(client):
    token, _, issues, _, _ = linked_issues()
    page = client.get(f"/reminders/r/{token}").get_data(as_text=True)
    assert "checked" not in page
    for issue in issues:
        box = re.search(rf'<textarea[^>]*name="answer_{issue.id}"[^>]*>([^<]*)</textarea>', page)
        assert box is not None and box.group(1).strip() == ""
        assert f'<legend class="reply-title">{issue.title}</legend>' in page


def test_reply_records_each_answer_on_its_own_issue(client):
    token, contact, issues, _, owner = linked_issues()
    response = client.post(
        f"/reminders/r/{token}",
        data={
            **answer(issues[0], "Data ganda sedang kami cocokkan."),
            **answer(issues[1], "Sudah kami koordinasikan."),
            "done": [issues[1].id],
        },
    )
    assert response.status_code == 303 and response.headers["Referrer-Policy"] == "no-referrer"
    replies = follow_ups()
    assert {r.issue_id: r.body for r in replies} == {
        issues[0].id: "Data ganda sedang kami cocokkan.",
        issues[1].id: "Sudah kami koordinasikan.",
    }
    assert all(r.author_contact_id == contact.id for r in replies)
    done = {r.issue_id: r.action_done_dt is not None for r in replies}
    assert done == {issues[0].id: False, issues[1].id: True}
    # "done" is the contact's claim: the owner checks it; the issue does not move by itself
    assert [db.session.get(Issue, i.id).status for i in issues] == ["waiting", "waiting"]
    notice = db.session.execute(db.select(ReminderDelivery).filter_by(kind="reply_notice")).scalar_one()
    assert notice.recipient_email == owner.email and len(notice.issues) == 2
    audit = (
        db.session.execute(db.select(AuditEvent).filter_by(entity_type="issues", action="status_change"))
        .scalars()
        .all()
    )
    assert audit == []
    follow = client.get(response.headers["Location"])
    assert "Terima kasih" in follow.get_data(as_text=True)


def test_an_issue_left_empty_gets_nothing(client):
    token, _, issues, _, _ = linked_issues()
    response = client.post(
        f"/reminders/r/{token}", data={**answer(issues[1], "Sedang diproses."), **answer(issues[0], " ")}
    )
    assert response.status_code == 303
    assert [(r.issue_id, r.body) for r in follow_ups()] == [(issues[1].id, "Sedang diproses.")]
    notice = db.session.execute(db.select(ReminderDelivery).filter_by(kind="reply_notice")).scalar_one()
    assert [i.id for i in notice.issues] == [issues[1].id]


def test_reply_notice_reaches_the_owner_with_the_reply(app, client):
    token, contact, issues, _, owner = linked_issues(1)
    client.post(f"/reminders/r/{token}", data=answer(issues[0], "Sedang diproses."))
    from coordapp.reminders import outbox

    notice = db.session.execute(db.select(ReminderDelivery).filter_by(kind="reply_notice")).scalar_one()
    assert outbox.send(notice.id) == "sent"
    (message,) = app.extensions["mailman"].outbox
    assert message.to == [owner.email]
    assert "Sedang diproses." in message.body and "Budi Penghubung" in message.subject


def test_an_issue_outside_the_link_is_refused_and_nothing_changes(client):
    token, _, issues, other, _ = linked_issues()
    response = client.post(f"/reminders/r/{token}", data={**answer(other, "Coba."), "done": [other.id]})
    assert response.status_code == 422
    assert other.title not in response.get_data(as_text=True)
    response = client.post(f"/reminders/r/{token}", data=answer(other, "Coba."))  # a box the page never had
    assert response.status_code == 422
    assert follow_ups() == []


def test_a_reply_with_no_answer_is_refused_with_a_clear_message(client):
    token, _, issues, _, _ = linked_issues()
    response = client.post(f"/reminders/r/{token}", data={**answer(issues[0], "  "), **answer(issues[1], "")})
    assert response.status_code == 422
    assert "Tulis jawaban untuk sekurang-kurangnya satu kendala." in response.get_data(as_text=True)
    assert follow_ups() == []
    assert db.session.execute(db.select(ReplyToken)).scalar_one().used_dt is None


def test_done_without_an_answer_is_refused_next_to_that_issue(client):
    token, _, issues, _, _ = linked_issues()
    response = client.post(f"/reminders/r/{token}", data={**answer(issues[0], "Sudah."), "done": [issues[1].id]})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="answer_{issues[1].id}-error">Tuliskan apa yang sudah Anda lakukan' in page
    assert "Sudah." in page  # what was written stays
    assert follow_ups() == []


def test_an_answer_too_long_is_refused(client):
    token, _, issues, _, _ = linked_issues()
    response = client.post(f"/reminders/r/{token}", data=answer(issues[0], "x" * 5001))
    assert response.status_code == 422 and "5000" in response.get_data(as_text=True)
    assert follow_ups() == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_token_gets_a_clear_page_with_no_data(client, method):
    token, _, issues, _, _ = linked_issues()
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = getattr(client, method)(f"/reminders/r/{tampered}", data=answer(issues[0], "x"))
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Tautan ini tidak berlaku" in page and issues[0].title not in page
    assert follow_ups() == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_expired_token_is_gone(client, method):
    token, _, issues, _, _ = linked_issues()
    row = db.session.execute(db.select(ReplyToken)).scalar_one()
    row.expires_dt = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = getattr(client, method)(f"/reminders/r/{token}", data=answer(issues[0], "x"))
    assert response.status_code == 410
    assert "kedaluwarsa" in response.get_data(as_text=True) and issues[0].title not in response.get_data(as_text=True)
    assert follow_ups() == []


def test_only_the_hash_of_the_token_is_stored(app):
    token, *_ = linked_issues()
    row = db.session.execute(db.select(ReplyToken)).scalar_one()
    assert token not in row.token_hash and len(row.token_hash) == 64


def test_resolved_issues_of_a_link_can_no_longer_be_answered(client):
    token, _, issues, _, _ = linked_issues()
    issues[0].status = "resolved"
    db.session.commit()
    page = client.get(f"/reminders/r/{token}").get_data(as_text=True)
    assert issues[0].title not in page and issues[1].title in page  # a refused issue leaves the page
    response = client.post(f"/reminders/r/{token}", data=answer(issues[0], "x"))
    assert response.status_code == 422 and follow_ups() == []


def test_reply_needs_the_csrf_token(csrf_app):
    token, _, issues, _, _ = linked_issues()
    client = csrf_app.test_client()
    refused = client.post(f"/reminders/r/{token}", data=answer(issues[0], "Tanpa token."))
    assert refused.status_code == 400 and follow_ups() == []
    page = client.get(f"/reminders/r/{token}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    accepted = client.post(f"/reminders/r/{token}", data={**answer(issues[0], "Dengan token."), "csrf_token": csrf})
    assert accepted.status_code == 303 and len(follow_ups()) == 1


def test_reply_links_are_rate_limited(client):
    token, *_ = linked_issues()
    statuses = [client.get(f"/reminders/r/{token}").status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429


def test_one_click_unsubscribe_works_without_cookies_or_csrf(csrf_app):
    contact = factories.make_contact()
    token = unsubscribe_token(contact, utcnow())
    db.session.commit()
    client = csrf_app.test_client(use_cookies=False)
    response = client.post(f"/reminders/u/{token}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and response.headers["Referrer-Policy"] == "no-referrer"
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).unsubscribed_dt is not None
    event = (
        db.session.execute(
            db.select(AuditEvent).filter_by(entity_type="contacts", entity_id=contact.id).order_by(AuditEvent.id)
        )
        .scalars()
        .all()[-1]
    )
    assert event.actor_label == contact.email and event.actor_user_id is None
    assert "unsubscribed_dt" in event.changes


def test_unsubscribe_page_get_changes_nothing_and_offers_a_button(client):
    contact = factories.make_contact()
    token = unsubscribe_token(contact, utcnow())
    db.session.commit()
    response = client.get(f"/reminders/u/{token}")
    assert response.status_code == 200 and "Berhenti berlangganan" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).unsubscribed_dt is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_unsubscribe_link_changes_nothing(client, method):
    other = factories.make_contact()
    real = unsubscribe_token(other, utcnow())
    db.session.commit()
    forged = real[:-2] + ("AA" if not real.endswith("AA") else "BB")
    assert getattr(client, method)(f"/reminders/u/{forged}").status_code == 404
    db.session.expire_all()
    assert db.session.get(Contact, other.id).unsubscribed_dt is None


def test_staff_turn_reminders_back_on_from_the_contact_page(client, auth):
    contact = factories.make_contact(unsubscribed_dt=utcnow(), reminder_mode="off")
    db.session.commit()
    auth.as_role("staff")
    response = client.post(f"/reminders/contacts/{contact.id}/resume", data={"next": "/somewhere#reminders"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/somewhere#reminders")
    db.session.expire_all()
    restored = db.session.get(Contact, contact.id)
    assert restored.unsubscribed_dt is None and restored.reminder_mode == "daily" and restored.wants_reminders


def test_contact_partial_shows_the_state_and_the_button(app):
    from flask import render_template

    contact = factories.make_contact(unsubscribed_dt=utcnow())
    db.session.commit()
    with app.test_request_context("/stakeholders/contacts/1"):
        html = render_template("reminders/_contact_reminders.html", contact=contact)
    assert "Berhenti berlangganan" in html and f"/reminders/contacts/{contact.id}/resume" in html
    contact.unsubscribed_dt = None
    with app.test_request_context("/stakeholders/contacts/1"):
        html = render_template("reminders/_contact_reminders.html", contact=contact)
    assert "/resume" not in html
