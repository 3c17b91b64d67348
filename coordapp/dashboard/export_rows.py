"""What the exports contain: translated headers and rows, read from the database in chunks.

Each row source is one query run with ``yield_per`` (a server-side cursor on PostgreSQL),
organizations folded into the row by a correlated aggregate, so a 100k-row export costs
one statement and holds one chunk of rows at a time.
"""

from collections.abc import Iterator
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import String, cast, func
from sqlalchemy.orm import aliased

from coordapp.auth.models import User
from coordapp.core.labels import label, labels_of
from coordapp.core.urls import external_url
from coordapp.dashboard.board import Board
from coordapp.dashboard.sql import as_utc
from coordapp.elections.models import Election, Stage
from coordapp.extensions import db
from coordapp.files.models import Attachment
from coordapp.issues.filters import SORTS, IssueFilter
from coordapp.issues.models import STATUSES, UNRESOLVED, Issue, issue_organizations
from coordapp.meetings.models import Meeting, MinutesRevision, meeting_organizations
from coordapp.stakeholders.models import Organization

YIELD_PER = 1000


def _stage_label(position, name, name_en, locale: str) -> str:
    if position is None:
        return ""
    return f"{position}. {name_en if locale == 'en' and name_en else name}"


def _organizations_of(link_table, key_column, owner_id):
    """Return a correlated subquery listing the organization names linked to a row."""
    return (
        db.select(func.aggregate_strings(Organization.name, ", "))
        .select_from(link_table.join(Organization, Organization.id == link_table.c.organization_id))
        .where(key_column == owner_id)
        .scalar_subquery()
    )


def _attachments_of(parent_type: str, owner_id):
    """Return a correlated subquery listing a row's attachments as "id/filename" lines."""
    line = cast(Attachment.id, String) + "/" + Attachment.filename
    return (
        db.select(func.aggregate_strings(line, "\n"))
        .where(Attachment.parent_type == parent_type, Attachment.parent_id == owner_id)
        .scalar_subquery()
    )


def attachment_links(lines: str | None) -> str:
    """Turn "id/filename" lines into the files' absolute download links, one per line, oldest first."""
    found = sorted((int(i), name) for i, _sep, name in (line.partition("/") for line in (lines or "").splitlines()))
    return "\n".join(external_url("files.download", attachment_id=i, filename=name) for i, name in found)


def order_by(issue_filter: IssueFilter) -> list:
    """Return the ORDER BY of the filter's sort (the list's order), ties broken by id in the same direction."""
    column, descending, nullable = SORTS[issue_filter.sort]
    key = column.desc() if descending else column.asc()
    if nullable:
        key = key.nulls_last()
    return [key, Issue.id.desc() if descending else Issue.id.asc()]


def issue_headers() -> list[str]:
    """Return the translated column headers of the issue export."""
    return [
        _("ID"),
        _("Title"),
        _("Stage"),
        _("Status"),
        _("Priority"),
        _("Owner"),
        _("Organizations"),
        _("Due date"),
        _("Overdue"),
        _("Raised"),
        _("First response"),
        _("Resolved"),
        _("Public"),
        _("Description"),
        _("Attachments"),
    ]


def issue_rows(issue_filter: IssueFilter, today: date, locale: str) -> Iterator[tuple]:
    """Yield the export rows of the issues an IssueFilter selects, in its order."""
    owner = aliased(User)
    stmt = issue_filter.apply(
        db.select(
            Issue.id,
            Issue.title,
            Stage.position,
            Stage.name,
            Stage.name_en,
            Issue.status,
            Issue.priority,
            owner.name,
            _organizations_of(issue_organizations, issue_organizations.c.issue_id, Issue.id),
            Issue.due_date,
            Issue.created_dt,
            Issue.first_response_dt,
            Issue.resolved_dt,
            Issue.is_public,
            Issue.description,
            _attachments_of("issue", Issue.id),
        )
        .outerjoin(Stage, Stage.id == Issue.stage_id)
        .outerjoin(owner, owner.id == Issue.owner_id),
        today,
    ).order_by(*order_by(issue_filter))
    statuses, priorities, stages = labels_of("status"), labels_of("priority"), {}
    for (
        issue_id,
        title,
        position,
        name,
        name_en,
        status,
        priority,
        owner_name,
        organizations,
        due,
        created,
        responded,
        resolved,
        is_public,
        description,
        attachments,
    ) in db.session.execute(stmt.execution_options(yield_per=YIELD_PER)):
        overdue = status in UNRESOLVED and due is not None and due < today
        if position not in stages:
            stages[position] = _stage_label(position, name, name_en, locale)
        yield (
            issue_id,
            title,
            stages[position],
            statuses.get(status, status),
            priorities.get(priority, priority),
            owner_name,
            organizations,
            due,
            overdue,
            created,
            responded,
            resolved,
            is_public,
            description,
            attachment_links(attachments),
        )


