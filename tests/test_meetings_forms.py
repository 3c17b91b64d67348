"""Recording and editing meetings through the form, and what bad input gets back."""

import re
from datetime import UTC, datetime

import pytest

from coordapp.extensions import db
from coordapp.meetings.models import Meeting, MeetingAttendee
from tests import factories
from tests.meetings_support import form, full_meeting, stage


def _only_meeting() -> Meeting:
    db.session.expire_all()
    return db.session.execute(db.select(Meeting)).scalar_one()


def test_staff_records_a_meeting_with_people_and_the_stage_of_its_date(client, auth):
    user = auth.as_role("staff")
    election = factories.make_election()
    bawaslu = factories.make_organization(name="Bawaslu Kota Tangerang Selatan")
    contact = factories.make_contact(factories.make_organization(name="Disdukcapil"), name="Budi Dukcapil")
    colleague = factories.make_user("staff", name="Sari Staf")
    db.session.commit()
    response = client.post(
        "/meetings/new",
        data=form(
            election,
            organizations=[str(bawaslu.id)],
            contacts=[str(contact.id)],
            users=[str(colleague.id), str(user.id)],
            online_url="https://meet.example.org/rakor-dpt",
        ),
    )
    meeting = _only_meeting()
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}")
    assert meeting.start_dt == datetime(2020, 9, 28, 2, 0, tzinfo=UTC)  # 09:00 WIB
    assert meeting.end_dt == datetime(2020, 9, 28, 4, 0, tzinfo=UTC)
    assert meeting.stage.code == "kampanye"
    assert meeting.created_by_id == user.id
    assert [o.name for o in meeting.organizations] == ["Bawaslu Kota Tangerang Selatan"]
    assert {(a.contact_id, a.user_id) for a in meeting.attendees} == {
        (contact.id, None),
        (None, colleague.id),
        (None, user.id),
    }
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "09.00" in page or "09:00" in page
    assert "Budi Dukcapil" in page and "Sari Staf" in page and "https://meet.example.org/rakor-dpt" in page


def test_the_stage_comes_from_the_local_date_not_the_utc_one(client, auth):
    auth.as_role("staff")
    election = factories.make_election()
    db.session.commit()
    # 06:00 WIB on voting day is still 8 December in UTC (the quiet period).
    client.post("/meetings/new", data=form(election, start="2020-12-09T06:00", end="2020-12-09T07:00"))
    assert _only_meeting().stage.code == "pemungutan"


def test_a_chosen_stage_is_kept(client, auth):
    auth.as_role("staff")
    election = factories.make_election()
    db.session.commit()
    client.post("/meetings/new", data=form(election, stage_id=str(stage(election, "daftar_pemilih").id)))
    assert _only_meeting().stage.code == "daftar_pemilih"


def test_the_new_form_prefills_the_active_election_and_todays_stage(client, auth):
    auth.as_role("staff")
    election = factories.make_election()
    db.session.commit()
    page = client.get("/meetings/new").get_data(as_text=True)
    assert f'<option selected value="{election.id}">' in page or f'value="{election.id}" selected' in page
    # Today is outside the 2020 stages: nothing to pre-fill, the "by date" choice stays selected.
    assert 'data-start="2020-09-26"' in page


def test_edit_changes_times_and_people_and_keeps_attended_flags(client, auth):
    auth.as_role("staff")
    meeting = full_meeting()
    contact_row = next(a for a in meeting.attendees if a.contact_id)
    contact_row.attended = False
    db.session.commit()
    newcomer = factories.make_contact(name="Lurah Pamulang")
    db.session.commit()
    response = client.post(
        f"/meetings/{meeting.id}/edit",
        data=form(
            meeting.election,
            title="Rakor DPT (lanjutan)",
            start="2020-10-01T13:30",
            end="2020-10-01T15:00",
            organizations=[str(o.id) for o in meeting.organizations],
            contacts=[str(contact_row.contact_id), str(newcomer.id)],
            users=[],
        ),
    )
    assert response.status_code == 302
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    assert meeting.title == "Rakor DPT (lanjutan)"
    assert meeting.start_dt == datetime(2020, 10, 1, 6, 30, tzinfo=UTC)
    rows = {a.contact_id: a.attended for a in meeting.attendees}
    assert rows == {contact_row.contact_id: False, newcomer.id: True}  # the staff attendee was removed


