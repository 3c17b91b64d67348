"""The charts' roll-ups: issues counted per (election, stage, measure, day), kept in the writing transaction.

The board's and the scorecard's pictures group the issues of an election by a day each has:

- ``raised``: unresolved issues by the local day they were raised (their ages);
- ``response`` / ``resolution``: issues by whole days to their first response / to resolution;
- ``created`` / ``resolved``: issues by the Monday of the local week they were raised / resolved
  (open issues over time; a resolved issue without a resolution time is in neither).

Grouping 100k issues by a computed day costs tens of milliseconds a chart on every view. This
table keeps those groups counted: a few hundred rows per election. Every flush that adds, changes
or deletes an issue takes one from each key its old state had and adds one to each key its new
state has, in the same transaction (INSERT ... ON CONFLICT DO UPDATE, so two writers at once both
count, and a rolled-back transaction takes its counts with it). Archived issues count nowhere.
A change of an election's timezone moves every local day: that election is counted again.

Days are ordinals (``date.toordinal()``); whole days are rounded down, never below 0.
``flask --app wsgi rollups verify`` compares the table with a full recount, ``rebuild`` recounts.
"""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, inspect, select
from sqlalchemy.orm import Session

from coordapp.core.sql import upsert
from coordapp.elections.models import Election
from coordapp.extensions import db
from coordapp.issues.models import UNRESOLVED, Issue
from coordapp.rollups.models import IssueDayCount

MEASURES = ("raised", "response", "resolution", "created", "resolved")
FIELDS = ("election_id", "stage_id", "status", "is_archived", "created_dt", "first_response_dt", "resolved_dt")
NO_STAGE = 0  # the stage key of issues without a stage (a unique key cannot hold NULL once)
SECONDS_PER_DAY = 86400

Key = tuple[int, int, str, int]  # (election id, stage key, measure, day)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _local_day(value: datetime, tz: ZoneInfo) -> date:
    return _aware(value).astimezone(tz).date()