def meeting_headers() -> list[str]:
    """Return the translated column headers of the meeting export."""
    return [
        _("ID"),
        _("Title"),
        _("Kind"),
        _("Stage"),
        _("Start"),
        _("End"),
        _("Location"),
        _("Online link"),
        _("Organizations"),
        _("Public"),
        _("Minutes first written"),
        _("Issues raised"),
        _("Attachments"),
    ]


def meeting_rows(meeting_filter, election: Election, locale: str) -> Iterator[tuple]:
    """Yield the export rows of the meetings a MeetingFilter selects, oldest first."""
    first_minutes = (
        db.select(func.min(MinutesRevision.created_dt))
        .where(MinutesRevision.meeting_id == Meeting.id)
        .scalar_subquery()
    )
    raised = (
        db.select(func.count())
        .select_from(Issue)
        .where(Issue.meeting_id == Meeting.id, Issue.is_archived.is_(False))
        .scalar_subquery()
    )
    stmt = meeting_filter.apply(
        db.select(
            Meeting.id,
            Meeting.title,
            Meeting.kind,
            Stage.position,
            Stage.name,
            Stage.name_en,
            Meeting.start_dt,
            Meeting.end_dt,
            Meeting.location,
            Meeting.online_url,
            _organizations_of(meeting_organizations, meeting_organizations.c.meeting_id, Meeting.id),
            Meeting.is_public,
            first_minutes,
            raised,
            _attachments_of("meeting", Meeting.id),
        ).outerjoin(Stage, Stage.id == Meeting.stage_id),
        election,
    ).order_by(Meeting.start_dt, Meeting.id)
    kinds = labels_of("meeting_kind")
    for (
        meeting_id,
        title,
        kind,
        position,
        name,
        name_en,
        start,
        end,
        location,
        url,
        organizations,
        is_public,
        minutes_dt,
        n_issues,
        attachments,
    ) in db.session.execute(stmt.execution_options(yield_per=YIELD_PER)):
        yield (
            meeting_id,
            title,
            kinds.get(kind, kind),
            _stage_label(position, name, name_en, locale),
            start,
            end,
            location,
            url,
            organizations,
            is_public,
            as_utc(minutes_dt),
            n_issues,
            attachment_links(attachments),
        )


def stage_headers() -> list[str]:
    """Return the translated column headers of the stage summary export."""
    return [
        _("No."),
        _("Stage"),
        _("Phase"),
        _("Start"),
        _("End"),
        _("Current stage"),
        _("At risk"),
        *(label("status", s) for s in STATUSES),
        _("Total"),
        _("Overdue"),
        _("Oldest open issue (days)"),
        _("Median days to first response"),
        _("Median days to resolution"),
        _("Meetings held"),
    ]


def stage_rows(board: Board, locale: str) -> Iterator[tuple]:
    """Yield one summary row per stage of a board, then the election's totals."""
    tz = board.election.timezone
    for s in [*board.stages, board.total]:
        stage = s.stage
        head = (
            (stage.position, stage.display_name(locale), label("phase", stage.phase), stage.start_date, stage.end_date)
            if stage is not None
            else ("", _("All stages"), "", None, None)
        )
        yield (
            *head,
            s.is_current,
            s.at_risk,
            *s.by_status.values(),
            s.total,
            s.overdue,
            s.oldest_open_days(board.today, tz),
            _rounded(s.median_response_days),
            _rounded(s.median_resolution_days),
            s.meetings_held,
        )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
