"""Reply links follow the contact's right; staff revoke them; "done" is a claim; unsubscribe links are opaque."""

import base64
from datetime import timedelta

import pytest

from coordapp.audit.models import AuditEvent
from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.issues.models import FollowUp, Issue
from coordapp.reminders import outbox, replies, sweep
from coordapp.reminders.links import hash_token, unsubscribe_token
from coordapp.reminders.models import ReminderDelivery, ReplyToken, UnsubscribeToken
from coordapp.stakeholders.models import Contact
from tests import factories
from tests.test_reminders_sweep import MONDAY_9, due_issue


def linked(n=2):
    """A contact with a reply link over n waiting issues it is responsible for."""
    election = factories.make_election(name="Pilkada Kota Tangerang Selatan 2020")
    owner = factories.make_user("staff")
    contact = factories.make_contact(name="Budi Penghubung")
    issues = []
    for i in range(n):
        issue = factories.make_issue(election, title=f"Kendala logistik {i + 1}", owner=owner, status="waiting")
        issue.contacts.append(contact)
        issues.append(issue)
    token = factories.make_reply_token(contact, issues)
    db.session.commit()
    return token, contact, issues


def replies_written():
    db.session.expire_all()
    return db.session.execute(db.select(FollowUp).filter_by(kind="stakeholder_reply")).scalars().all()


def _deactivate(contact, issues):
    contact.is_active = False


def _deactivate_organization(contact, issues):
    contact.organization.is_active = False


def _unsubscribe(contact, issues):
    contact.unsubscribed_dt = utcnow()


def _no_longer_responsible(contact, issues):
    for issue in issues:
        issue.contacts.remove(contact)


def _close(status):
    def change(contact, issues):
        for issue in issues:
            issue.status = status

    return change


def _archive(contact, issues):
    for issue in issues:
        issue.is_archived = True


def _revoke(contact, issues):
    replies.revoke_links(contact, utcnow())


def _expire(contact, issues):
    db.session.execute(db.select(ReplyToken)).scalar_one().expires_dt = utcnow() - timedelta(minutes=1)


