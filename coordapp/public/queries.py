"""What the portal reads: published meetings and issues, per election and stage, as public projections.

Every query selects rows through the visibility rule's clauses and hands templates only the
projections of ``coordapp.core.visibility``; the aggregates are in ``figures.py``.
"""

import re

from sqlalchemy import func, or_
from sqlalchemy.orm import load_only, selectinload

from coordapp.core.visibility import public_issue, public_issue_clause, public_meeting, public_meeting_clause
from coordapp.elections.models import Election, Stage
from coordapp.extensions import db
from coordapp.issues.models import Issue
from coordapp.meetings.models import Meeting
from coordapp.stakeholders.models import Organization

SLUG = re.compile(r"[A-Za-z0-9_-]{1,80}")
LIST_LIMIT = 200  # rows of one kind on a stage page; more is open data
SEARCH_LIMIT = 50
PUBLISHED_MEETING = public_meeting_clause(Meeting)
PUBLISHED_ISSUE = public_issue_clause(Issue)
# What the public projections read (coordapp.core.visibility), and nothing more: lists load a few hundred rows.
_ORGANIZATION_NAMES = load_only(Organization.id, Organization.name)
MEETING_LIST = (
    load_only(
        Meeting.id,
        Meeting.public_title,
        Meeting.public_summary,
        Meeting.kind,
        Meeting.election_id,
        Meeting.stage_id,
        Meeting.start_dt,
        Meeting.end_dt,
        Meeting.published_dt,
    ),
    selectinload(Meeting.organizations).options(_ORGANIZATION_NAMES),
)
ISSUE_LIST = (
    load_only(
        Issue.id,
        Issue.public_title,
        Issue.public_summary,
        Issue.status,
        Issue.election_id,
        Issue.stage_id,
        Issue.meeting_id,
        Issue.created_dt,
        Issue.resolved_dt,
        Issue.published_dt,
    ),
    selectinload(Issue.organizations).options(_ORGANIZATION_NAMES),
    selectinload(Issue.meeting).options(load_only(Meeting.id, Meeting.is_public, Meeting.is_archived)),
)


def elections() -> list[Election]:
    """Return every election, newest voting day first."""
    return list(
        db.session.execute(
            db.select(Election).order_by(Election.voting_date.desc().nulls_last(), Election.id.desc())
        ).scalars()
    )


def election_by_slug(slug: str) -> Election | None:
    """Return the election with this slug, its stages loaded (None for anything that cannot be a slug)."""
    if not SLUG.fullmatch(slug or ""):
        return None
    return db.session.execute(
        db.select(Election).options(selectinload(Election.stages)).filter_by(slug=slug)
    ).scalar_one_or_none()


def stage_by_code(election: Election, code: str) -> Stage | None:
    """Return the stage of election with this code."""
    return next((s for s in election.stages if s.code == code), None)


def stage_meetings(stage: Stage) -> list[dict]:
    """Return the published meetings of a stage, oldest first, as public projections."""
    rows = db.session.execute(
        db.select(Meeting)
        .options(*MEETING_LIST)
        .where(Meeting.stage_id == stage.id, PUBLISHED_MEETING)
        .order_by(Meeting.start_dt, Meeting.id)
        .limit(LIST_LIMIT)
    ).scalars()
    return [public_meeting(m) for m in rows]


def _issues(*conditions, order=None, limit: int = LIST_LIMIT) -> list[dict]:
    rows = db.session.execute(
        db.select(Issue)
        .options(*ISSUE_LIST)
        .where(PUBLISHED_ISSUE, *conditions)
        .order_by(*(order or (Issue.created_dt, Issue.id)))
        .limit(limit)
    ).scalars()
    return [public_issue(i) for i in rows]


def stage_issues(stage: Stage) -> list[dict]:
    """Return the published issues of a stage, oldest first, as public projections."""
    return _issues(Issue.stage_id == stage.id)


def meeting_issues(meeting_id: int) -> list[dict]:
    """Return the published issues raised at a meeting."""
    return _issues(Issue.meeting_id == meeting_id)


def published_meeting(meeting_id: int) -> Meeting | None:
    """Return a meeting if it is published."""
    return db.session.execute(
        db.select(Meeting).where(Meeting.id == meeting_id, PUBLISHED_MEETING)
    ).scalar_one_or_none()


def published_issue(issue_id: int) -> Issue | None:
    """Return an issue if it is published."""
    return db.session.execute(db.select(Issue).where(Issue.id == issue_id, PUBLISHED_ISSUE)).scalar_one_or_none()


def _like(words: str) -> str:
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(words: str, election: Election | None = None) -> tuple[list[dict], list[dict]]:
    """Find published meetings and issues whose public title or summary holds the words."""
    pattern = _like(words.replace("\x00", "").strip().lower())
    meeting_where = [
        PUBLISHED_MEETING,
        or_(
            func.lower(Meeting.public_title).like(pattern, escape="\\"),
            func.lower(Meeting.public_summary).like(pattern, escape="\\"),
        ),
    ]
    issue_where = [
        or_(
            func.lower(Issue.public_title).like(pattern, escape="\\"),
            func.lower(Issue.public_summary).like(pattern, escape="\\"),
        )
    ]
    if election is not None:
        meeting_where.append(Meeting.election_id == election.id)
        issue_where.append(Issue.election_id == election.id)
    meetings = db.session.execute(
        db.select(Meeting)
        .options(*MEETING_LIST)
        .where(*meeting_where)
        .order_by(Meeting.start_dt.desc(), Meeting.id.desc())
        .limit(SEARCH_LIMIT)
    ).scalars()
    issues = _issues(*issue_where, order=(Issue.created_dt.desc(), Issue.id.desc()), limit=SEARCH_LIMIT)
    return [public_meeting(m) for m in meetings], issues


def stage_names(election: Election, locale: str) -> dict[int, str]:
    """Return each stage's name in the reader's language, by id."""
    return {s.id: s.display_name(locale) for s in election.stages}


SITEMAP_LIMIT = 20000  # per kind; a sitemap holds at most 50,000 addresses


def published_ids(kind: str) -> list[int]:
    """Return the ids of published meetings or issues, newest first (for the sitemap)."""
    model, clause = (Meeting, PUBLISHED_MEETING) if kind == "meetings" else (Issue, PUBLISHED_ISSUE)
    return list(
        db.session.execute(db.select(model.id).where(clause).order_by(model.id.desc()).limit(SITEMAP_LIMIT)).scalars()
    )
