"""Who is due which reminder now: a pure function of issues, recipients, policy and a given time.

No clock, no database: the sweep loads the facts, calls ``plan_reminders`` and writes what it
returns to the outbox. The rules, in one place:

- Nothing goes out outside the sending window of the issue's election: its local working hours
  on its working days, not on a public holiday (the caller passes the holidays).
- An unresolved, unarchived issue with a due date is due from ``lead_days`` before that date.
- A recipient hears about the same issue again only ``repeat_days`` after the last reminder
  about it (or after the stakeholder's last reply, for the responsible contacts).
- Responsible contacts get a ``digest`` (reminder mode ``immediate`` or ``daily``; never when
  ``off``, unsubscribed or inactive). While a contact's "done" report waits for staff to act,
  the contacts of that contact's organisation are not reminded about that issue; the other
  organisations' contacts still are (one organisation's claim does not speak for another).
- The owner gets a ``staff_digest`` of their due and overdue issues.
- After ``escalate_after`` reminder days without a stakeholder reply (counted since the last
  reply or escalation), every manager gets the issue in an ``escalation`` digest.
- An open commitment with a responsible contact joins that contact's ``digest`` from the normal
  rule's ``lead_days`` before its due date until it is done or dropped, every ``repeat_days``
  (the same digest: one a day still).
- At most one delivery of a kind per recipient per day: the window key is the local date.
- A meeting's invitees get one ``meeting_reminder`` (``plan_meeting_reminders``) on the
  working day that is ``meeting_reminder_days`` working days before it, in the sending window,
  never once it started, never for a cancelled or archived meeting.
"""

from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from coordapp.core.time import to_local
from coordapp.issues.models import UNRESOLVED


@dataclass(frozen=True)
class Rule:
    """The reminder rule of one priority."""

    lead_days: int
    repeat_days: int
    escalate_after: int


DEFAULT_RULES = {
    "low": Rule(lead_days=1, repeat_days=7, escalate_after=3),
    "normal": Rule(lead_days=2, repeat_days=3, escalate_after=3),
    "high": Rule(lead_days=3, repeat_days=2, escalate_after=3),
    "critical": Rule(lead_days=5, repeat_days=1, escalate_after=2),
}


@dataclass(frozen=True)
class Policy:
    """The rules per priority and the sending window."""

    rules: Mapping[str, Rule] = field(default_factory=lambda: dict(DEFAULT_RULES))
    start_hour: int = 8
    end_hour: int = 16
    working_days: frozenset[int] = frozenset(range(5))  # Monday is 0
    skip_holidays: bool = True
    meeting_reminder_days: int = 1  # working days before a meeting its invitees are reminded; 0: never

    def rule(self, priority: str) -> Rule:
        """Return the rule of a priority (the normal one for an unknown priority)."""
        return self.rules.get(priority) or self.rules.get("normal") or DEFAULT_RULES["normal"]


@dataclass(frozen=True)
class IssueFacts:
    """What the planner needs to know about one issue."""

    id: int
    priority: str
    status: str
    due_date: date | None
    timezone: str = "Asia/Jakarta"
    owner_id: int | None = None
    contact_ids: tuple[int, ...] = ()
    is_archived: bool = False
    last_reply_dt: datetime | None = None  # newest stakeholder reply
    done_by: frozenset[int] = frozenset()  # organisations whose contact reported it done, staff not moved since
    unanswered: int = 0  # reminder days since the last stakeholder reply or escalation


@dataclass(frozen=True)
class CommitmentFacts:
    """What the planner needs to know about one open commitment."""

    id: int
    contact_id: int
    due_date: date
    timezone: str = "Asia/Jakarta"


@dataclass(frozen=True)
class MeetingFacts:
    """What the planner needs to know about one upcoming meeting."""

    id: int
    start_dt: datetime
    contact_ids: tuple[int, ...] = ()
    timezone: str = "Asia/Jakarta"
    is_cancelled: bool = False
    is_archived: bool = False


@dataclass(frozen=True)
class Recipient:
    """A contact or user who may receive reminders."""

    id: int
    email: str
    language: str = "id"
    wants_reminders: bool = True
    organization_id: int | None = None  # a contact's organisation


