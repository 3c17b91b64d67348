"""Commitments: made on a meeting or an issue, in the responsible contact's digest until done, reported by link."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from coordapp.commitments import queries, services
from coordapp.commitments.models import Commitment
from coordapp.commitments.services import CommitmentInput
from coordapp.core.visibility import PUBLIC_READER, STAFF, can_read_commitment, contact_reader
from coordapp.extensions import db
from coordapp.reminders import outbox, sweep
from coordapp.reminders.models import ReminderDelivery
from tests import factories

JAKARTA = ZoneInfo("Asia/Jakarta")
MONDAY_9 = datetime(2020, 10, 5, 9, 0, tzinfo=JAKARTA)
FRIDAY_9 = datetime(2020, 10, 9, 9, 0, tzinfo=JAKARTA)


def scenario():
    """A past meeting with Polres; Polres committed to guard the logistics warehouse by 6 October."""
    election = factories.make_election()
    staff = factories.make_user("staff")
    polres = factories.make_organization(name="Polres Tangerang Selatan", short_name="Polres", category="security")
    officer = factories.make_contact(polres, name="Sari Polres", email="sari@polres.example.org")
    meeting = factories.make_meeting(election)
    db.session.commit()
    data = CommitmentInput("Menjaga gudang logistik 24 jam", polres.id, officer.id, date(2020, 10, 6))
    commitment = services.make_commitment(meeting, data, staff, MONDAY_9)
    db.session.commit()
    return commitment, officer, staff


def test_a_commitment_enters_the_contact_digest_and_leaves_it_when_done(smtp_app, smtp_server):
    commitment, officer, staff = scenario()
    sweep.run_sweep(MONDAY_9, send=outbox.send_many)
    (digest,) = smtp_server.handler.to(officer.email)
    text = digest.message.get_body(("plain",)).get_content()
    assert "Menjaga gudang logistik 24 jam" in text
    services.set_status(commitment, "done", FRIDAY_9, "Sudah", author_user=staff)
    db.session.commit()
    sweep.run_sweep(FRIDAY_9, send=outbox.send_many)
    assert len(smtp_server.handler.to(officer.email)) == 1


def test_an_open_commitment_comes_back_after_the_repeat_interval(smtp_app, smtp_server):
    _, officer, _ = scenario()
    sweep.run_sweep(MONDAY_9, send=outbox.send_many)
    sweep.run_sweep(datetime(2020, 10, 6, 9, 0, tzinfo=JAKARTA), send=outbox.send_many)
    assert len(smtp_server.handler.to(officer.email)) == 1  # rested: not the next day
    sweep.run_sweep(FRIDAY_9, send=outbox.send_many)
    messages = smtp_server.handler.to(officer.email)
    assert len(messages) == 2 and "Menjaga gudang" in messages[1].message.get_body(("plain",)).get_content()


def test_done_while_the_digest_waits_cancels_it(smtp_app, smtp_server):
    commitment, officer, staff = scenario()
    result = sweep.run_sweep(MONDAY_9, send=lambda ids: 0)
    services.set_status(commitment, "done", MONDAY_9, author_user=staff)
    db.session.commit()
    outbox.send_many(result.created)
    assert smtp_server.handler.to(officer.email) == []
    statuses = db.session.execute(db.select(ReminderDelivery.status)).scalars().all()
    assert statuses == ["cancelled"]


def test_the_contact_reports_done_through_the_reply_link(smtp_app, smtp_server):
    commitment, officer, _ = scenario()
    sweep.run_sweep(MONDAY_9, send=outbox.send_many)
    (digest,) = smtp_server.handler.to(officer.email)
    text = digest.message.get_body(("plain",)).get_content()
    path = re.search(r"https://coord\.example\.org(/reminders/r/\S+)", text).group(1)
    client = smtp_app.test_client()
    assert "Menjaga gudang logistik" in client.get(path).get_data(as_text=True)
    other = factories.make_meeting()
    foreign = Commitment(
        election_id=other.election_id,
        meeting=other,
        text="x",
        organization_id=officer.organization_id,
        contact_id=officer.id,
        due_date=date(2020, 10, 6),
    )
    db.session.add(foreign)
    db.session.commit()
    refused = client.post(path + "/commitments", data={"commitment": foreign.id, "body": "Selesai", "done": "y"})
    assert refused.status_code == 422  # not in this link
    response = client.post(
        path + "/commitments", data={"commitment": commitment.id, "body": "Sudah dijaga", "done": "y"}
    )
    assert response.status_code == 303
    db.session.expire_all()
    done = db.session.get(Commitment, commitment.id)
    assert done.status == "done" and done.events[-1].author_contact_id == officer.id
    assert db.session.get(Commitment, foreign.id).status == "open"


def test_staff_record_a_commitment_from_the_meeting_page(client, auth):
    auth.as_role("staff")
    meeting = factories.make_meeting()
    org = factories.make_organization()
    contact = factories.make_contact(org)
    other = factories.make_contact()
    db.session.commit()
    url = f"/commitments/new/meeting/{meeting.id}"
    assert client.get(url).status_code == 200
    bad = client.post(
        url, data={"text": "Cek TPS", "organization_id": org.id, "contact_id": other.id, "due_date": "2020-10-10"}
    )
    assert bad.status_code == 422 and db.session.execute(db.select(Commitment)).first() is None
    assert client.post(url, data={"text": "", "organization_id": "x", "due_date": "nope"}).status_code == 422
    ok = client.post(
        url, data={"text": "Cek TPS", "organization_id": org.id, "contact_id": contact.id, "due_date": "2020-10-10"}
    )
    assert ok.status_code == 302
    assert "Cek TPS" in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert client.get("/commitments/new/report/1").status_code == 404


def test_stage_counts_made_kept_overdue(app):
    commitment, officer, staff = scenario()
    late = services.make_commitment(
        commitment.meeting,
        CommitmentInput("Kirim data", officer.organization_id, None, date(2020, 10, 1)),
        staff,
        MONDAY_9,
    )
    services.set_status(commitment, "done", datetime(2020, 10, 5, 3, 0, tzinfo=ZoneInfo("UTC")), author_user=staff)
    db.session.commit()
    counts = queries.stage_counts(commitment.election_id, date(2020, 10, 8))
    assert counts[commitment.stage_id] == {"made": 2, "kept": 1, "overdue": 1}
    assert late.status == "open"


def test_who_reads_a_commitment(app):
    commitment, officer, _ = scenario()
    other = factories.make_contact()
    assert can_read_commitment(STAFF, commitment, meeting_is_public=False)
    assert can_read_commitment(contact_reader(officer), commitment, meeting_is_public=False)
    assert not can_read_commitment(contact_reader(other), commitment, meeting_is_public=True)
    assert not can_read_commitment(PUBLIC_READER, commitment, meeting_is_public=False)
    assert can_read_commitment(PUBLIC_READER, commitment, meeting_is_public=True)


def test_the_board_counts_commitments_per_stage(client, auth):
    commitment, _, _ = scenario()
    auth.as_role("manager")
    page = client.get(f"/dashboard/?election={commitment.election_id}").get_data(as_text=True)
    assert page.count('data-commitments="1/0/1"') == 2  # its stage and all stages: made, none kept, overdue
