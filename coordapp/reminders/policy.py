"""The stored reminder policy: defaults seeded when missing, read into the planner's Policy."""

import holidays as holiday_calendars

from coordapp.extensions import db
from coordapp.issues.models import PRIORITIES
from coordapp.reminders.models import ReminderPolicy, SendingWindow
from coordapp.reminders.planner import DEFAULT_RULES, Policy, Rule


def stored_policy() -> tuple[dict[str, ReminderPolicy], SendingWindow]:
    """Return the policy rows per priority and the sending window, adding defaults that are missing (to save)."""
    rows = {p.priority: p for p in db.session.execute(db.select(ReminderPolicy)).scalars()}
    for priority in PRIORITIES:
        if priority not in rows:
            rule = DEFAULT_RULES[priority]
            rows[priority] = ReminderPolicy(
                priority=priority,
                lead_days=rule.lead_days,
                repeat_days=rule.repeat_days,
                escalate_after=rule.escalate_after,
            )
            db.session.add(rows[priority])
    window = db.session.execute(db.select(SendingWindow).order_by(SendingWindow.id).limit(1)).scalar_one_or_none()
    if window is None:
        window = SendingWindow(start_hour=8, end_hour=16, working_days="0,1,2,3,4", skip_holidays=True)
        db.session.add(window)
    return rows, window


def load_policy() -> Policy:
    """Return the planner's Policy from the stored rows, defaults where none are stored; writes nothing."""
    rules = dict(DEFAULT_RULES)
    for row in db.session.execute(db.select(ReminderPolicy)).scalars():
        rules[row.priority] = Rule(row.lead_days, row.repeat_days, row.escalate_after)
    window = db.session.execute(db.select(SendingWindow).order_by(SendingWindow.id).limit(1)).scalar_one_or_none()
    if window is None:
        return Policy(rules=rules)
    return Policy(
        rules=rules,
        start_hour=window.start_hour,
        end_hour=window.end_hour,
        working_days=window.weekdays,
        skip_holidays=window.skip_holidays,
        meeting_reminder_days=window.meeting_reminder_days,
    )


def indonesian_holidays(*years: int):
    """Return Indonesia's public holidays of the given years (and the years around them)."""
    span = sorted({y + d for y in years for d in (-1, 0, 1)})
    return holiday_calendars.country_holidays("ID", years=span)
