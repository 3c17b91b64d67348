"""What the portal reads: published meetings and issues, per election and stage, as public projections.

Every query selects rows through the visibility rule's clauses and hands templates only the
projections of ``coordapp.core.visibility``; aggregates are counted in the database, so a page
costs the same few queries whatever the number of rows.
"""

import re
from dataclasses import dataclass, field
from statistics import median

from sqlalchemy import case, func, or_
from sqlalchemy.orm import selectinload

from coordapp.core.visibility import public_issue, public_issue_clause, public_meeting, public_meeting_clause
from coordapp.elections.models import Election, Stage
from coordapp.extensions import db
from coordapp.issues.models import UNRESOLVED, Issue, issue_organizations
from coordapp.meetings.models import Meeting, meeting_organizations

SLUG = re.compile(r"[A-Za-z0-9_-]{1,80}")
LIST_LIMIT = 200  # rows of one kind on a stage page; more is open data
SEARCH_LIMIT = 50
PUBLISHED_MEETING = public_meeting_clause(Meeting)
PUBLISHED_ISSUE = public_issue_clause(Issue)


@dataclass
class StageFigures:
    """What the public sees counted for one stage (or a whole election)."""

    meetings: int = 0
    issues: int = 0
    resolved: int = 0
    organizations: int = 0
    median_days: float | None = None
    days: list[int] = field(default_factory=list, repr=False)


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


def figures(election: Election, stage: Stage | None = None) -> tuple[dict[int | None, StageFigures], StageFigures]:
    """Count the published meetings and issues per stage and in all (or of one stage), with median days to resolve."""
    per_stage: dict[int | None, StageFigures] = {s.id: StageFigures() for s in election.stages}
    total = StageFigures()
    in_meetings = [Meeting.election_id == election.id, PUBLISHED_MEETING]
    in_issues = [Issue.election_id == election.id, PUBLISHED_ISSUE]
    if stage is not None:
        in_meetings.append(Meeting.stage_id == stage.id)
        in_issues.append(Issue.stage_id == stage.id)
    for stage_id, n in db.session.execute(
        db.select(Meeting.stage_id, func.count()).where(*in_meetings).group_by(Meeting.stage_id)
    ):
        per_stage.setdefault(stage_id, StageFigures()).meetings = n
        total.meetings += n
    resolved = Issue.status.notin_(UNRESOLVED)
    for stage_id, n, done in db.session.execute(
        db.select(Issue.stage_id, func.count(), func.sum(case((resolved, 1), else_=0)))
        .where(*in_issues)
        .group_by(Issue.stage_id)
    ):
        row = per_stage.setdefault(stage_id, StageFigures())
        row.issues, row.resolved = n, int(done or 0)
        total.issues += n
        total.resolved += row.resolved
    for stage_id, raised, finished in db.session.execute(
        db.select(Issue.stage_id, Issue.created_dt, Issue.resolved_dt).where(
            *in_issues, resolved, Issue.resolved_dt.is_not(None)
        )
    ):
        days = max((finished - raised).days, 0)
        per_stage.setdefault(stage_id, StageFigures()).days.append(days)
        total.days.append(days)
    for row in [*per_stage.values(), total]:
        row.median_days = median(row.days) if row.days else None
    total.organizations = _organizations_engaged(election) if stage is None else 0
    return per_stage, total


def _organizations_engaged(election: Election) -> int:
    """Count the organisations of published meetings and issues."""
    in_meetings = (
        db.select(meeting_organizations.c.organization_id)
        .join(Meeting, Meeting.id == meeting_organizations.c.meeting_id)
        .where(Meeting.election_id == election.id, PUBLISHED_MEETING)
    )
    in_issues = (
        db.select(issue_organizations.c.organization_id)
        .join(Issue, Issue.id == issue_organizations.c.issue_id)
        .where(Issue.election_id == election.id, PUBLISHED_ISSUE)
    )
    union = in_meetings.union(in_issues).subquery()
    return db.session.scalar(db.select(func.count()).select_from(union)) or 0


def stage_meetings(stage: Stage) -> list[dict]:
    """Return the published meetings of a stage, oldest first, as public projections."""
    rows = db.session.execute(
        db.select(Meeting)
        .options(selectinload(Meeting.organizations))
        .where(Meeting.stage_id == stage.id, PUBLISHED_MEETING)
        .order_by(Meeting.start_dt, Meeting.id)
        .limit(LIST_LIMIT)
    ).scalars()
    return [public_meeting(m) for m in rows]


def _issues(*conditions, order=None, limit: int = LIST_LIMIT) -> list[dict]:
    rows = db.session.execute(
        db.select(Issue)
        .options(selectinload(Issue.organizations), selectinload(Issue.meeting))
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
        .options(selectinload(Meeting.organizations))
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
