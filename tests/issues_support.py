"""Shared setup for the issues tests: a small, realistic world of people, stakeholders and an issue."""

from dataclasses import dataclass
from datetime import date, timedelta

from coordapp.core.time import local_today
from coordapp.extensions import db
from coordapp.issues import services
from tests import factories


@dataclass
class World:
    election: object
    owner: object  # staff member who raised and owns the issue
    other: object  # another staff member
    manager: object
    admin: object
    bawaslu: object
    dukcapil: object
    contact: object
    meeting: object
    issue: object
    action: object

    def user(self, role: str):
        """Return the user playing role ("staff_owner", "staff_other", "manager", "admin")."""
        return {"staff_owner": self.owner, "staff_other": self.other, "manager": self.manager, "admin": self.admin}[
            role
        ]


def make_world() -> World:
    """Create an election, people, two organizations, a meeting and an issue with one open action."""
    election = factories.make_election()
    owner = factories.make_user("staff", name="Sari Wulandari")
    other = factories.make_user("staff", name="Agus Pratama")
    manager = factories.make_user("manager", name="Dewi Lestari")
    admin = factories.make_user("admin", name="Admin KPU")
    bawaslu = factories.make_organization(
        name="Bawaslu Kota Tangerang Selatan", short_name="Bawaslu", category="supervisory"
    )
    dukcapil = factories.make_organization(name="Disdukcapil Kota Tangerang Selatan", short_name="Disdukcapil")
    contact = factories.make_contact(dukcapil, name="Rina Kusuma", position="Kepala Bidang")
    meeting = factories.make_meeting(election, stage=election.stages[6], organizations=[bawaslu, dukcapil])
    issue = factories.make_issue(
        election,
        title="1.200 warga belum punya e-KTP sebelum DPT ditetapkan",
        owner=owner,
        created_by=owner,
        stage=election.stages[6],
        due_date=local_today() + timedelta(days=7),
        organizations=[dukcapil],
        contacts=[contact],
    )
    action = services.add_follow_up(
        issue,
        kind="action",
        body="Jemput bola perekaman e-KTP",
        author_user=owner,
        action_due_date=local_today() + timedelta(days=3),
    )
    db.session.commit()
    return World(election, owner, other, manager, admin, bawaslu, dukcapil, contact, meeting, issue, action)


def issue_form_data(world: World, user, **overrides) -> dict:
    """Valid input of the issue form for user (staff may only name themselves as owner)."""
    data = {
        "election_id": str(world.election.id),
        "stage_id": str(world.election.stages[6].id),
        "meeting_id": str(world.meeting.id),
        "title": "Izin tempat kampanye di Pamulang",
        "description": "Panitia belum menerima izin **tertulis**.",
        "priority": "high",
        "owner_id": str(user.id),
        "due_date": (local_today() + timedelta(days=5)).isoformat(),
        "organization_ids": [str(world.bawaslu.id)],
        "contact_ids": [str(world.contact.id)],
    }
    data.update(overrides)
    return data


def far_past() -> date:
    """A due date more than the allowed 30 days in the past."""
    return local_today() - timedelta(days=services.DUE_DATE_GRACE_DAYS + 5)
