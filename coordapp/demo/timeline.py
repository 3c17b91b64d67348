"""Write a demo issue's timeline through the issue workflow, at the 2020 times it happened.

The workflow services decide what a follow-up or a status move changes (first response,
resolution); they stamp it with the real clock, so each step is then moved to its demo time.
"""

import random
from datetime import datetime, timedelta

from coordapp.core.visibility import SHARED
from coordapp.demo import issue_data as words
from coordapp.issues import services as workflow
from coordapp.issues.models import FollowUp, Issue
from coordapp.reminders.outbox import add_reminder_entry

RESOLVED_WITHOUT_REPLY = "Diselesaikan KPU tanpa jawaban tertulis dari {org}; dicatat dalam laporan tahapan."


class Timeline:
    """The follow-ups of one demo issue, written in order at increasing times."""

    def __init__(self, issue: Issue, rng: random.Random, owner, manager, contact, org_label: str):
        self.issue, self.rng, self.owner, self.manager, self.contact = issue, rng, owner, manager, contact
        self.org = org_label
        self.count = 0

    def _say(self, pool: tuple[str, ...]) -> str:
        return self.rng.choice(pool).format(org=self.org)

    def _at(self, when: datetime, step, *args, **kwargs) -> FollowUp:
        """Run one workflow step, then date it (and what it settled) at when."""
        had_response, had_resolution = self.issue.first_response_dt, self.issue.resolved_dt
        entry = step(self.issue, *args, **kwargs)
        entry.created_dt = when
        if had_response is None and self.issue.first_response_dt is not None:
            self.issue.first_response_dt = when
        if self.issue.resolved_dt is not None and self.issue.resolved_dt != had_resolution:
            self.issue.resolved_dt = when
        self.count += 1
        return entry

    def comment(self, when: datetime, author=None) -> None:
        self._at(
            when,
            workflow.add_follow_up,
            kind="comment",
            body=self._say(words.COMMENTS),
            author_user=author or self.owner,
        )

    def action(self, when: datetime, done_at: datetime | None) -> None:
        due = (when + timedelta(days=self.rng.randint(2, 5))).date()
        entry = self._at(
            when,
            workflow.add_follow_up,
            kind="action",
            body=self._say(words.ACTIONS),
            author_user=self.owner,
            action_due_date=due,
        )
        if done_at is not None:
            workflow.set_action_done(entry, True)
            entry.action_done_dt = done_at

    def reminder(self, when: datetime) -> None:
        """The reminder email the contact got, recorded as the outbox records one it sends."""
        self._at(when, add_reminder_entry, self.contact)

    def reply(self, when: datetime) -> None:
        pool = words.REPLIES_EN if self.contact.language == "en" else words.REPLIES_ID
        self._at(
            when,
            workflow.add_follow_up,
            kind="stakeholder_reply",
            body=self.rng.choice(pool),
            author_contact=self.contact,
            visibility=SHARED,
        )

    def move(self, when: datetime, status: str, body: str, author=None) -> None:
        self._at(when, workflow.change_status, status, author_user=author or self.owner, reason=body)


def _moments(start: datetime, end: datetime, n: int, rng: random.Random) -> list[datetime]:
    """Return n increasing times between start and end, the last one at end."""
    span = (end - start).total_seconds()
    cuts = sorted(rng.uniform(0.05, 0.95) for _ in range(n - 1))
    return [start + timedelta(seconds=span * c) for c in cuts] + [end]


def write_timeline(t: Timeline, spec: dict, created: datetime) -> datetime:
    """Replay the issue's story up to its final status; return the time of its last entry."""
    rng, status = t.rng, spec["status"]
    if status == "open":
        if t.owner is None or rng.random() < 0.4:
            return created  # nobody has answered yet: the reminders' first target
        when = created + timedelta(hours=rng.uniform(2, 40))
        t.comment(when)
        return when
    if status == "closed" and rng.random() < 0.5:
        when = created + timedelta(days=rng.uniform(0.5, 4))
        t.move(when, "closed", spec["fix"] or t._say(words.CLOSED), author=t.manager)
        return when
    if status in ("in_progress", "waiting"):
        end = created + timedelta(days=rng.uniform(2, 12))
        steps = _moments(created + timedelta(hours=1), end, 3, rng)
        t.move(steps[0], "in_progress", t._say(words.START))
        t.action(steps[1], done_at=None)
        if status == "waiting":
            t.move(steps[2], "waiting", t._say(words.WAITING))
            if t.contact is not None and t.contact.wants_reminders:  # asked, not answered yet
                end = steps[2] + timedelta(days=rng.uniform(1, 2))
                t.reminder(end)
        else:
            t.comment(steps[2])
        return end
    # resolved, or resolved and then closed; sometimes late against the due date.
    days = max(spec["due"] or 3, 1) * rng.uniform(0.3, 1.6)
    end = created + timedelta(days=days, hours=rng.uniform(1, 6))
    first = min(created + timedelta(hours=rng.uniform(0.5, 30)), created + (end - created) / 4)
    steps = _moments(first, end, 5, rng)
    t.move(steps[0], "in_progress", t._say(words.START))
    t.action(steps[1], done_at=steps[3])
    if rng.random() < 0.6 and t.contact is not None:
        if t.contact.wants_reminders:
            t.reminder(steps[1] + (steps[2] - steps[1]) / 2)  # the email the contact answered
        t.reply(steps[2])
    elif rng.random() < 0.5:
        t.comment(steps[2], author=t.manager)
    t.move(steps[4], "resolved", spec["fix"] or t._say(words.RESOLVED))
    if spec["reopened"]:
        end = _reopen(t, end)
    if status == "closed":
        end = end + timedelta(days=rng.uniform(1, 3))
        t.move(end, "closed", t._say(words.CLOSED), author=t.manager)
    return end


def _reopen(t: Timeline, after: datetime) -> datetime:
    """The problem came back: reopen, work on it again, resolve it again."""
    steps = _moments(after + timedelta(days=1), after + timedelta(days=t.rng.uniform(3, 6)), 3, t.rng)
    t.move(steps[0], "open", words.REOPEN.format(org=t.org))
    t.move(steps[1], "in_progress", t._say(words.START))
    t.move(steps[2], "resolved", t._say(words.RESOLVED))
    return steps[2]


def write_unanswered(t: Timeline, spec: dict, created: datetime) -> datetime:
    """Replay an issue asked, reminded, never answered by the stakeholder: staff resolved it on their own."""
    end = created + timedelta(days=t.rng.uniform(8, 20))
    steps = _moments(created + timedelta(hours=1), end, 4, t.rng)
    t.move(steps[0], "in_progress", t._say(words.START))
    t.move(steps[1], "waiting", t._say(words.WAITING))
    if t.contact is not None and t.contact.wants_reminders:
        t.reminder(steps[2])
    t.move(end, "resolved", spec["fix"] or RESOLVED_WITHOUT_REPLY.format(org=t.org))
    return end