def test_edit_form_shows_local_times(client, auth):
    auth.as_role("staff")
    meeting = full_meeting()
    page = client.get(f"/meetings/{meeting.id}/edit").get_data(as_text=True)
    assert 'value="2020-09-28T09:00"' in page and 'value="2020-09-28T11:00"' in page


BAD_INPUT = [
    ("end", {"end": "2020-09-28T08:00"}, "Rapat harus selesai setelah dimulai."),
    ("end", {"end": "kemarin"}, "Isikan tanggal dan jam"),
    ("start", {"start": ""}, "Kolom ini wajib diisi."),
    ("title", {"title": "x" * 201}, "Gunakan paling banyak 200 karakter."),
    ("agenda", {"agenda": "x" * 20_001}, "Gunakan paling banyak 20000 karakter."),
    ("online_url", {"online_url": "javascript://example.org/%0Aalert(1)"}, "Isikan alamat web"),
    ("online_url", {"online_url": "meet dot example"}, "Isikan alamat web"),
    ("location", {"location": ""}, "Isikan tempat atau tautan rapat daring."),
    ("stage_id", {"stage_id": "999999"}, "Tahapan ini bukan bagian dari pemilihan yang dipilih."),
    ("organizations", {"organizations": ["999999"]}, "Salah satu organisasi yang dipilih tidak ada."),
    ("contacts", {"contacts": ["999999"]}, "Salah satu kontak yang dipilih tidak ada."),
    ("contacts", {"contacts": ["abc"]}, "Salah satu kontak yang dipilih tidak ada."),
    ("users", {"users": ["999999"]}, "Salah satu staf yang dipilih tidak ada."),
    ("kind", {"kind": "pesta"}, "Pilih jenis rapat."),
    ("election_id", {"election_id": "999999"}, "Pilih pemilihan."),
]


