"""Reading meetings: the filtered list, the week view, one meeting with everything it shows."""

import difflib
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby

from sqlalchemy import Select, func
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.datastructures import MultiDict

from coordapp.auth.models import User
from coordapp.core import lookups
from coordapp.core.time import local_to_utc, to_local
from coordapp.core.validation import parse_date, parse_id
from coordapp.elections.models import Election
from coordapp.extensions import db
from coordapp.issues.models import Issue
from coordapp.meetings.models import KINDS, Meeting, MeetingAttendee, MinutesRevision
from coordapp.stakeholders.models import Contact, Organization

VIEWS = ("list", "week")


@dataclass
class MeetingFilter:
    """What the meeting list shows; empty fields mean "all live meetings of the election"."""

    election: int | None = None
    stage: int | None = None
    organization: int | None = None
    kind: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    archived: bool = False  # True: the archive instead of the live meetings
    view: str = "list"

    @classmethod
    def from_args(cls, args: MultiDict) -> "MeetingFilter":
        """Read a filter from query args, ignoring values that mean nothing."""
        kind = args.get("kind")
        view = args.get("view")
        return cls(
            election=parse_id(args.get("election")),
            stage=parse_id(args.get("stage")),
            organization=parse_id(args.get("organization")),
            kind=kind if kind in KINDS else None,
            date_from=parse_date(args.get("date_from")),
            date_to=parse_date(args.get("date_to")),
            archived=str(args.get("archived", "")).lower() in ("1", "true", "on", "yes"),
            view=view if view in VIEWS else "list",
        )

    def to_args(self, **changes) -> dict:
        """Return the query args that give this filter back (for url_for)."""
        values = {**asdict(self), **changes}
        args = {
            k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items() if v not in (None, False, "")
        }
        if args.get("archived"):
            args["archived"] = "1"
        if args.get("view") == "list":
            del args["view"]
        return args

    @property
    def is_narrowed(self) -> bool:
        """Tell whether any filter beyond the election and the view is set."""
        return any((self.stage, self.organization, self.kind, self.date_from, self.date_to, self.archived))

    def apply(self, query: Select, election: Election) -> Select:
        """Add the WHERE clauses of this filter to a select of meetings."""
        query = query.where(Meeting.election_id == election.id, Meeting.is_archived.is_(self.archived))
        if self.stage:
            query = query.where(Meeting.stage_id == self.stage)
        if self.organization:
            query = query.where(Meeting.organizations.any(Organization.id == self.organization))
        if self.kind:
            query = query.where(Meeting.kind == self.kind)
        if self.date_from:
            query = query.where(
                Meeting.start_dt >= local_to_utc(datetime.combine(self.date_from, time.min), election.timezone)
            )
        if self.date_to:
            end = datetime.combine(self.date_to + timedelta(days=1), time.min)
            query = query.where(Meeting.start_dt < local_to_utc(end, election.timezone))
        return query


