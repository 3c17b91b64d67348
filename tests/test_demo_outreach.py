"""The demo's outreach data: answered invitations, commitments kept and overdue, real attachments; idempotent."""

from datetime import UTC, date, datetime

from coordapp.commitments import queries
from coordapp.commitments.models import Commitment
from coordapp.demo.outreach import minimal_pdf, minimal_png, seed_demo_meetings_outreach
from coordapp.extensions import db
from coordapp.files import services as files
from coordapp.files.models import Attachment
from coordapp.meetings.models import Meeting, MeetingAttendee
from coordapp.reminders.models import ReminderDelivery
from tests import factories

TODAY = date(2026, 12, 2)
NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)


def register():
    election = factories.make_election()
    factories.make_user("staff")
    for category in ("supervisory", "security", "candidate_team"):
        factories.make_contact(factories.make_organization(category=category))
    db.session.commit()
    return election


def test_the_generated_files_are_what_they_claim():
    assert files.sniff(minimal_pdf("Daftar hadir")) == "application/pdf"
    assert files.sniff(minimal_png()) == "image/png"


def test_outreach_demo_then_nothing_more_on_a_second_run(app):
    election = register()
    made = seed_demo_meetings_outreach(election, TODAY, NOW)
    db.session.commit()
    assert made == {"upcoming meetings": 2, "past meetings": 1, "commitments": 3, "attachments": 2}
    upcoming = db.session.execute(db.select(Meeting).where(Meeting.start_dt > NOW)).scalars().all()
    assert len(upcoming) == 2
    answers = [a.rsvp for m in upcoming for a in m.attendees if a.contact_id]
    assert answers.count("yes") == 3 and answers.count("no") == 1
    invitations = db.session.execute(db.select(ReminderDelivery).filter_by(kind="invitation")).scalars().all()
    assert len(invitations) == 6 and {d.status for d in invitations} == {"sent"}
    counts = queries.stage_counts(election.id, TODAY)
    assert sum(c["kept"] for c in counts.values()) == 1 and sum(c["overdue"] for c in counts.values()) == 1
    for attachment in db.session.execute(db.select(Attachment)).scalars():
        assert files.sniff(files.read_bytes(attachment)) == attachment.content_type
    assert seed_demo_meetings_outreach(election, TODAY, NOW) == {}
    db.session.commit()
    assert db.session.execute(db.select(db.func.count(Commitment.id))).scalar() == 3
    assert db.session.execute(db.select(db.func.count(MeetingAttendee.id))).scalar() == 3 * 4
