"""Portable SQL pieces the aggregates need: durations, local dates and medians per group.

Medians: neither a window function (SQLite) nor ``percentile_cont`` (PostgreSQL) is fast on
100k issues, because both sort every duration on every request. Instead each duration has
an expression index (``issues/models.py``) ordered by group, so the median of a group is found by
walking that index to its middle row: ``ORDER BY key LIMIT 1 or 2 OFFSET (n-1)/2``, with n
known from the count query that runs anyway. All groups go in one UNION ALL statement.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Date, Integer, cast, func, literal, select, union_all

from coordapp.core.sql import duration_key
from coordapp.extensions import db

SECONDS_PER_DAY = 86400.0


def dialect_name() -> str:
    """Return the name of the session's database dialect."""
    return db.session.get_bind().dialect.name


def key_to_days() -> float:
    """Return what a duration_key divides by to give days."""
    return SECONDS_PER_DAY if dialect_name() == "postgresql" else 1.0


def days_between(later, earlier):
    """Return the SQL for the number of days (fractional) from earlier to later."""
    unit = key_to_days()
    key = duration_key(later, earlier)
    return key / unit if unit != 1.0 else key


def local_date(column, tz: str):
    """Return the SQL for the date of a UTC timestamp in timezone tz.

    SQLite has no timezone data: it shifts by the zone's current UTC offset, which is exact
    for the Indonesian zones (WIB, WITA, WIT keep no daylight saving time).
    """
    if dialect_name() == "postgresql":
        return cast(func.timezone(tz, column), Date)
    minutes = int(ZoneInfo(tz).utcoffset(datetime.now()).total_seconds() // 60)
    return func.date(column, f"{minutes:+d} minutes")


def medians(keys: dict, counts: dict, where: tuple = (), group=None) -> dict:
    """Return {group value: {name: median in days}} in one statement.

    keys maps a name to its duration_key; counts maps each group value (None for the rows
    without one, or for everything when group is None) to {name: number of non-NULL keys}.
    """
    parts, labels = [], []
    for value, per_name in counts.items():
        scope = list(where)
        if group is not None:
            scope.append(group.is_(None) if value is None else group == value)
        for name, n in per_name.items():
            if not n:
                continue
            key = keys[name]
            middle = (
                select(literal(len(parts)).label("part"), key.label("v"))
                .where(*scope, key.is_not(None))
                .order_by(key)
                .limit(2 - n % 2)
                .offset((n - 1) // 2)
                .subquery()
            )
            parts.append(select(middle.c.part, middle.c.v))
            labels.append((value, name))
    result: dict = {value: dict.fromkeys(keys) for value in counts}
    found: dict = {}
    for part, v in db.session.execute(union_all(*parts)) if parts else ():
        found.setdefault(part, []).append(float(v))
    unit = key_to_days()
    for part, middle_values in found.items():
        value, name = labels[part]
        result[value][name] = sum(middle_values) / len(middle_values) / unit
    return result


def as_utc(value) -> datetime | None:
    """Read a timestamp an aggregate may return as text (SQLite) as an aware UTC datetime."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.fromisoformat(str(value))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def local_week(column, tz: str):
    """Return the SQL for the Monday of the local week of a UTC timestamp in timezone tz (a date; text on SQLite)."""
    if dialect_name() == "postgresql":
        return cast(func.date_trunc("week", func.timezone(tz, column)), Date)
    minutes = int(ZoneInfo(tz).utcoffset(datetime.now()).total_seconds() // 60)
    return func.date(column, f"{minutes:+d} minutes", "weekday 0", "-6 days")


def whole_days(later, earlier):
    """Return the SQL for the whole days (rounded down) from earlier to later."""
    if dialect_name() == "postgresql":
        return func.floor(days_between(later, earlier))
    return cast(days_between(later, earlier), Integer)  # truncation: the floor of a non-negative span


def as_date(value) -> date | None:
    """Read a date an expression may return as text (SQLite) as a date."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