@pytest.mark.parametrize("field,change,message", BAD_INPUT, ids=[f"{f}-{i}" for i, (f, _, _) in enumerate(BAD_INPUT)])
def test_bad_input_is_refused_next_to_the_field_and_kept(client, auth, field, change, message):
    auth.as_role("staff")
    election = factories.make_election()
    db.session.commit()
    data = form(election, **{"title": "Rakor yang tidak tersimpan", **change})
    response = client.post("/meetings/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page and message in page
    assert ("x" * 201 if field == "title" else "Rakor yang tidak tersimpan") in page
    assert db.session.execute(db.select(Meeting)).first() is None


def test_a_stage_of_another_election_is_refused(client, auth):
    auth.as_role("staff")
    election, other = factories.make_election(), factories.make_election()
    db.session.commit()
    response = client.post("/meetings/new", data=form(election, stage_id=str(stage(other, "kampanye").id)))
    assert response.status_code == 422
    assert "Tahapan ini bukan bagian dari pemilihan yang dipilih." in response.get_data(as_text=True)
    assert db.session.execute(db.select(Meeting)).first() is None


def test_errors_are_in_english_for_an_english_reader(client, auth):
    auth.as_role("staff", language="en")
    election = factories.make_election()
    db.session.commit()
    response = client.post("/meetings/new", data=form(election, end="2020-09-28T08:00"))
    assert "The meeting must end after it starts." in response.get_data(as_text=True)


def test_a_refused_edit_changes_nothing(client, auth):
    auth.as_role("staff")
    meeting = full_meeting()
    before = (meeting.title, meeting.start_dt, len(meeting.attendees), [o.id for o in meeting.organizations])
    response = client.post(
        f"/meetings/{meeting.id}/edit",
        data=form(
            meeting.election, title="Judul baru", end="2020-09-28T08:00", organizations=[], contacts=[], users=[]
        ),
    )
    assert response.status_code == 422
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    assert (meeting.title, meeting.start_dt, len(meeting.attendees), [o.id for o in meeting.organizations]) == before


def test_attendance_is_recorded_after_the_meeting(client, auth):
    auth.as_role("staff")
    meeting = full_meeting()
    rows = {a.id: a for a in meeting.attendees}
    came = next(a.id for a in meeting.attendees if a.contact_id)
    response = client.post(f"/meetings/{meeting.id}/attendance", data={"attended": [str(came)]})
    assert response.status_code == 302
    db.session.expire_all()
    flags = {a.id: a.attended for a in db.session.execute(db.select(MeetingAttendee)).scalars()}
    assert flags == {i: i == came for i in rows}
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    for attendee_id in rows:
        box = re.search(rf'<input type="checkbox" name="attended" value="{attendee_id}"( checked)?>', page)
        assert bool(box.group(1)) == (attendee_id == came)


def test_attendance_of_a_meeting_still_to_come_is_refused(client, auth):
    auth.as_role("staff")
    meeting = factories.make_meeting(start_dt=datetime(2099, 1, 5, 2, 0, tzinfo=UTC))
    attendee = factories.add_attendee(meeting, contact=factories.make_contact(), attended=False)
    db.session.commit()
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Kehadiran dapat dicatat setelah rapat dimulai." in page and 'name="attended"' not in page
    response = client.post(f"/meetings/{meeting.id}/attendance", data={"attended": [str(attendee.id)]})
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(MeetingAttendee, attendee.id).attended is False


def test_invitees_of_a_future_meeting_are_not_marked_attended(client, auth):
    auth.as_role("staff")
    election = factories.make_election()
    contact = factories.make_contact()
    db.session.commit()
    client.post(
        "/meetings/new",
        data=form(election, start="2099-01-05T09:00", end="2099-01-05T10:00", contacts=[str(contact.id)]),
    )
    assert [a.attended for a in _only_meeting().attendees] == [False]


def _history_events(client, meeting_id: int) -> list[str]:
    """Return the meeting's history as text, one string per event, newest first."""
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    rows = page.split('class="card history"')[1].split("</table>")[0].split("<tr")[2:]  # past the header row
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", "<tr" + row)) for row in rows]


def test_who_was_invited_and_who_came_is_in_the_meetings_history(client, auth):
    editor = auth.as_role("staff", name="Sekretaris Rakor")
    meeting = full_meeting()  # invited: Rina Bawaslu and its author; both marked present
    rina = next(a for a in meeting.attendees if a.contact_id)
    newcomer = factories.make_contact(name="Lurah Pamulang")
    db.session.commit()
    response = client.post(
        f"/meetings/{meeting.id}/edit",
        data=form(
            meeting.election,
            organizations=[str(o.id) for o in meeting.organizations],
            contacts=[str(rina.contact_id), str(newcomer.id)],
            users=[str(editor.id)],
        ),
    )
    assert response.status_code == 302
    edit, created = _history_events(client, meeting.id)
    assert "Dibuat" in created and "Sekretaris Rakor Diubah" in edit
    assert "Pemangku kepentingan yang diundang : Rina Bawaslu → Rina Bawaslu, Lurah Pamulang" in edit
    assert "Staf yang diundang : Staff" in edit and "→ Sekretaris Rakor" in edit

    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    came = [a.id for a in meeting.attendees if a.contact_id == newcomer.id]
    assert (
        client.post(f"/meetings/{meeting.id}/attendance", data={"attended": [str(i) for i in came]}).status_code == 302
    )
    attendance = _history_events(client, meeting.id)[0]
    assert "Pemangku kepentingan yang hadir : Rina Bawaslu, Lurah Pamulang → Lurah Pamulang" in attendance
    assert "Staf yang hadir : Sekretaris Rakor → —" in attendance
    assert "diundang" not in attendance  # nobody was invited or removed


def test_saving_a_meeting_without_changing_its_people_adds_no_attendee_lines(client, auth):
    auth.as_role("staff")
    meeting = full_meeting()
    people = dict(
        contacts=[str(a.contact_id) for a in meeting.attendees if a.contact_id],
        users=[str(a.user_id) for a in meeting.attendees if a.user_id],
    )
    response = client.post(
        f"/meetings/{meeting.id}/edit",
        data=form(
            meeting.election,
            title="Rakor DPT (judul baru)",
            start="2020-09-28T09:00",
            end="2020-09-28T11:00",
            organizations=[str(o.id) for o in meeting.organizations],
            **people,
        ),
    )
    assert response.status_code == 302
    edit = _history_events(client, meeting.id)[0]
    assert "Judul : Rakor DPT dan e-KTP → Rakor DPT (judul baru)" in edit
    assert "diundang" not in edit and "hadir" not in edit
