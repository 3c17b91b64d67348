"""What the home page shows each role above the stage table, the header's unread count, an issue's watchers.

Staff: their own unresolved issues by due date (overdue first), and their newest unread notifications.
Managers and admins: the current stage of the election, the stages at risk (with overdue open issues),
and what changed in the last 24 hours (issues raised and resolved, stakeholder replies received).
"""

from datetime import date, timedelta

from flask import g
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from coordapp.auth.access import has_role
from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.issues.models import UNRESOLVED, FollowUp, Issue
from coordapp.notifications import services, texts

MY_ISSUES = 10
RECENT = 5


def unread_in_header() -> int:
    """Return the signed-in user's unread count for the header (one query per request)."""
    if not current_user.is_authenticated:
        return 0
    if "inbox_unread" not in g:
        g.inbox_unread = services.unread_count(current_user)
    return g.inbox_unread


def page_version() -> tuple:
    """Return what a revalidated page shows of its reader: the unread count (kept for the header: no second query)."""
    return (unread_in_header(),)


def watch_state(issue) -> dict:
    """Return whether the signed-in user watches an issue, and who watches it (the issue page)."""
    people = services.watchers(issue)
    return {"watching": any(u.id == current_user.id for u in people), "watchers": people}


def _open_issues(election):
    return select(Issue).where(
        Issue.election_id == election.id, Issue.status.in_(UNRESOLVED), Issue.is_archived.is_(False)
    )


def staff_panel(user, election, today: date) -> dict:
    """Return my unresolved issues with a due date, soonest first, and my newest unread notifications."""
    mine = db.session.execute(
        _open_issues(election)
        .where(Issue.owner_id == user.id, Issue.due_date.is_not(None))
        .order_by(Issue.due_date, Issue.id)
        .limit(MY_ISSUES)
        .options(joinedload(Issue.stage))
    ).scalars()
    latest = services.latest_unread(user, RECENT) if unread_in_header() else []  # the header's count, reused
    unread = [n for n in latest if services.may_read(user, n)]
    return {
        "template": "notifications/_home_staff.html",
        "my_issues": list(mine),
        "unread": [{"n": n, "text": texts.text(n)} for n in unread],
        "today": today,
    }


def manager_panel(election, today: date) -> dict:
    """Return the current stage with its counts, the stages at risk, and the last 24 hours' changes."""
    current = election.current_stage(today)
    overdue = dict(
        db.session.execute(
            select(Issue.stage_id, func.count(Issue.id))
            .where(Issue.election_id == election.id, Issue.status.in_(UNRESOLVED), Issue.is_archived.is_(False))
            .where(Issue.due_date < today)
            .group_by(Issue.stage_id)
        ).all()
    )
    open_current = 0
    if current is not None:
        open_current = db.session.execute(
            select(func.count(Issue.id)).where(
                Issue.stage_id == current.id, Issue.status.in_(UNRESOLVED), Issue.is_archived.is_(False)
            )
        ).scalar_one()
    since = utcnow() - timedelta(days=1)
    in_election = Issue.election_id == election.id
    raised = list(
        db.session.execute(
            select(Issue).where(in_election, Issue.created_dt >= since).order_by(Issue.created_dt.desc())
        ).scalars()
    )
    resolved = list(
        db.session.execute(
            select(Issue).where(in_election, Issue.resolved_dt >= since).order_by(Issue.resolved_dt.desc())
        ).scalars()
    )
    replies = list(
        db.session.execute(
            select(FollowUp)
            .join(Issue, FollowUp.issue_id == Issue.id)
            .where(in_election, FollowUp.kind == "stakeholder_reply", FollowUp.created_dt >= since)
            .order_by(FollowUp.created_dt.desc())
            .options(joinedload(FollowUp.issue), joinedload(FollowUp.author_contact))
        ).scalars()
    )
    return {
        "template": "notifications/_home_manager.html",
        "shows_current": True,  # the page leaves out its own "current stage" line
        "current": current,
        "current_open": open_current,
        "current_overdue": overdue.get(current.id, 0) if current else 0,
        "at_risk": [(s, overdue[s.id]) for s in election.stages if overdue.get(s.id)],
        "raised": raised,
        "resolved": resolved,
        "replies": replies,
        "recent": RECENT,
    }


def panels(user, election, today: date) -> list[dict]:
    """Return the home page's parts for user (core.lookups.HOME_PANELS)."""
    if election is None:
        return []
    if has_role(user, "manager"):
        return [manager_panel(election, today)]
    return [staff_panel(user, election, today)]