def list_page(meeting_filter: MeetingFilter, election: Election, page: int, per_page: int):
    """Return one page of the filtered meetings, newest first, with what each row shows loaded."""
    query = (
        meeting_filter.apply(db.select(Meeting), election)
        .options(
            joinedload(Meeting.stage),
            selectinload(Meeting.organizations),
        )
        .order_by(Meeting.start_dt.desc(), Meeting.id.desc())
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def row_counts(meeting_ids: list[int]) -> dict[int, dict[str, int]]:
    """Count attendees, minutes revisions and live issues of each meeting, in three queries."""
    counts = {i: {"attendees": 0, "revisions": 0, "issues": 0} for i in meeting_ids}
    if not meeting_ids:
        return counts
    sources = {
        "attendees": db.select(MeetingAttendee.meeting_id, func.count())
        .where(MeetingAttendee.meeting_id.in_(meeting_ids))
        .group_by(MeetingAttendee.meeting_id),
        "revisions": db.select(MinutesRevision.meeting_id, func.count())
        .where(MinutesRevision.meeting_id.in_(meeting_ids))
        .group_by(MinutesRevision.meeting_id),
        "issues": db.select(Issue.meeting_id, func.count())
        .where(Issue.meeting_id.in_(meeting_ids), Issue.is_archived.is_(False))
        .group_by(Issue.meeting_id),
    }
    for key, query in sources.items():
        for meeting_id, n in db.session.execute(query):
            counts[meeting_id][key] = n
    return counts


def by_week(meetings: list[Meeting], tz: str) -> list[tuple[date, date, list[Meeting]]]:
    """Group meetings (already in date order) by the ISO week of their local date: (Monday, Sunday, rows)."""

    def monday(meeting: Meeting) -> date:
        day = to_local(meeting.start_dt, tz).date()
        return day - timedelta(days=day.weekday())

    def sunday(week: date) -> date:
        return week + timedelta(days=6) if week <= date.max - timedelta(days=6) else date.max  # the year 9999

    return [(week, sunday(week), list(rows)) for week, rows in groupby(meetings, key=monday)]


def load_meeting(meeting_id: int) -> Meeting | None:
    """Load a meeting with everything its page shows, in a fixed number of queries."""
    return (
        db.session.execute(
            db.select(Meeting)
            .where(Meeting.id == meeting_id)
            .options(
                joinedload(Meeting.election),
                joinedload(Meeting.stage),
                joinedload(Meeting.created_by),
                selectinload(Meeting.organizations),
                selectinload(Meeting.attendees).joinedload(MeetingAttendee.contact).joinedload(Contact.organization),
                selectinload(Meeting.attendees).joinedload(MeetingAttendee.user),
                selectinload(Meeting.minutes_revisions).joinedload(MinutesRevision.author),
            )
        )
        .unique()
        .scalar_one_or_none()
    )


def raised_issues(meeting: Meeting) -> list[Issue]:
    """Return the live issues raised at a meeting, oldest first, with their owners."""
    return list(
        db.session.execute(
            db.select(Issue)
            .where(Issue.meeting_id == meeting.id, Issue.is_archived.is_(False))
            .options(joinedload(Issue.owner))
            .order_by(Issue.id)
        ).scalars()
    )


def sorted_attendees(meeting: Meeting) -> tuple[list[MeetingAttendee], list[MeetingAttendee]]:
    """Split a meeting's attendees into stakeholder contacts (by organization) and staff, by name."""
    contacts = sorted(
        (a for a in meeting.attendees if a.contact is not None),
        key=lambda a: (a.contact.organization.name, a.contact.name),
    )
    staff = sorted((a for a in meeting.attendees if a.user is not None), key=lambda a: a.user.name)
    return contacts, staff


def elections_with_stages() -> list[Election]:
    """Return every election with its stages, active ones first."""
    return list(
        db.session.execute(
            db.select(Election)
            .options(selectinload(Election.stages))
            .order_by(Election.is_active.desc(), Election.voting_date.desc().nulls_last(), Election.id.desc())
        ).scalars()
    )


def people_to_invite(keep_contacts: set[int], keep_users: set[int]) -> tuple[list[Contact], list[User]]:
    """Return active contacts (by organization and name) and active users, plus those already invited."""
    contacts = (
        db.session.execute(
            db.select(Contact)
            .join(Contact.organization)
            .where(Contact.is_active.is_(True) | Contact.id.in_(sorted(keep_contacts)))
            .options(joinedload(Contact.organization))
            .order_by(Organization.name, Contact.name)
        )
        .scalars()
        .all()
    )
    users = (
        db.session.execute(
            db.select(User).where(User.is_active.is_(True) | User.id.in_(sorted(keep_users))).order_by(User.name)
        )
        .scalars()
        .all()
    )
    return list(contacts), list(users)


def organizations_to_choose(keep: set[int]) -> list[Organization]:
    """Return active organizations by name, plus those already chosen."""
    return list(
        db.session.execute(
            db.select(Organization)
            .where(Organization.is_active.is_(True) | Organization.id.in_(sorted(keep)))
            .order_by(Organization.name)
        ).scalars()
    )


def by_organization(contacts: list[Contact]) -> list[tuple[Organization, list[Contact]]]:
    """Group contacts (already ordered by organization) under their organization."""
    return [(org, list(rows)) for org, rows in groupby(contacts, key=lambda c: c.organization)]


def text_changes(old: str, new: str) -> list[tuple[str, str]]:
    """Return the changed lines between two texts as ("+"|"-", line) pairs, in order."""
    return [(line[0], line[2:]) for line in difflib.ndiff(old.splitlines(), new.splitlines()) if line[:1] in ("+", "-")]


def meetings_of_organization(org: Organization, limit: int = 20) -> list[Meeting]:
    """Return the organization's newest meetings, stage and election loaded."""
    return (
        db.session.execute(
            db.select(Meeting)
            .where(Meeting.organizations.any(Organization.id == org.id), Meeting.is_archived.is_(False))
            .options(joinedload(Meeting.stage), joinedload(Meeting.election))
            .order_by(Meeting.start_dt.desc())
            .limit(limit)
        )
        .scalars()
        .all()
    )


def meeting_counts_by_stage(election: Election) -> dict[int, int]:
    """Count the meetings (not archived) of each stage of an election, in one query."""
    rows = db.session.execute(
        db.select(Meeting.stage_id, func.count())
        .where(Meeting.election_id == election.id, Meeting.is_archived.is_(False))
        .group_by(Meeting.stage_id)
    )
    return dict(rows.all())


def answer_lookups() -> None:
    """Answer the questions of the stakeholder register and the elections home (coordapp.core.lookups)."""
    lookups.answer(lookups.MEETINGS_OF_ORGANIZATION, meetings_of_organization)
    lookups.answer(lookups.MEETING_COUNTS_BY_STAGE, meeting_counts_by_stage)