@dataclass(frozen=True)
class History:
    """What the outbox already holds."""

    last_sent: Mapping[tuple[str, str, int], date] = field(default_factory=dict)  # (email, kind, issue id) -> local day
    taken: Container[tuple[str, str, str]] = frozenset()  # (email, kind, window key)


@dataclass(frozen=True)
class PlannedDelivery:
    """One email the sweep should put in the outbox."""

    kind: str
    recipient_email: str
    window_key: str
    issue_ids: tuple[int, ...]
    language: str = "id"
    contact_id: int | None = None
    user_id: int | None = None
    commitment_ids: tuple[int, ...] = ()
    meeting_id: int | None = None


def in_sending_window(local: datetime, policy: Policy, holidays: Container[date]) -> bool:
    """Tell whether a local time is inside working hours on a working day that is no holiday."""
    if local.weekday() not in policy.working_days:
        return False
    if policy.skip_holidays and local.date() in holidays:
        return False
    return policy.start_hour <= local.hour < policy.end_hour


def _rested(
    history: History, email: str, kind: str, issue: IssueFacts, rule: Rule, today: date, since: datetime | None = None
) -> bool:
    """Tell whether enough days passed since this recipient last heard about this issue (or last replied)."""
    last = history.last_sent.get((email, kind, issue.id))
    if since is not None:
        replied = to_local(since, issue.timezone).date()
        last = replied if last is None or replied > last else last
    if last is None:
        return True
    return (today - last).days >= rule.repeat_days


@dataclass(frozen=True)
class _Day:
    """Today in one timezone, for one priority: its date and window key, the rule, the last due date now due."""

    today: date
    key: str
    rule: Rule
    due_until: date  # an issue is due from lead_days before its due date: today + lead_days at the latest


class _LocalDays:
    """The local day at now per (timezone, priority), worked out once per pair instead of once per issue."""

    def __init__(self, now: datetime, policy: Policy, holidays: Container[date]):
        self.now, self.policy, self.holidays = now, policy, holidays
        self.days: dict[tuple[str, str], _Day | None] = {}

    def get(self, timezone: str, priority: str) -> _Day | None:
        """Return the day in timezone for an issue of priority, or None outside the sending window there."""
        pair = (timezone, priority)
        if pair not in self.days:
            local = to_local(self.now, timezone)
            rule, today = self.policy.rule(priority), local.date()
            day = _Day(today, today.isoformat(), rule, today + timedelta(days=rule.lead_days))
            self.days[pair] = day if in_sending_window(local, self.policy, self.holidays) else None
        return self.days[pair]


class _Digests:
    """Collects each recipient's issues, one delivery per (kind, recipient)."""

    def __init__(self):
        self.items: dict[tuple[str, str], dict] = {}

    def add(self, kind: str, recipient: Recipient, key: str, issue_id: int | None, commitment_id=None, **ids) -> None:
        entry = self.items.get((kind, recipient.email))
        if entry is None:
            entry = {"recipient": recipient, "key": key, "issues": [], "commitments": [], "ids": ids}
            self.items[(kind, recipient.email)] = entry
        if issue_id is not None:
            entry["issues"].append(issue_id)
        if commitment_id is not None:
            entry["commitments"].append(commitment_id)

    def planned(self, history: History) -> list[PlannedDelivery]:
        result = []
        for (kind, email), entry in sorted(self.items.items()):
            if (email, kind, entry["key"]) in history.taken:
                continue  # the daily cap: this recipient already has today's delivery of this kind
            result.append(
                PlannedDelivery(
                    kind=kind,
                    recipient_email=email,
                    window_key=entry["key"],
                    issue_ids=tuple(entry["issues"]),
                    commitment_ids=tuple(entry["commitments"]),
                    language=entry["recipient"].language,
                    **entry["ids"],
                )
            )
        return result


