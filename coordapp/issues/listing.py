"""The issue list: one page by keyset (cursor on the sort key + id, never OFFSET), and counts per filter value.

A cursor names the last row shown ("after") or the first ("before"); the next page
starts strictly after it in the list's order, so a deep page costs what the first does.
"""

import base64
import binascii
import json
import operator
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, case, func, or_, tuple_
from sqlalchemy.orm import joinedload, selectinload

from coordapp.auth.models import User
from coordapp.core.options import select_options
from coordapp.core.page_cache import shared_value
from coordapp.core.time import DEFAULT_TZ
from coordapp.core.validation import MAX_ID
from coordapp.elections.models import Election, Stage
from coordapp.extensions import db
from coordapp.issues.filters import PRIORITY_ORDER, SORT_CHOICES, SORTS, IssueFilter
from coordapp.issues.models import UNRESOLVED, FollowUp, Issue
from coordapp.stakeholders.models import Contact, Organization

PAGE_SIZE = 25


@dataclass
class Page:
    """One page of issues, with the cursors of its neighbours (None when there is none)."""

    rows: list[Issue]
    next_cursor: str | None = None
    prev_cursor: str | None = None


def encode_cursor(value, row_id: int) -> str:
    """Pack a sort value and a row id into a URL-safe token."""
    if isinstance(value, (date, datetime)):
        value = value.isoformat()
    raw = json.dumps([value, row_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str | None, sort: str):
    """Unpack a cursor for this sort; None when it is missing or malformed."""
    if not token:
        return None
    try:
        value, row_id = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if not isinstance(row_id, int) or not 0 < row_id <= MAX_ID:  # a hand-made cursor: no id the database holds
            return None
        column = SORTS[sort][0]
        if value is not None and column is Issue.due_date:
            value = date.fromisoformat(value)
        elif value is not None and column is Issue.created_dt:
            value = datetime.fromisoformat(value)
            if value.tzinfo is None:  # stored times are UTC and aware; a naive one was not made here
                return None
        elif value is not None and not (isinstance(value, int) and abs(value) <= MAX_ID):
            return None
        return value, row_id
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        return None


def _sort_value(issue: Issue, sort: str):
    column = SORTS[sort][0]
    if column is Issue.due_date:
        return issue.due_date
    if column is Issue.created_dt:
        return issue.created_dt
    return PRIORITY_ORDER[issue.priority]


def _beyond(expr, nullable: bool, descending: bool, value, row_id: int, after: bool):
    """Rows after the cursor in the list's order (after=True), or before it; NULL keys come last."""
    later, earlier = (operator.lt, operator.gt) if descending else (operator.gt, operator.lt)
    compare = later if after else earlier
    if value is None:
        among_nulls = and_(expr.is_(None), compare(Issue.id, row_id))
        return among_nulls if after else or_(expr.is_not(None), among_nulls)
    cond = compare(tuple_(expr, Issue.id), tuple_(value, row_id))
    return or_(cond, expr.is_(None)) if after and nullable else cond


def _order(expr, nullable: bool, descending: bool, reverse: bool) -> tuple:
    """ORDER BY of the list (or its reverse, to read a previous page backwards)."""
    down = descending != reverse
    key = expr.desc() if down else expr.asc()
    if nullable:
        key = key.nulls_first() if reverse else key.nulls_last()
    return key, Issue.id.desc() if down else Issue.id.asc()


def fetch_page(
    f: IssueFilter, today: date, after: str | None = None, before: str | None = None, size: int = PAGE_SIZE
) -> Page:
    """Return one page of the filtered list, with what the list shows loaded eagerly.

    Two steps: the ids of the page (a narrow, index-friendly query), then those rows with their
    stage, owner and organizations; sorting wide joined rows would cost far more.
    """
    expr, descending, nullable = SORTS[f.sort]
    stmt = f.apply(db.select(Issue.id), today)
    cursor, forward = decode_cursor(after, f.sort), True
    if cursor is None and (cursor := decode_cursor(before, f.sort)) is not None:
        forward = False
    if cursor is not None:
        stmt = stmt.where(_beyond(expr, nullable, descending, *cursor, after=forward))
    ids = list(
        db.session.execute(
            stmt.order_by(*_order(expr, nullable, descending, reverse=not forward)).limit(size + 1)
        ).scalars()
    )
    more, ids = len(ids) > size, ids[:size]
    if not forward:
        ids.reverse()
    loaded = {
        issue.id: issue
        for issue in db.session.execute(
            db.select(Issue)
            .where(Issue.id.in_(ids))
            .options(joinedload(Issue.stage), joinedload(Issue.owner), selectinload(Issue.organizations))
        )
        .unique()
        .scalars()
    }
    page = Page([loaded[i] for i in ids if i in loaded])
    if page.rows:
        has_next, has_prev = (more, cursor is not None) if forward else (True, more)
        first, last = page.rows[0], page.rows[-1]
        page.next_cursor = encode_cursor(_sort_value(last, f.sort), last.id) if has_next else None
        page.prev_cursor = encode_cursor(_sort_value(first, f.sort), first.id) if has_prev else None
    return page


FACETS = ("stage", "status", "priority", "overdue")


def facet_counts(f: IssueFilter, today: date) -> dict:
    """Count the issues per status, priority and stage, each under every other filter; the overdue; the total.

    One aggregate whatever the data: the issues kept by the filter's other fields, grouped by
    (stage, status, priority) with how many of each group are overdue. Those few hundred groups
    are then counted here once per facet, each leaving out its own filter, as a GROUP BY per
    facet would (five scans of every row instead of one).
    """
    # Grouped in the order of the covering index the board uses (election, archived, stage, status,
    # priority, due date...), which SQLite then scans without sorting or reading the table.
    group = (Issue.election_id, Issue.is_archived, Issue.stage_id, Issue.status, Issue.priority)
    past_due = func.count(case((Issue.due_date < today, 1)))  # overdue when the group's status is unresolved
    stmt = f.apply(db.select(*group[2:], func.count(), past_due).select_from(Issue), today, skip=FACETS)
    groups = [
        (stage, status, priority, n, n_late if status in UNRESOLVED else 0)
        for stage, status, priority, n, n_late in db.session.execute(stmt.group_by(*group))
    ]

    def kept(skip: str):
        """Yield (group, how many of it count) for the groups the filter keeps, its field skip left out."""
        for row in groups:
            stage, status, priority, n, n_late = row
            if (
                (skip == "stage" or not f.stage or stage in f.stage)
                and (skip == "status" or not f.status or status in f.status)
                and (skip == "priority" or not f.priority or priority in f.priority)
            ):
                yield row, n_late if f.overdue and skip != "overdue" else n

    counts: dict = {"status": {}, "priority": {}, "stage": {}}
    for name, position in (("stage", 0), ("status", 1), ("priority", 2)):
        for row, n in kept(name):
            if n:
                counts[name][row[position]] = counts[name].get(row[position], 0) + n
    counts["overdue"] = sum(row[4] for row, _ in kept("overdue"))
    counts["total"] = sum(n for _, n in kept(""))
    return counts


def load_issue(issue_id: int) -> Issue | None:
    """Load an issue with everything its page shows, in a fixed number of queries."""
    return (
        db.session.execute(
            db.select(Issue)
            .where(Issue.id == issue_id)
            .options(
                joinedload(Issue.election),
                joinedload(Issue.stage),
                joinedload(Issue.meeting),
                joinedload(Issue.owner),
                joinedload(Issue.created_by),
                selectinload(Issue.organizations),
                selectinload(Issue.contacts).joinedload(Contact.organization),
                selectinload(Issue.follow_ups).options(
                    joinedload(FollowUp.author_user),
                    joinedload(FollowUp.author_contact).joinedload(Contact.organization),
                ),
            )
        )
        .unique()
        .scalar_one_or_none()
    )


@dataclass
class FilterOptions:
    """What the list's filter form offers."""

    elections: list
    stages: list
    organizations: list
    users: list
    timezone: str = DEFAULT_TZ
    organization_options: str = ""  # the <option>s of organizations, the chosen one marked (thousands of them)
    sorts: list = field(default_factory=lambda: SORT_CHOICES)


def filter_options(f: IssueFilter) -> FilterOptions:
    """Load the choices of the filter form: four queries, whatever the data."""
    elections = (
        db.session.execute(db.select(Election).order_by(Election.is_active.desc(), Election.name)).scalars().all()
    )
    chosen = next((e for e in elections if e.id == f.election_id), None)
    if chosen is None and len(elections) == 1:
        chosen = elections[0]
    stages = db.select(Stage).order_by(Stage.election_id, Stage.position)
    stages = db.session.execute(stages.where(Stage.election_id == chosen.id) if chosen else stages).scalars().all()
    orgs, users, org_options = shared_value(("filter_choices", f.organization or 0), lambda: _choices(f.organization))
    return FilterOptions(elections, stages, orgs, users, chosen.timezone if chosen else DEFAULT_TZ, org_options)


def _choices(organization_id: int | None) -> tuple[list, list, str]:
    """Return the organization and owner rows, and the organizations' <option>s rendered (the same for everyone)."""
    orgs, users = organization_and_owner_choices(organization_id)
    orgs, users = [tuple(row) for row in orgs], [tuple(row) for row in users]
    return orgs, users, str(select_options(orgs, organization_id))


def organization_and_owner_choices(organization_id: int | None = None) -> tuple[list, list]:
    """Return (id, name) rows of the active organizations (and the chosen one) and of the active users.

    Thousands of organizations: rows, not objects the page never uses.
    """

    orgs = db.session.execute(
        db.select(Organization.id, Organization.name)
        .where(db.or_(Organization.is_active.is_(True), Organization.id == (organization_id or 0)))
        .order_by(Organization.name)
    ).all()
    users = db.session.execute(db.select(User.id, User.name).where(User.is_active.is_(True)).order_by(User.name)).all()
    return orgs, users
