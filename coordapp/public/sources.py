"""The portal's own publications: published meetings and issues, as feed entries and open-data rows.

Registered in ``coordapp.public.init_app`` (see ``registry``). Every row is built from the
public projection of ``coordapp.core.visibility``, never from the record itself.
"""

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from coordapp.core.urls import external_url
from coordapp.core.visibility import public_issue, public_meeting
from coordapp.elections.models import Election, Stage
from coordapp.extensions import db
from coordapp.issues.models import Issue
from coordapp.meetings.models import Meeting
from coordapp.public.queries import PUBLISHED_ISSUE, PUBLISHED_MEETING
from coordapp.public.registry import SOURCE_LIMIT, Dataset, PublicationEntry

CHUNK = 1000


def _newest(model, clause, election_id: int, stage_id: int | None, limit: int, *options):
    where = [clause, model.election_id == election_id, model.published_dt.is_not(None)]
    if stage_id is not None:
        where.append(model.stage_id == stage_id)
    return db.session.execute(
        db.select(model)
        .options(*options)
        .where(*where)
        .order_by(model.published_dt.desc(), model.id.desc())
        .limit(min(limit, SOURCE_LIMIT))
    ).scalars()


def meeting_entries(election_id: int, stage_id: int | None = None, limit: int = SOURCE_LIMIT):
    """Yield the newest published meetings of an election (or stage) as publication entries."""
    for meeting in _newest(
        Meeting, PUBLISHED_MEETING, election_id, stage_id, limit, selectinload(Meeting.organizations)
    ):
        row = public_meeting(meeting)
        yield PublicationEntry(
            id=f"meeting-{row['id']}",
            title=row["title"],
            url=url_for("public.meeting", meeting_id=row["id"]),
            updated_dt=row["published_dt"],
            summary=row["summary"],
            kind="meeting",
            stage_id=row["stage_id"],
        )


def issue_entries(election_id: int, stage_id: int | None = None, limit: int = SOURCE_LIMIT):
    """Yield the newest published issues of an election (or stage) as publication entries."""
    options = (selectinload(Issue.organizations), selectinload(Issue.meeting))
    for issue in _newest(Issue, PUBLISHED_ISSUE, election_id, stage_id, limit, *options):
        row = public_issue(issue)
        yield PublicationEntry(
            id=f"issue-{row['id']}",
            title=row["title"],
            url=url_for("public.issue", issue_id=row["id"]),
            updated_dt=row["published_dt"],
            summary=f"{row['status_label']}. {row['summary']}".strip(),
            kind="issue",
            stage_id=row["stage_id"],
        )


def _stage_codes() -> dict[int, tuple[str, str]]:
    rows = db.session.execute(db.select(Stage.id, Election.slug, Stage.code).join(Election))
    return {stage_id: (slug, code) for stage_id, slug, code in rows}


def _chunks(model, clause, election_id: int | None, *options):
    """Yield published rows in id order, a chunk at a time (a download holds one chunk in memory)."""
    last = 0
    while True:
        where = [clause, model.id > last]
        if election_id is not None:
            where.append(model.election_id == election_id)
        rows = list(
            db.session.execute(
                db.select(model).options(*options).where(*where).order_by(model.id).limit(CHUNK)
            ).scalars()
        )
        yield from rows
        if len(rows) < CHUNK:
            return
        last = rows[-1].id
        db.session.expunge_all()


def _iso(value) -> str:
    return value.isoformat() if value else ""


def meeting_rows(election_id: int | None):
    """Yield the open-data rows of published meetings."""
    stages = _stage_codes()
    for meeting in _chunks(Meeting, PUBLISHED_MEETING, election_id, selectinload(Meeting.organizations)):
        row = public_meeting(meeting)
        slug, code = stages.get(row["stage_id"], ("", ""))
        yield {
            "id": row["id"],
            "election": slug,
            "stage": code,
            "title": row["title"],
            "summary": row["summary"],
            "kind": row["kind"],
            "start": _iso(row["start_dt"]),
            "end": _iso(row["end_dt"]),
            "organizations": "; ".join(row["organizations"]),
            "published": _iso(row["published_dt"]),
            "url": external_url("public.meeting", meeting_id=row["id"]),
        }


def issue_rows(election_id: int | None):
    """Yield the open-data rows of published issues."""
    stages = _stage_codes()
    options = (selectinload(Issue.organizations), selectinload(Issue.meeting))
    for issue in _chunks(Issue, PUBLISHED_ISSUE, election_id, *options):
        row = public_issue(issue)
        slug, code = stages.get(row["stage_id"], ("", ""))
        yield {
            "id": row["id"],
            "election": slug,
            "stage": code,
            "title": row["title"],
            "summary": row["summary"],
            "status": row["status"],
            "raised": _iso(row["raised_dt"]),
            "resolved": _iso(row["resolved_dt"]),
            "days_to_resolve": row["days"] if row["days"] is not None else "",
            "meeting_id": row["meeting_id"] or "",
            "organizations": "; ".join(row["organizations"]),
            "published": _iso(row["published_dt"]),
            "url": external_url("public.issue", issue_id=row["id"]),
        }


_COMMON = (
    ("id", _l("Stable number of the record; its page is at the url column.")),
    ("election", _l("The election's short name (slug), as in the portal's addresses.")),
    ("stage", _l("The stage's code (see the election's timeline).")),
    ("title", _l("The public title.")),
    ("summary", _l("The public summary written for publication.")),
)
_END = (
    ("organizations", _l("Organisations involved, separated by semicolons (never people).")),
    ("published", _l("When it was published (ISO 8601, UTC).")),
    ("url", _l("Its page on the portal.")),
)

MEETINGS = Dataset(
    "meetings",
    _l("Meetings"),
    _l("Coordination meetings with stakeholders that the commission published."),
    _COMMON
    + (
        ("kind", _l("Kind of meeting: rakor, audiensi, fgd, kunjungan or lainnya.")),
        ("start", _l("Start (ISO 8601, UTC).")),
        ("end", _l("End (ISO 8601, UTC).")),
    )
    + _END,
    meeting_rows,
)

ISSUES = Dataset(
    "issues",
    _l("Issues"),
    _l("Issues (kendala) raised with stakeholders that the commission published, with their status."),
    _COMMON
    + (
        ("status", _l("open, in_progress, waiting, resolved or closed.")),
        ("raised", _l("When the issue was raised (ISO 8601, UTC).")),
        ("resolved", _l("When it was resolved (ISO 8601, UTC), empty while unresolved.")),
        ("days_to_resolve", _l("Whole days from raised to resolved.")),
        ("meeting_id", _l("The published meeting where it was raised, if any.")),
    )
    + _END,
    issue_rows,
)
