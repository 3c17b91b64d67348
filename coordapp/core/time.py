"""Time helpers: everything is stored in UTC and shown in the election's timezone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Jakarta"


def utcnow() -> datetime:
    """Return the current time, aware, in UTC."""
    return datetime.now(UTC)


def to_local(value: datetime | None, tz: str = DEFAULT_TZ) -> datetime | None:
    """Convert an aware (or naive UTC) datetime to the given timezone."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(ZoneInfo(tz))
    except OverflowError:  # hours from the year 1 or 9999 (a bad row): shown in UTC rather than breaking the page
        return value


def local_to_utc(value: datetime, tz: str = DEFAULT_TZ) -> datetime:
    """Read a naive datetime as wall time in tz and return it in UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(tz))
    return value.astimezone(UTC)


def local_today(tz: str = DEFAULT_TZ, now: datetime | None = None) -> date:
    """Return today's date in tz (or the date of now there)."""
    return to_local(now or utcnow(), tz).date()
