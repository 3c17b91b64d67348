"""The planner decides who is due what, from data and a given time only (no clock, no database)."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from coordapp.reminders.planner import (
    DEFAULT_RULES,
    History,
    IssueFacts,
    Policy,
    Recipient,
    Rule,
    in_sending_window,
    plan_reminders,
)

WIB = ZoneInfo("Asia/Jakarta")
MONDAY_9 = datetime(2020, 10, 5, 9, 0, tzinfo=WIB)  # a working Monday morning in Jakarta
HOLIDAYS = {date(2020, 10, 29), date(2020, 12, 25)}  # Prophet's Birthday (Thu), Christmas (Fri)
ALICE = Recipient(1, "alice@example.org", "id")
BOB = Recipient(2, "bob@example.org", "en")
OWNER = Recipient(10, "owner@kpu.example.org", "id")
MANAGER = Recipient(20, "manager@kpu.example.org", "en")


def issue(id=1, priority="normal", status="open", due=date(2020, 10, 5), contacts=(1,), **kw) -> IssueFacts:
    return IssueFacts(id=id, priority=priority, status=status, due_date=due, contact_ids=tuple(contacts), **kw)


def plan(issues, now=MONDAY_9, contacts=(ALICE, BOB), policy=None, **kw):
    return plan_reminders(issues, contacts, policy or Policy(), now, HOLIDAYS, **kw)


def recipients(planned, kind="digest"):
    return sorted(p.recipient_email for p in planned if p.kind == kind)


def test_due_issue_gives_its_contact_one_digest_keyed_by_the_local_date():
    planned = plan([issue()])
    assert [(p.kind, p.recipient_email, p.window_key, p.issue_ids, p.contact_id) for p in planned] == [
        ("digest", "alice@example.org", "2020-10-05", (1,), 1)
    ]


def test_one_digest_lists_all_of_a_recipients_issues_oldest_due_first():
    planned = plan([issue(1, due=date(2020, 10, 5)), issue(2, due=date(2020, 9, 1)), issue(3, due=date(2020, 10, 1))])
    assert len(planned) == 1
    assert planned[0].issue_ids == (2, 3, 1)


def test_each_recipient_gets_a_separate_delivery_in_their_language():
    planned = plan([issue(contacts=(1, 2))])
    assert [(p.recipient_email, p.language) for p in planned] == [
        ("alice@example.org", "id"),
        ("bob@example.org", "en"),
    ]


@pytest.mark.parametrize(
    "now",
    [
        datetime(2020, 10, 3, 9, 0, tzinfo=WIB),  # Saturday
        datetime(2020, 10, 4, 9, 0, tzinfo=WIB),  # Sunday
        datetime(2020, 10, 29, 9, 0, tzinfo=WIB),  # Thursday, Prophet's Birthday
        datetime(2020, 10, 5, 7, 59, tzinfo=WIB),  # before working hours
        datetime(2020, 10, 5, 16, 0, tzinfo=WIB),  # after working hours
        datetime(2020, 10, 5, 22, 0, tzinfo=WIB),  # night
    ],
    ids=["saturday", "sunday", "holiday", "before-hours", "end-of-hours", "night"],
)
def test_nothing_is_planned_outside_the_sending_window(now):
    assert plan([issue(due=date(2020, 9, 1))], now=now) == []


def test_the_window_is_read_in_the_elections_timezone():
    # 09:00 in Jayapura (WIT, UTC+9) is 07:00 in Jakarta: a Jakarta election waits, a Papua one is due.
    now = datetime(2020, 10, 5, 0, 0, tzinfo=UTC)
    planned = plan([issue(1, timezone="Asia/Jakarta"), issue(2, timezone="Asia/Jayapura")], now=now)
    assert [p.issue_ids for p in planned] == [(2,)]


def test_holidays_can_be_ignored_and_working_days_changed_by_policy():
    holiday = datetime(2020, 10, 29, 9, 0, tzinfo=WIB)
    assert plan([issue()], now=holiday, policy=Policy(skip_holidays=False))
    saturday = datetime(2020, 10, 3, 9, 0, tzinfo=WIB)
    assert plan([issue()], now=saturday, policy=Policy(working_days=frozenset(range(6))))


def test_in_sending_window_bounds():
    policy = Policy(start_hour=8, end_hour=16)
    assert in_sending_window(datetime(2020, 10, 5, 8, 0, tzinfo=WIB), policy, HOLIDAYS)
    assert in_sending_window(datetime(2020, 10, 5, 15, 59, tzinfo=WIB), policy, HOLIDAYS)
    assert not in_sending_window(datetime(2020, 10, 5, 16, 0, tzinfo=WIB), policy, HOLIDAYS)


@pytest.mark.parametrize("priority,lead", [(p, r.lead_days) for p, r in DEFAULT_RULES.items()])
def test_each_priority_starts_its_lead_days_before_the_due_date(priority, lead):
    today = MONDAY_9.date()
    on_time = issue(priority=priority, due=today + timedelta(days=lead))
    too_early = issue(priority=priority, due=today + timedelta(days=lead + 1))
    assert recipients(plan([on_time])) == ["alice@example.org"]
    assert plan([too_early]) == []


def test_unknown_priority_falls_back_to_the_normal_rule():
    assert plan([issue(priority="urgent", due=MONDAY_9.date() + timedelta(days=2))])
    assert not plan([issue(priority="urgent", due=MONDAY_9.date() + timedelta(days=3))])


@pytest.mark.parametrize("days_ago,due", [(1, False), (2, False), (3, True), (10, True)])
def test_repeat_interval_counts_days_since_the_last_reminder_to_that_recipient(days_ago, due):
    last = MONDAY_9.date() - timedelta(days=days_ago)  # normal priority repeats every 3 days
    history = History(last_sent={("alice@example.org", "digest", 1): last})
    assert bool(plan([issue(due=date(2020, 9, 1))], history=history)) is due


def test_repeat_interval_is_per_recipient():
    history = History(last_sent={("alice@example.org", "digest", 1): date(2020, 10, 4)})
    assert recipients(plan([issue(contacts=(1, 2))], history=history)) == ["bob@example.org"]


def test_critical_issues_repeat_daily():
    history = History(last_sent={("alice@example.org", "digest", 1): date(2020, 10, 4)})
    assert plan([issue(priority="critical")], history=history)


def test_a_stakeholder_reply_restarts_the_repeat_interval():
    replied = issue(due=date(2020, 9, 1), last_reply_dt=MONDAY_9 - timedelta(days=1))
    assert plan([replied]) == []
    long_ago = issue(due=date(2020, 9, 1), last_reply_dt=MONDAY_9 - timedelta(days=3))
    assert plan([long_ago])


@pytest.mark.parametrize(
    "contact",
    [
        Recipient(1, "alice@example.org", wants_reminders=False),
    ],
    ids=["off-unsubscribed-or-inactive"],
)
def test_contacts_who_want_no_reminders_get_none(contact):
    assert plan([issue()], contacts=[contact]) == []


def test_done_report_pauses_contact_reminders_but_not_the_owner_digest():
    done = issue(owner_id=10, done_by=frozenset({None}))
    planned = plan([done], owners=[OWNER])
    assert [(p.kind, p.recipient_email) for p in planned] == [("staff_digest", "owner@kpu.example.org")]


def test_a_done_report_pauses_only_the_reporting_organisation():
    bawaslu, polres = (
        Recipient(1, "lo@bawaslu.example.org", organization_id=7),
        Recipient(2, "lo@polres.example.org", organization_id=8),
    )
    colleague = Recipient(3, "staf@bawaslu.example.org", organization_id=7)
    done = issue(contacts=(1, 2, 3), done_by=frozenset({7}))
    assert recipients(plan([done], contacts=[bawaslu, polres, colleague])) == ["lo@polres.example.org"]
    assert len(recipients(plan([issue(contacts=(1, 2, 3))], contacts=[bawaslu, polres, colleague]))) == 3


@pytest.mark.parametrize("status", ["resolved", "closed"])
def test_resolved_and_closed_issues_are_never_reminded(status):
    assert plan([issue(status=status, owner_id=10, unanswered=9)], owners=[OWNER], managers=[MANAGER]) == []


@pytest.mark.parametrize("status", ["open", "in_progress", "waiting"])
def test_every_unresolved_status_is_reminded(status):
    assert plan([issue(status=status)])


def test_archived_issues_and_issues_without_due_date_are_not_reminded():
    assert plan([issue(is_archived=True), issue(2, due=None)]) == []


def test_owner_gets_a_staff_digest_of_due_and_overdue_issues():
    planned = plan(
        [
            issue(1, owner_id=10, due=date(2020, 9, 1)),
            issue(2, owner_id=10, due=date(2020, 10, 6)),
            issue(3, owner_id=10, due=date(2020, 12, 1)),
        ],
        owners=[OWNER],
    )
    staff = [p for p in planned if p.kind == "staff_digest"]
    assert [(p.recipient_email, p.issue_ids, p.user_id) for p in staff] == [("owner@kpu.example.org", (1, 2), 10)]


def test_inactive_owner_gets_nothing():
    owner = Recipient(10, "owner@kpu.example.org", wants_reminders=False)
    assert recipients(plan([issue(owner_id=10)], owners=[owner]), "staff_digest") == []


@pytest.mark.parametrize("unanswered,escalated", [(0, False), (2, False), (3, True), (5, True)])
def test_escalation_to_managers_after_n_unanswered_reminders(unanswered, escalated):
    planned = plan([issue(unanswered=unanswered)], managers=[MANAGER])
    assert recipients(planned, "escalation") == (["manager@kpu.example.org"] if escalated else [])


def test_escalation_threshold_follows_the_priority_and_zero_means_never():
    assert recipients(plan([issue(priority="critical", unanswered=2)], managers=[MANAGER]), "escalation")
    never = Policy(rules={**DEFAULT_RULES, "normal": Rule(2, 3, 0)})
    assert not recipients(plan([issue(unanswered=9)], managers=[MANAGER], policy=never), "escalation")


def test_escalation_digest_groups_issues_per_manager():
    planned = plan([issue(1, unanswered=3), issue(2, unanswered=4), issue(3, unanswered=1)], managers=[MANAGER])
    escalations = [p for p in planned if p.kind == "escalation"]
    assert [(p.recipient_email, p.issue_ids, p.language) for p in escalations] == [
        ("manager@kpu.example.org", (1, 2), "en")
    ]


def test_daily_cap_one_delivery_per_recipient_and_kind_per_day():
    history = History(taken={("alice@example.org", "digest", "2020-10-05")})
    planned = plan([issue(1), issue(2, contacts=(1, 2))], history=history)
    assert recipients(planned) == ["bob@example.org"]


def test_daily_cap_is_per_day():
    history = History(taken={("alice@example.org", "digest", "2020-10-02")})
    assert recipients(plan([issue()], history=history)) == ["alice@example.org"]


def test_planner_reads_no_clock_same_input_same_output():
    issues = [issue(1, contacts=(1, 2), owner_id=10, unanswered=3), issue(2, due=date(2020, 9, 30))]
    args = dict(owners=[OWNER], managers=[MANAGER])
    assert plan(issues, **args) == plan(issues, **args)
    assert plan(issues, now=MONDAY_9 + timedelta(days=5), **args) == []  # Saturday
