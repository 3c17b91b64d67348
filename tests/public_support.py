"""A small published world for the portal's tests: one election, a public and a private meeting and issue."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from coordapp.extensions import db
from tests import factories


@dataclass
class World:
    election: object
    stage: object
    manager: object
    contact: object
    public_meeting: object
    private_meeting: object
    public_issue: object
    private_issue: object


def world() -> World:
    """Build and commit the world: what is published carries public text, the rest internal text only."""
    election = factories.make_election(name="Pilkada Uji 2020", slug="pilkada-uji-2020")
    stage = next(s for s in election.stages if s.code == "kampanye")
    manager = factories.make_user("manager", name="Ratna Manajer")
    org = factories.make_organization(name="Bawaslu Kota Uji", short_name="Bawaslu Uji")
    contact = factories.make_contact(org, name="Siti Rahasia", email="siti.rahasia@example.org", phone="+62 811 1234")
    start = datetime(2020, 10, 5, 2, tzinfo=UTC)
    public_meeting = factories.make_meeting(
        election,
        stage=stage,
        title="Rakor internal dengan catatan sensitif",
        agenda="Agenda internal",
        start_dt=start,
        public_title="Rakor pengamanan kampanye",
        public_summary="Disepakati izin lokasi diajukan tiga hari sebelumnya.",
        is_public=True,
        published_dt=start + timedelta(days=2),
        published_by_id=manager.id,
        organizations=[org],
    )
    factories.add_attendee(public_meeting, contact=contact)
    private_meeting = factories.make_meeting(
        election, stage=stage, title="Rapat tertutup soal anggaran", start_dt=start
    )
    public_issue = factories.make_issue(
        election,
        stage=stage,
        meeting=public_meeting,
        title="Judul internal kendala izin",
        description="Uraian internal yang tidak boleh tampil.",
        public_title="Izin lokasi kampanye terlambat",
        public_summary="Izin terbit setelah koordinasi.",
        status="resolved",
        created_dt=start + timedelta(hours=3),
        resolved_dt=start + timedelta(days=4, hours=3),
        is_public=True,
        published_dt=start + timedelta(days=6),
        organizations=[org],
        contacts=[contact],
    )
    private_issue = factories.make_issue(
        election, stage=stage, title="Kendala rahasia yang belum dipublikasikan", contacts=[contact]
    )
    db.session.commit()
    return World(election, stage, manager, contact, public_meeting, private_meeting, public_issue, private_issue)
