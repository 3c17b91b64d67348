"""The world the browser journey starts from: an election running today, staff, stakeholders, older issues."""

from dataclasses import dataclass
from datetime import date, timedelta

from coordapp.core.time import local_today
from coordapp.extensions import db
from tests import factories

# "Today" plays 1 October 2020 of the Tangerang Selatan calendar: the campaign is on, the DPT not yet set.
PLAYED_DAY = date(2020, 10, 1)


@dataclass
class World:
    """What exists before the staff member logs in (plain values: the server thread owns the rows)."""

    today: date
    election_id: int
    stage_id: int  # the stage running today
    stage_label: str
    staff_email: str
    org_ids: list  # the meeting's organizations: Bawaslu, Disdukcapil, the three candidate teams
    org_names: list
    positions: dict  # contact name -> position, for the five people at the meeting
    overdue_title: str
    later_title: str

    def in_meeting_form(self, *names: str) -> list[str]:
        """Return how the meeting form lists these contacts (all five when none are named)."""
        return [f"{n} – {self.positions[n]}" for n in names or self.positions]

    def in_issue_form(self, *names: str) -> list[str]:
        """Return how the issue form lists these contacts."""
        return [f"{n} ({self.positions[n]})" for n in names]


def _running_election(today: date):
    """The Pilkada stages, moved so that today falls where PLAYED_DAY did."""
    election = factories.make_election(name="Pilkada Kota Tangerang Selatan", region="Kota Tangerang Selatan")
    shift = today - PLAYED_DAY
    for stage in election.stages:
        stage.start_date, stage.end_date = stage.start_date + shift, stage.end_date + shift
    election.voting_date += shift
    return election


def make_world() -> World:
    """Create the election, two staff members, the stakeholders and two older issues; commit."""
    today = local_today()
    election = _running_election(today)
    stage = election.stage_on(today)
    logistics = next(s for s in election.stages if s.code == "logistik")
    sari = factories.make_user("staff", name="Sari Wulandari", email="sari@kpu-tangsel.example.org")
    factories.make_user("staff", name="Agus Pratama", email="agus@kpu-tangsel.example.org")
    orgs = [
        factories.make_organization(
            name="Bawaslu Kota Tangerang Selatan", short_name="Bawaslu", category="supervisory"
        ),
        factories.make_organization(name="Disdukcapil Kota Tangerang Selatan", short_name="Disdukcapil"),
        *[
            factories.make_organization(
                name=f"Tim Pemenangan Paslon {n}", short_name=f"Paslon {n}", category="candidate_team"
            )
            for n in (1, 2, 3)
        ],
    ]
    people = [
        ("Ahmad Fauzi", "Koordinator Divisi Pengawasan"),
        ("Rina Kusuma", "Kepala Bidang Pendaftaran Penduduk"),
        ("Budi Santoso", "LO Paslon 1"),
        ("Siti Rahmawati", "LO Paslon 2"),
        ("Hendra Gunawan", "LO Paslon 3"),
    ]
    for org, (name, position) in zip(orgs, people, strict=True):
        factories.make_contact(org, name=name, position=position, email=f"{name.split()[0].lower()}@example.org")
    police = factories.make_organization(name="Polres Tangerang Selatan", short_name="Polres", category="security")
    factories.make_contact(police, name="Dedi Kurniawan", position="Kasat Intelkam")
    overdue = factories.make_issue(
        election,
        title="Gudang logistik Serpong belum memenuhi standar keamanan",
        owner=sari,
        created_by=sari,
        stage=logistics,
        priority="high",
        due_date=today - timedelta(days=3),
    )
    later = factories.make_issue(
        election,
        title="Jadwal debat publik paslon belum disepakati",
        owner=sari,
        created_by=sari,
        stage=stage,
        due_date=today + timedelta(days=20),
    )
    world = World(
        today,
        election.id,
        stage.id,
        f"{stage.position}. {stage.name}",
        sari.email,
        [o.id for o in orgs],
        [o.name for o in orgs],
        dict(people),
        overdue.title,
        later.title,
    )
    db.session.commit()
    db.session.close()  # hold no snapshot open while the server writes
    return world
