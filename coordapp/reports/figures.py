"""The figures of a report, computed from the data and frozen into the version when it is approved.

Only counts and durations: no names, so the figures may appear on a public page as they are.
"""

import statistics
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, union

from coordapp.core.time import to_local, utcnow
from coordapp.extensions import db
from coordapp.issues.models import UNRESOLVED, FollowUp, Issue, issue_organizations
from coordapp.meetings.models import Meeting, meeting_organizations

# The order in which pages and the PDF list the figures.
FIGURE_KEYS = (
    "meetings_held",
    "issues_raised",
    "issues_resolved",
    "median_days_to_resolve",
    "on_time_rate",
    "stakeholders_engaged",
    "stakeholder_replies",
)


def figure_labels() -> dict:
    """Return the label of each report figure, in the current language."""
    return {
        "meetings_held": _("Meetings held"),
        "issues_raised": _("Issues raised"),
        "issues_resolved": _("Issues resolved"),
        "median_days_to_resolve": _("Median days to resolution"),
        "on_time_rate": _("Resolved by the due date"),
        "stakeholders_engaged": _("Organisations engaged"),
        "stakeholder_replies": _("Stakeholder replies"),
    }


def _scope(model, election_id: int, stage_id: int | None) -> tuple:
    clauses = [model.election_id == election_id, model.is_archived.is_(False)]
    if stage_id is not None:
        clauses.append(model.stage_id == stage_id)
    return tuple(clauses)


def compute_figures(election, stage=None, now: datetime | None = None) -> dict:
    """Return the report figures of a stage (or the whole election) as plain JSON values."""
    stage_id = stage.id if stage is not None else None
    tz = election.timezone
    now = now or utcnow()  # what was known then: a report approved later does not count later records
    meeting_scope = (*_scope(Meeting, election.id, stage_id), Meeting.start_dt <= now)
    issue_scope = (*_scope(Issue, election.id, stage_id), Issue.created_dt <= now)
    meetings = db.session.scalar(db.select(func.count()).select_from(Meeting).where(*meeting_scope))
    rows = db.session.execute(
        db.select(Issue.status, Issue.created_dt, Issue.resolved_dt, Issue.due_date).where(*issue_scope)
    ).all()
    resolved = [r for r in rows if r.status not in UNRESOLVED and (r.resolved_dt is None or r.resolved_dt <= now)]
    days = [(r.resolved_dt - r.created_dt).total_seconds() / 86400 for r in resolved if r.resolved_dt]
    with_due = [r for r in resolved if r.due_date and r.resolved_dt]
    on_time = [r for r in with_due if to_local(r.resolved_dt, tz).date() <= r.due_date]
    organisations = union(
        db.select(meeting_organizations.c.organization_id)
        .join(Meeting, Meeting.id == meeting_organizations.c.meeting_id)
        .where(*meeting_scope),
        db.select(issue_organizations.c.organization_id)
        .join(Issue, Issue.id == issue_organizations.c.issue_id)
        .where(*issue_scope),
    ).subquery()
    engaged = db.session.scalar(db.select(func.count()).select_from(organisations))
    replies = db.session.scalar(
        db.select(func.count())
        .select_from(FollowUp)
        .join(Issue, Issue.id == FollowUp.issue_id)
        .where(*issue_scope, FollowUp.kind == "stakeholder_reply", FollowUp.created_dt <= now)
    )
    return {
        "meetings_held": int(meetings or 0),
        "issues_raised": len(rows),
        "issues_resolved": len(resolved),
        "median_days_to_resolve": round(statistics.median(days), 1) if days else None,
        "on_time_rate": round(len(on_time) * 100 / len(with_due), 1) if with_due else None,
        "stakeholders_engaged": int(engaged or 0),
        "stakeholder_replies": int(replies or 0),
    }
