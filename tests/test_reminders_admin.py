"""Admin outbox and policy pages, and the access rule of every reminders route."""

import pytest

from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.reminders.links import unsubscribe_token
from coordapp.reminders.models import ReminderDelivery, ReminderPolicy, SendingWindow
from coordapp.reminders.outbox import PENDING_KEY
from coordapp.reminders.policy import load_policy
from tests import factories


def policy_form(**overrides):
    data = {"start_hour": "8", "end_hour": "16", "working_days": ["0", "1", "2", "3", "4"], "skip_holidays": "y"}
    for priority in ("low", "normal", "high", "critical"):
        data.update({f"{priority}_lead_days": "2", f"{priority}_repeat_days": "3", f"{priority}_escalate_after": "3"})
    data.update(overrides)
    return data


def test_outbox_lists_and_filters_by_status_kind_and_recipient(client, auth):
    issue = factories.make_issue()
    failed = factories.make_delivery(issues=[issue], status="failed", last_error="SMTPDataError: 451 busy", attempts=7)
    sent = factories.make_delivery(issues=[issue], status="sent")
    db.session.commit()
    auth.as_role("admin")
    page = client.get("/reminders/outbox").get_data(as_text=True)
    assert failed.recipient_email in page and sent.recipient_email in page
    only_failed = client.get("/reminders/outbox?status=failed").get_data(as_text=True)
    assert failed.recipient_email in only_failed and sent.recipient_email not in only_failed
    assert "451 busy" in only_failed
    by_recipient = client.get(f"/reminders/outbox?recipient={sent.recipient_email.upper()}").get_data(as_text=True)
    assert sent.recipient_email in by_recipient and failed.recipient_email not in by_recipient
    assert failed.recipient_email not in client.get("/reminders/outbox?kind=escalation").get_data(as_text=True)


def test_delivery_page_shows_the_rendered_email_without_the_personal_link(client, auth):
    contact = factories.make_contact(language="id")
    issue = factories.make_issue(title="TPS tanpa akses kursi roda")
    issue.contacts.append(contact)
    delivery = factories.make_delivery(contact, issues=[issue], window_key="2020-10-05")
    db.session.commit()
    auth.as_role("admin")
    page = client.get(f"/reminders/outbox/{delivery.id}").get_data(as_text=True)
    assert "TPS tanpa akses kursi roda" in page and "personal-link-hidden" in page
    html = client.get(f"/reminders/outbox/{delivery.id}/email.html")
    assert html.status_code == 200 and "sandbox" in html.headers["Content-Security-Policy"]
    assert "Tanggapi" in html.get_data(as_text=True)


def test_resend_puts_a_failed_delivery_back_and_enqueues_it_after_commit(client, auth, app):
    failed = factories.make_delivery(issues=[factories.make_issue()], status="failed", attempts=7)
    sent = factories.make_delivery(issues=[factories.make_issue()], status="sent")
    db.session.commit()
    auth.as_role("admin")
    assert client.post(f"/reminders/outbox/{failed.id}/resend").status_code == 302
    assert client.post(f"/reminders/outbox/{sent.id}/resend").status_code == 302
    db.session.expire_all()
    assert db.session.get(ReminderDelivery, failed.id).status == "pending"
    assert db.session.get(ReminderDelivery, sent.id).status == "sent"
    assert PENDING_KEY not in db.session.info


def test_policy_page_saves_and_the_planner_uses_it(client, auth):
    auth.as_role("admin")
    page = client.get("/reminders/policy")
    assert page.status_code == 200 and db.session.execute(db.select(ReminderPolicy)).first() is None
    response = client.post(
        "/reminders/policy",
        data=policy_form(critical_repeat_days="2", end_hour="15", working_days=["0", "1", "2", "3", "4", "5"]),
    )
    assert response.status_code == 302
    db.session.expire_all()
    policy = load_policy()
    assert policy.rule("critical").repeat_days == 2 and policy.end_hour == 15 and 5 in policy.working_days
    assert db.session.execute(db.select(SendingWindow)).scalar_one().working_days == "0,1,2,3,4,5"


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"end_hour": "7"}, "Jam berhenti harus setelah jam mulai."),
        ({"working_days": []}, "Pilih setidaknya satu hari kerja."),
        ({"normal_repeat_days": "0"}, "normal_repeat_days"),
    ],
)
def test_policy_page_refuses_bad_input_keeps_it_and_changes_nothing(client, auth, overrides, message):
    auth.as_role("admin")
    response = client.post("/reminders/policy", data=policy_form(**overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.execute(db.select(ReminderPolicy)).first() is None


def _routes(contact_id, delivery_id, token):
    return [
        ("get", "/reminders/outbox", "admin"),
        ("get", f"/reminders/outbox/{delivery_id}", "admin"),
        ("get", f"/reminders/outbox/{delivery_id}/email.html", "admin"),
        ("post", f"/reminders/outbox/{delivery_id}/resend", "admin"),
        ("get", "/reminders/policy", "admin"),
        ("post", "/reminders/policy", "admin"),
        ("post", f"/reminders/contacts/{contact_id}/resume", "staff"),
        ("post", f"/reminders/contacts/{contact_id}/revoke-links", "manager"),
        ("get", f"/reminders/u/{token}", "link"),
        ("post", f"/reminders/u/{token}", "link"),
        ("get", "/reminders/r/not-a-token", "link"),
        ("post", "/reminders/r/not-a-token", "link"),
        ("post", "/reminders/r/not-a-token/commitments", "link"),
        ("get", "/reminders/rsvp/not-a-token", "link"),
        ("post", "/reminders/rsvp/not-a-token", "link"),
    ]


RANK = {"staff": 0, "manager": 1, "admin": 2}


@pytest.mark.parametrize("role", [None, "staff", "manager", "admin"])
def test_access_matrix_of_every_reminders_route(app, client, auth, role):
    contact = factories.make_contact()
    delivery = factories.make_delivery(contact, issues=[factories.make_issue()], status="sent")
    db.session.commit()
    routes = _routes(contact.id, delivery.id, unsubscribe_token(contact, utcnow()))
    served = [
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("reminders.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    ]
    assert len(served) == len(routes)  # every reminders route and method appears in the table above
    if role:
        auth.as_role(role)
    for method, url, needed in routes:
        status = getattr(client, method)(url).status_code
        if needed == "link":
            assert status in (200, 404), (url, status)  # the link itself is the credential
        elif role is None:
            assert status == 302, (url, status)  # to the login page
        elif RANK[role] < RANK[needed]:
            assert status == 403, (url, role, status)
        else:
            assert status in (200, 302, 422), (url, role, status)
