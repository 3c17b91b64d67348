"""The fixed data set of the scorecard and board tests; the expected values are worked out by hand.

Election of 20 stages with the 2020 dates (Asia/Jakarta, UTC+7). "Now" is 20 Oct 2020
05:00 UTC (12:00 WIB). Stage A is "daftar_pemilih" (ended 16 Oct), stage B "kampanye"
(running, ends 5 Dec). Every timestamp below is UTC; comments give the local (WIB) time
where the local date matters.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from coordapp.extensions import db
from coordapp.issues.models import FollowUp
from coordapp.meetings.models import MinutesRevision
from coordapp.reports.models import AccountabilityReport
from tests import factories

NOW = datetime(2020, 10, 20, 5, 0, tzinfo=UTC)
TODAY = date(2020, 10, 20)


def utc(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """Return a UTC timestamp in 2020."""
    return datetime(2020, month, day, hour, minute, tzinfo=UTC)


@dataclass
class World:
    election: object
    stage_a: object
    stage_b: object
    issues: dict = field(default_factory=dict)
    meetings: dict = field(default_factory=dict)
    contacts: dict = field(default_factory=dict)


def _issue(world: World, name: str, stage, **values):
    world.issues[name] = factories.make_issue(world.election, stage=stage, title=f"Kendala {name}", **values)


def _meeting(
    world: World, name: str, stage, start: datetime, end: datetime | None, minutes: list[datetime] = (), **values
):
    meeting = factories.make_meeting(world.election, stage=stage, start_dt=start, **values)
    meeting.end_dt = end
    for written in minutes:
        db.session.add(MinutesRevision(meeting=meeting, body="Notulen.", created_dt=written))
    world.meetings[name] = meeting


def _follow_up(issue, kind: str, contact, created: datetime, user=None) -> None:
    db.session.add(
        FollowUp(issue=issue, kind=kind, author_contact=contact, author_user=user, body="", created_dt=created)
    )


def build_world() -> World:
    """Create the fixed data set and commit it."""
    election = factories.make_election()
    stages = {s.code: s for s in election.stages}
    world = World(election, stages["daftar_pemilih"], stages["kampanye"])
    a, b = world.stage_a, world.stage_b
    # Stage A: ended 16 Oct (its end is 16 Oct 17:00 UTC = 17 Oct 00:00 WIB).
    _issue(
        world,
        "A1",
        a,
        status="resolved",
        priority="normal",
        created_dt=utc(10, 1, 1),
        first_response_dt=utc(10, 2, 1),
        resolved_dt=utc(10, 5, 1),
        due_date=date(2020, 10, 10),
        is_public=True,
    )  # 1.0 d, 4.0 d
    _issue(
        world,
        "A2",
        a,
        status="closed",
        priority="normal",
        created_dt=utc(10, 1, 1),
        first_response_dt=utc(10, 5, 1),
        resolved_dt=utc(10, 17, 1),
        due_date=date(2020, 10, 15),
    )  # 4.0 d, 16.0 d
    _issue(
        world,
        "A3",
        a,
        status="in_progress",
        priority="high",
        created_dt=utc(10, 10, 1),
        first_response_dt=utc(10, 12, 1),
        due_date=date(2020, 10, 12),
    )  # 2.0 d; overdue
    _issue(world, "A4", a, status="open", priority="low", created_dt=utc(10, 14, 1), due_date=None, is_public=True)
    _issue(
        world,
        "A6",
        a,
        status="resolved",
        priority="normal",
        created_dt=utc(10, 15, 18),
        first_response_dt=utc(10, 15, 19),
        resolved_dt=utc(10, 16, 17, 30),
        due_date=date(2020, 10, 16),
    )  # raised 16 Oct 01:00 WIB; 1 h; 23.5 h, 17 Oct 00:30 WIB
    _issue(
        world,
        "A7",
        a,
        status="resolved",
        priority="critical",
        created_dt=utc(10, 2),
        first_response_dt=utc(10, 2, 1),
        resolved_dt=utc(10, 3),
        due_date=date(2020, 10, 3),
        is_public=True,
        is_archived=True,
    )  # archived: never counted
    # Stage B: running.
    _issue(world, "B1", b, status="open", priority="critical", created_dt=utc(10, 18, 3), due_date=date(2020, 10, 25))
    _issue(
        world,
        "B2",
        b,
        status="waiting",
        priority="high",
        created_dt=utc(10, 4, 17, 30),
        first_response_dt=utc(10, 6, 5, 30),
        due_date=date(2020, 10, 19),
        is_public=True,
    )  # raised 5 Oct 00:30 WIB; 1.5 d; overdue
    _issue(
        world,
        "B3",
        b,
        status="resolved",
        priority="normal",
        created_dt=utc(10, 6, 3),
        first_response_dt=utc(10, 7, 3),
        resolved_dt=utc(10, 9, 3),
        due_date=None,
    )  # 1.0 d, 3.0 d
    # No stage.
    _issue(
        world,
        "N1",
        None,
        status="open",
        priority="normal",
        created_dt=utc(10, 2, 1),
        first_response_dt=utc(10, 3, 13),
        due_date=None,
    )  # 1.5 d

    _meeting(
        world, "M1", a, utc(10, 1, 2), utc(10, 1, 4), [utc(10, 2, 4), utc(10, 9)], is_public=True
    )  # minutes after 24 h
    _meeting(world, "M2", a, utc(10, 5, 2), utc(10, 5, 4), [utc(10, 8, 4)])  # after 72 h
    _meeting(world, "M3", a, utc(10, 10, 2), utc(10, 10, 4))  # none
    _meeting(world, "M7", a, utc(10, 11, 2), utc(10, 11, 4), is_public=True, is_archived=True)  # archived
    _meeting(world, "M4", b, utc(10, 19, 2), utc(10, 19, 4), is_public=True)  # ended 25 h before now
    _meeting(world, "M6", b, utc(10, 20, 8), utc(10, 20, 10))  # 15:00 WIB today: held today
    _meeting(world, "M5", b, utc(10, 25, 2), utc(10, 25, 4))  # next week: not held

    org = factories.make_organization()
    c1, c2, c3 = (factories.make_contact(org) for _ in range(3))
    world.contacts = {"C1": c1, "C2": c2, "C3": c3}
    i = world.issues
    _follow_up(i["A1"], "reminder", c1, utc(10, 3))
    _follow_up(i["A1"], "stakeholder_reply", c1, utc(10, 4))
    _follow_up(i["A3"], "reminder", c2, utc(10, 11))
    _follow_up(i["B2"], "reminder", c3, utc(10, 7))
    _follow_up(i["A2"], "stakeholder_reply", c3, utc(10, 12))  # C3 replies in A, was reminded in B only
    _follow_up(i["A7"], "reminder", c2, utc(10, 2, 5))  # archived issue: ignored
    _follow_up(i["A7"], "stakeholder_reply", c2, utc(10, 2, 6))
    _follow_up(i["A3"], "reminder", None, utc(10, 11), user=factories.make_user("staff"))  # a staff digest: no contact

    e = world.election
    db.session.add_all(
        [
            AccountabilityReport(
                election=e, stage=a, title="Laporan daftar pemilih", published_dt=utc(10, 19, 3)
            ),  # 19 Oct WIB
            AccountabilityReport(
                election=e, stage=a, title="Laporan daftar pemilih (revisi)", published_dt=utc(10, 20, 1)
            ),
            AccountabilityReport(election=e, stage=b, title="Draf laporan kampanye"),  # not published
            AccountabilityReport(election=e, stage=None, title="Laporan tengah pemilihan", published_dt=utc(10, 20, 1)),
        ]
    )
    db.session.commit()
    return world
