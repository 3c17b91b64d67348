"""No edit of a meeting, its minutes, an organization or a contact is lost to an older copy of its form."""

import pytest
from sqlalchemy.orm.exc import StaleDataError

from coordapp.auth.access import public
from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.meetings import services as meeting_services
from coordapp.meetings.models import Meeting, MinutesRevision
from coordapp.stakeholders.models import Contact, Organization
from tests import factories
from tests.locking_support import hidden
from tests.meetings_support import form as meeting_form
from tests.meetings_support import full_meeting
from tests.test_stakeholders_views import CONTACT_FORM, ORG_FORM


def _opened(client, url: str) -> dict:
    page = client.get(url).get_data(as_text=True)
    return {"version": hidden(page, "version"), "submission_token": hidden(page, "submission_token")}


def test_an_older_organization_form_gets_409_with_the_change_and_the_users_text(client, auth):
    auth.as_role("staff")
    org = factories.make_organization(name="Polres Tangerang Selatan", short_name="Polres", category="security")
    db.session.commit()
    stale = _opened(client, f"/stakeholders/{org.id}/edit")
    org.influence = 5  # someone saves first
    db.session.commit()
    response = client.post(f"/stakeholders/{org.id}/edit", data=ORG_FORM | {"notes": "Catatan saya"} | stale)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Orang lain mengubah data ini saat Anda menyunting" in page
    assert "Pengaruh" in page  # the field that changed since the form was opened
    assert "Catatan saya" in page  # the user's own text, kept
    db.session.expire_all()
    saved = db.session.get(Organization, org.id)
    assert (saved.influence, saved.notes) == (5, "")


def test_an_older_contact_form_gets_409_and_saves_nothing(client, auth):
    auth.as_role("staff")
    contact = factories.make_contact(name="AKP Dedi Kurniawan", email="dedi@polres.example.org")
    db.session.commit()
    stale = _opened(client, f"/stakeholders/contacts/{contact.id}/edit")
    contact.phone = "+62 21 555 0100"
    db.session.commit()
    data = CONTACT_FORM | {"organization_id": str(contact.organization_id), "position": "Kapolsek"} | stale
    response = client.post(f"/stakeholders/contacts/{contact.id}/edit", data=data)
    assert response.status_code == 409
    assert 'value="Kapolsek"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).position == "Staf"


def test_an_older_meeting_form_gets_409_even_when_only_the_invitees_changed(client, auth):
    staff = auth.as_role("staff")
    meeting = full_meeting(author=staff)
    stale = _opened(client, f"/meetings/{meeting.id}/edit")
    factories.add_attendee(meeting, contact=factories.make_contact(name="Rina Kusuma"))
    db.session.commit()
    data = meeting_form(meeting.election, title="Judul saya") | stale
    response = client.post(f"/meetings/{meeting.id}/edit", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Rina Kusuma" in page and 'value="Judul saya"' in page
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).title == "Rakor DPT dan e-KTP"


def test_a_meeting_form_opened_after_the_last_change_saves(client, auth):
    staff = auth.as_role("staff")
    meeting = full_meeting(author=staff)
    fresh = _opened(client, f"/meetings/{meeting.id}/edit")
    response = client.post(f"/meetings/{meeting.id}/edit", data=meeting_form(meeting.election, title="Baru") | fresh)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).title == "Baru"


def test_two_minutes_saves_from_the_same_revision_cannot_both_become_the_newest(app):
    meeting = full_meeting()
    author = factories.make_user("staff")
    db.session.commit()
    current = meeting.minutes  # what our editor read: revision 2
    with db.engine.begin() as conn:  # a colleague's save from the same revision, committed before ours
        conn.execute(
            MinutesRevision.__table__.insert().values(
                meeting_id=meeting.id, body="Teks rekan.", version=current.version + 1, created_dt=utcnow()
            )
        )
    with pytest.raises(meeting_services.MinutesConflict):
        meeting_services.save_minutes(meeting, "Teks saya.", author, current.id)
    db.session.rollback()
    bodies = db.session.execute(db.select(MinutesRevision.body).where(MinutesRevision.meeting_id == meeting.id))
    assert "Teks saya." not in bodies.scalars().all()


def test_minutes_revisions_are_numbered_per_meeting(app):
    meeting = full_meeting()
    other = factories.make_meeting()
    factories.add_minutes(other)
    db.session.commit()
    assert sorted(r.version for r in meeting.minutes_revisions) == [1, 2]
    assert [r.version for r in other.minutes_revisions] == [1]


def test_a_race_no_view_expected_is_a_409_not_a_500(make_app):
    racy = make_app()

    @racy.get("/race")
    @public
    def race():
        raise StaleDataError("UPDATE statement on table 'issues' expected to update 1 row(s); 0 were matched.")

    response = racy.test_client().get("/race")
    assert response.status_code == 409
    assert "Orang lain mengubah data ini sementara itu" in response.get_data(as_text=True)