CAUSES = {  # cause -> (change, status, words the page says in Indonesian)
    "inactive contact": (_deactivate, 403, "tidak digunakan lagi"),
    "inactive organisation": (_deactivate_organization, 403, "tidak digunakan lagi"),
    "unsubscribed": (_unsubscribe, 410, "sudah dihentikan"),
    "no longer responsible": (_no_longer_responsible, 410, "Tidak ada lagi yang dapat ditanggapi"),
    "issue closed": (_close("closed"), 410, "Tidak ada lagi yang dapat ditanggapi"),
    "issue resolved": (_close("resolved"), 410, "Tidak ada lagi yang dapat ditanggapi"),
    "issue archived": (_archive, 410, "Tidak ada lagi yang dapat ditanggapi"),
    "revoked by staff": (_revoke, 410, "sudah ditarik"),
    "expired": (_expire, 410, "kedaluwarsa"),
}


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("cause", CAUSES)
def test_a_link_after_each_revocation_cause_opens_nothing_and_changes_nothing(client, cause, method):
    token, contact, issues = linked()
    change, status, words = CAUSES[cause]
    change(contact, issues)
    db.session.commit()
    statuses = [i.status for i in issues]
    response = getattr(client, method)(
        f"/reminders/r/{token}", data={f"answer_{issues[0].id}": "Sudah selesai.", "done": [issues[0].id]}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert words in page
    assert "penyelenggara pemilihan" in page.lower() or cause == "expired"  # whom to turn to instead
    assert all(issue.title not in page for issue in issues) and contact.name not in page
    assert replies_written() == []
    assert [db.session.get(Issue, i.id).status for i in issues] == statuses
    assert db.session.execute(db.select(ReminderDelivery).filter_by(kind="reply_notice")).first() is None


def test_an_issue_the_contact_no_longer_answers_for_leaves_the_page_and_is_refused(client):
    token, contact, issues = linked()
    issues[0].contacts.remove(contact)
    db.session.commit()
    page = client.get(f"/reminders/r/{token}").get_data(as_text=True)
    assert issues[0].title not in page and issues[1].title in page
    refused = client.post(f"/reminders/r/{token}", data={f"answer_{issues[0].id}": "Masih milik saya?"})
    assert refused.status_code == 422 and replies_written() == []


def test_the_gone_page_names_the_election_bodys_address_when_configured(app, client):
    token, contact, issues = linked(1)
    app.config["MAIL_REPLY_TO"] = "kpu@tangsel.example.org"
    contact.is_active = False
    db.session.commit()
    assert "kpu@tangsel.example.org" in client.get(f"/reminders/r/{token}").get_data(as_text=True)


def test_a_manager_revokes_a_contacts_links_from_the_contact_page_and_it_is_audited(client, auth):
    token, contact, issues = linked()
    other_token = factories.make_reply_token(contact, issues[:1])
    db.session.commit()
    manager = auth.as_role("manager")
    page = client.get(f"/stakeholders/contacts/{contact.id}").get_data(as_text=True)
    assert f"/reminders/contacts/{contact.id}/revoke-links" in page
    response = client.post(f"/reminders/contacts/{contact.id}/revoke-links", data={"next": "/stakeholders/"})
    assert response.status_code == 302
    db.session.expire_all()
    assert all(t.revoked_dt is not None for t in db.session.execute(db.select(ReplyToken)).scalars())
    for raw in (token, other_token):
        assert client.get(f"/reminders/r/{raw}").status_code == 410
    event = (
        db.session.execute(
            db.select(AuditEvent).filter_by(entity_type="contacts", entity_id=contact.id).order_by(AuditEvent.id)
        )
        .scalars()
        .all()[-1]
    )
    assert event.actor_user_id == manager.id and "links_revoked_dt" in event.changes
    history = client.get(f"/stakeholders/contacts/{contact.id}").get_data(as_text=True)
    assert "Tautan tanggapan ditarik" in history


def test_staff_see_no_revoke_button_and_are_refused(client, auth):
    token, contact, _ = linked(1)
    auth.as_role("staff")
    page = client.get(f"/stakeholders/contacts/{contact.id}").get_data(as_text=True)
    assert "revoke-links" not in page
    assert client.post(f"/reminders/contacts/{contact.id}/revoke-links").status_code == 403
    assert client.get(f"/reminders/r/{token}").status_code == 200


def test_revoking_an_unknown_contact_is_404(client, auth):
    auth.as_role("manager")
    assert client.post("/reminders/contacts/999999/revoke-links").status_code == 404


def test_done_is_recorded_as_a_claim_and_the_owner_is_told(app, client):
    token, contact, issues = linked(1)
    response = client.post(
        f"/reminders/r/{token}", data={f"answer_{issues[0].id}": "Sudah kami kirim.", "done": [issues[0].id]}
    )
    assert response.status_code == 303
    (reply,) = replies_written()
    assert reply.action_done_dt is not None and reply.visibility == "shared"
    assert db.session.get(Issue, issues[0].id).status == "waiting"  # staff decide
    notice = db.session.execute(db.select(ReminderDelivery).filter_by(kind="reply_notice")).scalar_one()
    assert outbox.send(notice.id) == "sent"
    (message,) = app.extensions["mailman"].outbox
    assert "melaporkan kendala berikut sudah ditindaklanjuti: Kendala logistik 1" in message.body


def test_a_done_claim_pauses_reminders_to_that_organisation_only(app):
    election = factories.make_election()
    bawaslu, polres = factories.make_organization(name="Bawaslu"), factories.make_organization(name="Polres")
    reporter, colleague = factories.make_contact(bawaslu), factories.make_contact(bawaslu)
    outsider = factories.make_contact(polres)
    issue = due_issue(election, [reporter, colleague, outsider])
    token = factories.make_reply_token(reporter, [issue])
    db.session.commit()
    found = replies.find_reply_token(token, utcnow())
    replies.record_reply(found, [issue.id], [issue.id], "Selesai.", MONDAY_9 - timedelta(days=5))
    db.session.commit()
    assert [p.recipient_email for p in sweep.plan(MONDAY_9) if p.kind == "digest"] == [outsider.email]


def test_unsubscribe_tokens_are_opaque_hashed_and_expire(client):
    contact = factories.make_contact(email="rahasia@bawaslu.example.org")
    token = unsubscribe_token(contact, utcnow())
    db.session.commit()
    padded = token + "=" * (-len(token) % 4)
    assert b"rahasia" not in base64.urlsafe_b64decode(padded) and "rahasia" not in token
    row = db.session.execute(db.select(UnsubscribeToken)).scalar_one()
    assert row.token_hash == hash_token(token) and token not in row.token_hash
    row.expires_dt = utcnow() - timedelta(seconds=1)
    db.session.commit()
    for method in ("get", "post"):
        response = getattr(client, method)(f"/reminders/u/{token}")
        assert response.status_code == 404 and "Tautan berhenti berlangganan ini tidak berlaku" in response.get_data(
            as_text=True
        )
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).unsubscribed_dt is None


def test_an_old_signed_unsubscribe_link_gets_a_clear_page_and_changes_nothing(app, client):
    from itsdangerous import URLSafeSerializer

    contact = factories.make_contact()
    db.session.commit()
    old = URLSafeSerializer(app.config["SECRET_KEY"], salt="reminders.unsubscribe").dumps([contact.id, contact.email])
    for method in ("get", "post"):
        response = getattr(client, method)(f"/reminders/u/{old}")
        assert response.status_code == 404 and "email lama" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).unsubscribed_dt is None
