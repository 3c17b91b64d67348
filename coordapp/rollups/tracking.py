"""Keep the roll-ups exact in the transaction of every ORM write of an issue.

Before a flush, each issue about to change gives the group it counts in now (its committed values);
after it, the group it counts in afterwards. The difference (old group -1, new group +1; an archived or
deleted issue counts nowhere) goes to the database as one INSERT ... ON CONFLICT DO UPDATE SET n = n + d,
so two transactions counting into the same group add up instead of one overwriting the other, and a
rollback takes the change back with the write. Core and bulk statements on the issues table bypass
the flush: whoever runs them rebuilds the roll-ups after them (services.rebuild; the bench does).
"""

from collections import Counter

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.base import NEVER_SET, NO_VALUE

from coordapp.core.sql import upsert
from coordapp.issues.models import Issue
from coordapp.rollups import day_counts
from coordapp.rollups.models import COUNTS, GROUP, GROUP_KEY, IssueRollup

FIELDS = (*GROUP, "is_archived", "created_dt", "first_response_dt", "resolved_dt")  # created_dt: the day counts
_OLD = "rollups.old"  # flush_context.attributes key: {issue state: its committed row}


def counted_row(values: dict) -> tuple | None:
    """Return (group..., responded, resolved) of an issue's values, or None when it counts nowhere (archived)."""
    if values["is_archived"] or values["election_id"] is None:
        return None
    group = tuple(values[name] for name in GROUP)
    return (*group, int(values["first_response_dt"] is not None), int(values["resolved_dt"] is not None))


def _committed(state) -> dict | None:
    """Return the committed values of FIELDS, or None when one of them is not in memory.

    The attribute history cannot tell a change from None (deleted is empty) from a change whose old
    value was never loaded, so this reads the state's committed values, where the two differ.
    """
    values = {}
    for name in FIELDS:
        if name in state.committed_state:
            values[name] = state.committed_state[name]
        elif name in state.dict:
            values[name] = state.dict[name]
        else:
            return None  # expired: the database still holds it
        if values[name] in (NO_VALUE, NEVER_SET):
            return None  # set without its old value loaded
    return values


def _stored(session: Session, ids: list[int]) -> dict[int, dict]:
    """Read the committed values of FIELDS of the issues ids from the database (this flush has not written)."""
    c = Issue.__table__.c
    rows = session.connection().execute(select(c.id, *[c[name] for name in FIELDS]).where(c.id.in_(ids)))
    return {row[0]: dict(zip(FIELDS, row[1:], strict=True)) for row in rows}


@event.listens_for(Session, "before_flush")
def _remember_committed_rows(session: Session, flush_context, instances) -> None:
    """Note the group each issue about to be updated or deleted counts in before the flush."""
    old, unknown = {}, {}
    for issue in (o for o in (*session.dirty, *session.deleted) if isinstance(o, Issue)):
        state = inspect(issue)
        if state.key is None:
            continue
        values = _committed(state)
        if values is None:
            unknown[state.identity[0]] = state
        else:
            old[state] = values
    if unknown:
        for issue_id, values in _stored(session, list(unknown)).items():
            old[unknown[issue_id]] = values
    flush_context.attributes[_OLD] = old


@event.listens_for(Session, "after_flush")
def _count_flushed_issues(session: Session, flush_context) -> None:
    """Move each flushed issue's count from its old group to its new one, and its day counts (day_counts)."""
    old = flush_context.attributes.get(_OLD, {})
    deltas: Counter = Counter()
    changes = []  # (values before, values after) of each issue that changed, for the day counts
    for issue in (o for o in (*session.new, *session.dirty, *session.deleted) if isinstance(o, Issue)):
        state = inspect(issue)
        if state in old or issue in session.new:
            before = old.get(state)
        elif any(state.attrs[name].history.has_changes() for name in FIELDS):
            # Changed by a before_flush listener that ran after ours; the history still holds its old values
            # (none of the app's listeners changes these fields; `flask rollups verify` would show a miss).
            before = _committed(state)
            if before is None:
                continue
        else:
            continue  # made dirty after our look (a version bump), its group unchanged
        after = None if issue in session.deleted else {name: getattr(issue, name) for name in FIELDS}
        if before == after:
            continue
        changes.append((before, after))
        for row, sign in ((counted_row(before) if before else None, -1), (counted_row(after) if after else None, 1)):
            if row is not None:
                for name, value in zip(COUNTS, (1, *row[len(GROUP) :]), strict=True):
                    deltas[(row[: len(GROUP)], name)] += sign * value
    upsert_deltas(session, deltas)
    day_counts.count_changes(session, changes)


def upsert_deltas(session: Session, deltas: Counter) -> None:
    """Add deltas {(group, count name): d} to the roll-ups in one statement (rows created as needed)."""
    groups = sorted({group for (group, _), d in deltas.items() if d}, key=lambda g: tuple(str(v) for v in g))
    if not groups:
        return
    rows = [
        {**dict(zip(GROUP, group, strict=True)), **{name: deltas[(group, name)] for name in COUNTS}} for group in groups
    ]
    table = IssueRollup.__table__
    upsert(
        session.connection(),
        table,
        rows,
        list(GROUP_KEY),
        lambda excluded: {name: table.c[name] + excluded[name] for name in COUNTS},
    )
