"""Recount, compare and rebuild the issue roll-ups (the operator's check, and the bulk writers' repair)."""

from sqlalchemy import delete, func, insert, select

from coordapp.extensions import db
from coordapp.issues.models import Issue
from coordapp.rollups.models import COUNTS, GROUP, IssueRollup

Counts = dict[tuple, tuple[int, int, int]]  # {(election, stage, status, priority, owner): (n, responded, resolved)}


def _recount_select(election_id: int | None = None):
    """Return the GROUP BY over the issues that the roll-ups must equal, archived issues left out."""
    c = Issue.__table__.c
    stmt = (
        select(
            *[c[name] for name in GROUP],
            func.count().label("n"),
            func.count(c.first_response_dt).label("responded"),
            func.count(c.resolved_dt).label("resolved"),
        )
        .where(c.is_archived.is_(False))
        .group_by(*[c[name] for name in GROUP])
    )
    return stmt.where(c.election_id == election_id) if election_id is not None else stmt


def recount(election_id: int | None = None) -> Counts:
    """Count the issues group by group, as the roll-ups should hold them."""
    rows = db.session.execute(_recount_select(election_id))
    return {tuple(row[: len(GROUP)]): tuple(row[len(GROUP) :]) for row in rows}


def stored(election_id: int | None = None) -> Counts:
    """Read the roll-ups, leaving out groups that hold nothing (an emptied group keeps its row at zero)."""
    c = IssueRollup.__table__.c
    stmt = select(*[c[name] for name in GROUP], *[c[name] for name in COUNTS]).where(
        (c.n != 0) | (c.responded != 0) | (c.resolved != 0)
    )
    if election_id is not None:
        stmt = stmt.where(c.election_id == election_id)
    return {tuple(row[: len(GROUP)]): tuple(row[len(GROUP) :]) for row in db.session.execute(stmt)}


def differences(election_id: int | None = None) -> dict[int, list[tuple[tuple, tuple | None, tuple | None]]]:
    """Return {election id: [(group, stored counts, recounted counts)]} for each group where they differ."""
    have, want = stored(election_id), recount(election_id)
    found: dict = {}
    for group in sorted(set(have) | set(want), key=lambda g: tuple(str(v) for v in g)):
        if have.get(group) != want.get(group):
            found.setdefault(group[0], []).append((group, have.get(group), want.get(group)))
    return found


def rebuild_statements(election_id: int | None = None) -> tuple:
    """Return the DELETE and INSERT ... SELECT that replace the roll-ups of one election (or of all) by a recount."""
    table = IssueRollup.__table__
    clear = delete(table)
    if election_id is not None:
        clear = clear.where(table.c.election_id == election_id)
    counted = _recount_select(election_id).subquery()
    columns = [*GROUP, *COUNTS]
    return clear, insert(table).from_select(columns, select(*[counted.c[name] for name in columns]))


def rebuild(election_id: int | None = None) -> None:
    """Replace the roll-ups of one election (or of all) by a recount, in the caller's transaction.

    For writers that bypass the ORM's flush (Core or bulk statements on the issues table).
    """
    for statement in rebuild_statements(election_id):
        db.session.execute(statement)
