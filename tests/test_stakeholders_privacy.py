"""Personal data rights: a contact's data exported as JSON, and anonymised with no trace left in any table."""

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from coordapp.audit.services import acting_as
from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.issues.services import add_follow_up
from coordapp.reminders.outbox import add_reminder_entry
from coordapp.stakeholders import privacy
from coordapp.stakeholders.models import Contact
from tests import factories

EMAIL, NAME, PHONE = "budi.penghubung@example.org", "Budi Penghubung", "+62 812 3456 7890"
OFFICE = "(021) 555 0101"


def _scenario():
    """A liaison officer who appears everywhere: issues, a reply, a reminder, a meeting, the audit trail."""
    election = factories.make_election()
    team = factories.make_organization(name="Tim Pasangan Calon 1", short_name="Paslon 1", category="candidate_team")
    person = factories.make_contact(team, name=NAME, email=EMAIL, phone=PHONE, position="Penghubung")
    other = factories.make_contact(team, name="Budi Santoso", email="budi.santoso@example.org", phone=OFFICE)
    issue = factories.make_issue(election, title="Izin lokasi kampanye", description=f"Dilaporkan oleh {NAME}.")
    issue.contacts.append(person)
    db.session.flush()
    with acting_as(label=EMAIL):
        add_follow_up(
            issue, kind="stakeholder_reply", body=f"Sudah kami urus. Salam, {NAME} ({PHONE})", author_contact=person
        )
    delivery = factories.make_delivery(person, [issue])
    add_reminder_entry(issue, person)
    factories.make_reply_token(person, [issue], delivery=delivery)
    meeting = factories.make_meeting(election)
    factories.add_attendee(meeting, contact=person)
    db.session.commit()
    person.phone = "+62 811 0000 1111"  # an earlier phone, kept in the audit trail
    db.session.commit()
    person.phone = PHONE
    db.session.commit()
    return person, other, issue


def _traces(*needles: str) -> list[str]:
    """Search every text and JSON column of every table for the needles; return table.column hits."""
    found = []
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            for column in table.columns:
                if not isinstance(column.type, (sa.String, sa.Text, sa.JSON)):
                    continue
                as_text = sa.cast(column, sa.Text)
                for needle in needles:
                    stmt = (
                        sa.select(sa.func.count()).select_from(table).where(as_text.contains(needle, autoescape=True))
                    )
                    if conn.execute(stmt).scalar():
                        found.append(f"{table.name}.{column.name}: {needle}")
    return found


def test_the_export_holds_everything_about_the_contact(app, client, auth):
    person, _, issue = _scenario()
    auth.as_role("admin")
    response = client.get(f"/stakeholders/contacts/{person.id}/personal-data.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["contact"]["email"] == EMAIL and data["contact"]["phone"] == PHONE
    assert data["organization"]["name"] == "Tim Pasangan Calon 1"
    related = data["related"]
    assert any(r["issue_id"] == issue.id for r in related["issue_contacts.contact_id"])
    assert any("Sudah kami urus" in r["body"] for r in related["follow_ups.author_contact_id"])
    assert related["reminder_deliveries.contact_id"][0]["recipient_email"] == EMAIL
    assert "token_hash" not in json.dumps(data)  # secrets are never exported
    assert any(e["changes"].get("phone") == ["+62 811 0000 1111", PHONE] for e in data["audit_trail"])


def test_anonymisation_leaves_no_trace_of_the_person_in_any_table(app, client, auth):
    person, other, issue = _scenario()
    assert _traces(EMAIL, NAME, "+62 811 0000 1111")  # the check can find them before
    auth.as_role("admin")
    response = client.post(f"/stakeholders/contacts/{person.id}/anonymise", follow_redirects=True)
    assert response.status_code == 200
    assert "Kontak dianonimkan" in response.get_data(as_text=True)
    assert _traces(EMAIL, NAME, PHONE, "+62 811 0000 1111") == []
    db.session.expire_all()
    person = db.session.get(Contact, person.id)
    assert person.name == f"Anonim #{person.id}" and person.email.endswith("@anonymised.invalid")
    assert not person.wants_reminders
    # the organisation's records stay: the issue, the reply (without the person), the counts
    assert len(issue.follow_ups) == 2 and issue.contacts == [person]
    assert "Sudah kami urus." in issue.follow_ups[0].body
    # a colleague of the same organisation keeps everything
    other = db.session.get(Contact, other.id)
    assert (other.name, other.phone, other.email) == ("Budi Santoso", OFFICE, "budi.santoso@example.org")


def test_anonymising_twice_is_refused(app, client, auth):
    person, _, _ = _scenario()
    auth.as_role("admin")
    client.post(f"/stakeholders/contacts/{person.id}/anonymise")
    assert client.post(f"/stakeholders/contacts/{person.id}/anonymise").status_code == 409


def test_inactive_contacts_past_the_retention_period_are_anonymised(app):
    app.config["CONTACT_RETENTION_DAYS"] = 1
    person, other, _ = _scenario()
    person.is_active = False
    db.session.commit()
    runner = app.test_cli_runner()
    assert "0 contacts" in runner.invoke(args=["anonymise-inactive-contacts"]).output  # changed today
    assert privacy.inactive_beyond_retention(1, now=utcnow() + timedelta(days=2)) == [person]
    assert other not in privacy.inactive_beyond_retention(1, now=utcnow() + timedelta(days=2))


@pytest.mark.parametrize(("role", "status"), [(None, 302), ("staff", 403), ("manager", 403)])
def test_only_admins_export_or_anonymise(client, auth, role, status):
    person = factories.make_contact(email=EMAIL)
    db.session.commit()
    if role:
        auth.as_role(role)
    assert client.get(f"/stakeholders/contacts/{person.id}/personal-data.json").status_code == status
    assert client.post(f"/stakeholders/contacts/{person.id}/anonymise").status_code == status
    db.session.expire_all()
    assert db.session.get(Contact, person.id).email == EMAIL


def test_the_privacy_notice_is_public_and_linked_from_the_login_page(client):
    page = client.get("/privacy")
    assert page.status_code == 200 and "UU No. 27 Tahun 2022" in page.get_data(as_text=True)
    login = client.get("/auth/login").get_data(as_text=True)
    assert 'href="/privacy"' in login and 'href="/public/"' in login and 'href="/auth/forgot"' in login