def _whole_days(later: datetime, earlier: datetime) -> int:
    return max(int((_aware(later) - _aware(earlier)).total_seconds() // SECONDS_PER_DAY), 0)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def issue_keys(values: dict, tz: ZoneInfo) -> list[Key]:
    """Return the keys an issue with these FIELDS values counts under (none when archived)."""
    if values["is_archived"] or values["created_dt"] is None:
        return []
    election, stage = values["election_id"], values["stage_id"] or NO_STAGE
    created, responded, resolved = values["created_dt"], values["first_response_dt"], values["resolved_dt"]
    done = values["status"] not in UNRESOLVED
    keys = []
    if not done:
        keys.append(("raised", _local_day(created, tz).toordinal()))
    if responded is not None:
        keys.append(("response", _whole_days(responded, created)))
    if resolved is not None:
        keys.append(("resolution", _whole_days(resolved, created)))
    if not (done and resolved is None):
        keys.append(("created", _monday(_local_day(created, tz)).toordinal()))
    if done and resolved is not None:
        keys.append(("resolved", _monday(_local_day(resolved, tz)).toordinal()))
    return [(election, stage, measure, day) for measure, day in keys]


# Keeping the table current: rollups.tracking hands over what each flush did to issues.


def _timezones(session: Session, connection, election_ids: set[int]) -> dict[int, ZoneInfo]:
    """Return each election's timezone: from the session when it holds the election, else one query."""
    found = {}
    for election_id in election_ids:
        election = session.identity_map.get(session.identity_key(Election, election_id))
        if election is not None and "timezone" in election.__dict__:
            found[election_id] = election.timezone
    missing = election_ids - set(found)
    if missing:
        stmt = select(Election.id, Election.timezone).where(Election.id.in_(missing))
        found.update(dict(connection.execute(stmt).all()))
    return {election_id: ZoneInfo(tz or "Asia/Jakarta") for election_id, tz in found.items()}


def _retimed_elections(session: Session) -> set[int]:
    """Return the ids of elections whose timezone this flush changed."""
    return {
        o.id
        for o in session.dirty
        if isinstance(o, Election) and inspect(o).attrs["timezone"].history.has_changes() and o.id is not None
    }


def count_changes(session: Session, changes: list[tuple[dict | None, dict | None]]) -> None:
    """Move the day counts by what a flush did: (values before or None, values after or None) per issue.

    Called by rollups.tracking's flush listener, which knows each issue's committed values; an election
    whose timezone the flush changed is counted again instead.
    """
    retimed = _retimed_elections(session)
    if not changes and not retimed:
        return
    connection = session.connection()
    ids = {v["election_id"] for pair in changes for v in pair if v is not None and v["election_id"] is not None}
    zones = _timezones(session, connection, ids)
    delta: Counter = Counter()
    for old, new in changes:
        if old is not None and old["election_id"] in zones:
            delta.subtract(issue_keys(old, zones[old["election_id"]]))
        if new is not None and new["election_id"] in zones:
            delta.update(issue_keys(new, zones[new["election_id"]]))
    _apply(connection, {key: n for key, n in delta.items() if n and key[0] not in retimed})
    for election_id in retimed:
        write_recount(connection, election_id)


def _apply(connection, delta: dict[Key, int]) -> None:
    """Add each delta to its row, creating it when missing, in one statement."""
    if not delta:
        return
    table = IssueDayCount.__table__
    rows = [
        {"election_id": e, "stage_key": s, "measure": m, "day": d, "n": n} for (e, s, m, d), n in sorted(delta.items())
    ]
    keys = ["election_id", "stage_key", "measure", "day"]
    upsert(connection, table, rows, keys, lambda excluded: {"n": table.c.n + excluded.n})


# Counting from scratch: the check and the repair.


def recount(election_id: int, connection=None) -> dict[Key, int]:
    """Return the day counts of an election's issues, counted from the issues themselves."""
    connection = connection if connection is not None else db.session.connection()
    tz = ZoneInfo(connection.execute(select(Election.timezone).where(Election.id == election_id)).scalar_one())
    columns = [getattr(Issue, name) for name in FIELDS]
    counts: Counter = Counter()
    rows = connection.execute(select(*columns).where(Issue.election_id == election_id, Issue.is_archived.is_(False)))
    for row in rows:
        counts.update(issue_keys(dict(zip(FIELDS, row, strict=True)), tz))
    return {key: n for key, n in counts.items() if n}


def stored(election_id: int, connection=None) -> dict[Key, int]:
    """Return the day counts the table holds for an election (rows at 0 left out)."""
    connection = connection if connection is not None else db.session.connection()
    t = IssueDayCount
    stmt = select(t.election_id, t.stage_key, t.measure, t.day, t.n).where(t.election_id == election_id, t.n != 0)
    return {(e, s, m, d): n for e, s, m, d, n in connection.execute(stmt)}


def write_recount(connection, election_id: int) -> None:
    """Replace an election's rows by a recount, on connection (the bench's bulk build calls this)."""
    connection.execute(delete(IssueDayCount.__table__).where(IssueDayCount.election_id == election_id))
    _apply(connection, recount(election_id, connection))


def rebuild(election_id: int) -> int:
    """Count an election's day counts again from its issues (in the session's transaction); return the rows."""
    connection = db.session.connection()
    write_recount(connection, election_id)
    return len(stored(election_id, connection))


def differences(election_id: int) -> list[tuple[Key, int, int]]:
    """Return (key, stored, recounted) for every key where the table and a recount disagree."""
    have, want = stored(election_id), recount(election_id)
    return [
        (key, have.get(key, 0), want.get(key, 0))
        for key in sorted(set(have) | set(want))
        if have.get(key, 0) != want.get(key, 0)
    ]


# Reading: what the charts need, in the shapes dashboard.charts uses.


def _rows(election_id: int, measures: tuple[str, ...]) -> list[tuple[int | None, str, int, int]]:
    t = IssueDayCount
    stmt = select(t.stage_key, t.measure, t.day, t.n).where(
        t.election_id == election_id, t.measure.in_(measures), t.n != 0
    )
    return [(None if s == NO_STAGE else s, m, d, n) for s, m, d, n in db.session.execute(stmt)]


def open_ages(election_id: int, today: date) -> dict:
    """Return {stage id: {age in days: open issues}} (as dashboard.charts.open_ages)."""
    ages: dict = {}
    for stage_id, _, day, n in _rows(election_id, ("raised",)):
        age = max((today - date.fromordinal(day)).days, 0)
        per_stage = ages.setdefault(stage_id, {})
        per_stage[age] = per_stage.get(age, 0) + n
    return ages


def duration_days(election_id: int) -> dict:
    """Return {stage id: {"response"|"resolution": {whole days: issues}}} (as dashboard.charts.duration_days)."""
    found: dict = {}
    for stage_id, measure, days, n in _rows(election_id, ("response", "resolution")):
        found.setdefault(stage_id, {"response": {}, "resolution": {}})[measure][days] = n
    return found


def weekly_flow(election_id: int) -> dict:
    """Return {stage id: {"created"|"resolved": {Monday: issues}}} (as dashboard.charts.weekly_flow)."""
    flow: dict = {}
    for stage_id, measure, day, n in _rows(election_id, ("created", "resolved")):
        flow.setdefault(stage_id, {"created": {}, "resolved": {}})[measure][date.fromordinal(day)] = n
    return flow
