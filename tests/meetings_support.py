"""Helpers shared by the meetings tests: a realistic meeting and the form a user would send."""

from datetime import UTC, datetime

from coordapp.extensions import db
from tests import factories


def stage(election, code):
    """Return an election's stage by its code."""
    return next(s for s in election.stages if s.code == code)


def form(election, **overrides) -> dict:
    """Return the meeting form as a browser sends it (times are WIB wall-clock times)."""
    data = {
        "title": "Rakor pemutakhiran DPT",
        "election_id": str(election.id),
        "kind": "rakor",
        "start": "2020-09-28T09:00",
        "end": "2020-09-28T11:00",
        "stage_id": "",
        "location": "Aula KPU Kota Tangerang Selatan",
        "online_url": "",
        "agenda": "1. DPT\n2. e-KTP",
    }
    data.update(overrides)
    return data


def full_meeting(election=None, author=None):
    """Create a held meeting with organizations, attendees, two minutes revisions and an issue; commit."""
    election = election or factories.make_election()
    author = author or factories.make_user("staff")
    bawaslu = factories.make_organization(short_name="Bawaslu", category="supervisory")
    dukcapil = factories.make_organization(short_name="Disdukcapil")
    meeting = factories.make_meeting(
        election,
        title="Rakor DPT dan e-KTP",
        created_by=author,
        start_dt=datetime(2020, 9, 28, 2, 0, tzinfo=UTC),
        stage=stage(election, "kampanye"),
        agenda="**Pembahasan** DPT",
    )
    meeting.organizations = [bawaslu, dukcapil]
    factories.add_attendee(meeting, contact=factories.make_contact(bawaslu, name="Rina Bawaslu"))
    factories.add_attendee(meeting, user=author)
    factories.add_minutes(meeting, author, "Draf notulen pertama.")
    factories.add_minutes(meeting, author, "Notulen final: 1.200 warga belum punya e-KTP.")
    factories.make_issue(election, meeting=meeting, title="1.200 warga tanpa e-KTP sebelum DPT ditetapkan")
    db.session.commit()
    return meeting