def plan_reminders(
    issues: Iterable[IssueFacts],
    contacts: Iterable[Recipient],
    policy: Policy,
    now: datetime,
    holidays: Container[date],
    *,
    owners: Iterable[Recipient] = (),
    managers: Iterable[Recipient] = (),
    history: History | None = None,
    commitments: Iterable[CommitmentFacts] = (),
) -> list[PlannedDelivery]:
    """Return the deliveries due at now (aware): digests (issues and commitments), staff digests, escalations."""
    history = history or History()
    contacts_by_id = {c.id: c for c in contacts}
    owners_by_id = {u.id: u for u in owners}
    managers = [m for m in managers if m.wants_reminders]
    digests = _Digests()
    days = _LocalDays(now, policy, holidays)
    for issue in sorted(issues, key=lambda i: (i.due_date or date.max, i.id)):
        if issue.status not in UNRESOLVED or issue.is_archived or issue.due_date is None:
            continue
        day = days.get(issue.timezone, issue.priority)
        if day is None or issue.due_date > day.due_until:  # outside the window, or not due yet
            continue
        rule, today, key = day.rule, day.today, day.key
        for contact_id in issue.contact_ids:
            contact = contacts_by_id.get(contact_id)
            if (
                contact
                and contact.wants_reminders
                and contact.organization_id not in issue.done_by
                and _rested(history, contact.email, "digest", issue, rule, today, since=issue.last_reply_dt)
            ):
                digests.add("digest", contact, key, issue.id, contact_id=contact.id)
        owner = owners_by_id.get(issue.owner_id)
        if owner and owner.wants_reminders and _rested(history, owner.email, "staff_digest", issue, rule, today):
            digests.add("staff_digest", owner, key, issue.id, user_id=owner.id)
        if rule.escalate_after > 0 and issue.unanswered >= rule.escalate_after:
            for manager in managers:
                digests.add("escalation", manager, key, issue.id, user_id=manager.id)
    _add_commitments(digests, commitments, contacts_by_id, policy, now, holidays, history)
    return digests.planned(history)


def _add_commitments(digests: _Digests, commitments, contacts_by_id, policy: Policy, now, holidays, history) -> None:
    """Put each due open commitment in its contact's digest (rested like an issue of normal priority)."""
    rule = policy.rule("normal")
    for item in sorted(commitments, key=lambda c: (c.due_date, c.id)):
        local = to_local(now, item.timezone)
        today = local.date()
        contact = contacts_by_id.get(item.contact_id)
        if contact is None or not contact.wants_reminders or not in_sending_window(local, policy, holidays):
            continue
        if today < item.due_date - timedelta(days=rule.lead_days):
            continue
        last = history.last_sent.get((contact.email, "commitment", item.id))
        if last is not None and (today - last).days < rule.repeat_days:
            continue
        digests.add("digest", contact, today.isoformat(), None, commitment_id=item.id, contact_id=contact.id)


def _working_days_before(day: date, count: int, policy: Policy, holidays: Container[date]) -> date:
    """Return the date count working days before day."""
    while count > 0:
        day -= timedelta(days=1)
        if day.weekday() in policy.working_days and not (policy.skip_holidays and day in holidays):
            count -= 1
    return day


def plan_meeting_reminders(
    meetings: Iterable[MeetingFacts],
    contacts: Iterable[Recipient],
    policy: Policy,
    now: datetime,
    holidays: Container[date],
    days_before: int,
    taken: Container[tuple[str, str, str]] = frozenset(),
) -> list[PlannedDelivery]:
    """Return one reminder per invitee of each meeting whose reminder day has come (0 days: none)."""
    if days_before <= 0:
        return []
    contacts_by_id = {c.id: c for c in contacts}
    planned = []
    for meeting in sorted(meetings, key=lambda m: (m.start_dt, m.id)):
        if meeting.is_cancelled or meeting.is_archived or meeting.start_dt <= now:
            continue
        local = to_local(now, meeting.timezone)
        start_day = to_local(meeting.start_dt, meeting.timezone).date()
        if not in_sending_window(local, policy, holidays):
            continue
        if local.date() < _working_days_before(start_day, days_before, policy, holidays):
            continue
        key = f"meeting-{meeting.id}"
        for contact_id in meeting.contact_ids:
            contact = contacts_by_id.get(contact_id)
            if contact is None or not contact.wants_reminders or (contact.email, "meeting_reminder", key) in taken:
                continue
            planned.append(
                PlannedDelivery(
                    kind="meeting_reminder",
                    recipient_email=contact.email,
                    window_key=key,
                    issue_ids=(),
                    language=contact.language,
                    contact_id=contact.id,
                    meeting_id=meeting.id,
                )
            )
    return planned
