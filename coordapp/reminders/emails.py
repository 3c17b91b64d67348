"""Render a delivery into its subject, text and HTML, in the recipient's language."""

from dataclasses import dataclass
from datetime import date, datetime

from flask import render_template
from flask_babel import force_locale, ngettext
from sqlalchemy import func, select
from werkzeug.routing import BuildError

from coordapp.core.time import to_local
from coordapp.core.urls import external_url
from coordapp.core.validation import one_line
from coordapp.core.visibility import STAFF, Reader, contact_reader, entry_clause
from coordapp.extensions import db
from coordapp.issues.models import FollowUp, Issue, issue_contacts
from coordapp.reminders.models import ReminderDelivery
from coordapp.stakeholders.models import Contact

TEMPLATES = {
    "digest": "email/reminder_digest",
    "staff_digest": "email/staff_digest",
    "escalation": "email/escalation",
    "assignment": "email/assignment",
    "reply_notice": "email/reply_notice",
}


@dataclass
class Rendered:
    subject: str
    text: str
    html: str
    unsubscribe_url: str | None = None


def _last_follow_ups(issue_ids: list[int], reader: Reader) -> dict[int, FollowUp]:
    """Return each issue's newest entry that reader may read (one query, whatever the number of issues)."""
    newest = (
        select(func.max(FollowUp.id))
        .where(
            FollowUp.issue_id.in_(issue_ids),
            FollowUp.kind != "reminder",
            entry_clause(reader, FollowUp, issue_contacts, Contact),
        )
        .group_by(FollowUp.issue_id)
    )
    rows = db.session.execute(select(FollowUp).where(FollowUp.id.in_(newest))).scalars()
    return {f.issue_id: f for f in rows}


def issue_url(issue_id: int) -> str:
    """Return the staff page of an issue, absolute."""
    try:
        return external_url("issues.detail", issue_id=issue_id)
    except BuildError:  # the issues pages are not registered in this app
        return external_url("elections.home")


def issue_rows(issues, locale: str, now: datetime, day: date | None = None, *, reader: Reader) -> list[dict]:
    """Describe each issue for an email or the reply page, with the newest entry reader may read (core.visibility)."""
    last = _last_follow_ups([i.id for i in issues], reader) if issues else {}
    rows = []
    for issue in issues:
        today = day or to_local(now, issue.election.timezone).date()
        overdue = (today - issue.due_date).days if issue.due_date else None
        rows.append(
            {
                "issue": issue,
                "stage": issue.stage.display_name(locale) if issue.stage else "",
                "due_date": issue.due_date,
                "days_overdue": overdue,
                "last": last.get(issue.id),
                "url": issue_url(issue.id),
            }
        )
    return rows


def _planned_day(delivery: ReminderDelivery) -> date | None:
    """Return the local day a digest was planned for (its window key), so its figures match that day."""
    try:
        return date.fromisoformat(delivery.window_key)
    except ValueError:
        return None


def _election_names(issues) -> str:
    names = []
    for issue in issues:
        if issue.election.name not in names:
            names.append(issue.election.name)
    return ", ".join(names)


def subject_line(kind: str, count: int, elections: str, extra: dict | None = None, numbers=()) -> str:
    """Return the subject of an email of this kind about count issues, in the current locale.

    An email about one issue names its number (numbers: the issues' ids), as a reply quotes it: "#66".
    """
    extra = extra or {}
    if kind == "digest":
        text = ngettext("%(num)d issue awaits your follow-up", "%(num)d issues await your follow-up", count)
    elif kind == "staff_digest":
        text = ngettext("%(num)d of your issues is due", "%(num)d of your issues are due", count)
    elif kind == "escalation":
        text = ngettext(
            "%(num)d issue without a stakeholder reply", "%(num)d issues without a stakeholder reply", count
        )
    elif kind == "assignment":
        text = ngettext("You are responsible for a new issue", "You are responsible for %(num)d new issues", count)
    else:
        text = ngettext(
            "%(name)s replied on %(num)d issue",
            "%(name)s replied on %(num)d issues",
            count,
            name=extra.get("replier", ""),
        )
    if count == 1 and len(numbers) == 1:
        text = f"{text} #{numbers[0]}"
    # One line whatever the names hold: a line break in a contact's name (saved before names were checked)
    # would otherwise make every send of this email fail.
    return one_line(f"{text} - {elections}" if elections else text)


def commitment_subject(count: int, elections: str) -> str:
    """Return the subject of a digest that lists only commitments, in the current locale."""
    text = ngettext("%(num)d commitment awaits your follow-up", "%(num)d commitments await your follow-up", count)
    return f"{text} - {elections}" if elections else text


def _reply_facts(delivery: ReminderDelivery) -> dict:
    """Return the reply a reply notice reports (its window key names the reply's first entry)."""
    if delivery.kind != "reply_notice":
        return {}
    entry = db.session.get(FollowUp, int(delivery.window_key.rpartition("-")[2]))
    if entry is None:
        return {"replier": "", "reply": None}
    contact = entry.author_contact
    done = db.session.execute(  # the issues the contact ticked "done" on in this reply (its entries share a time)
        select(Issue.title)
        .join(FollowUp, FollowUp.issue_id == Issue.id)
        .where(
            FollowUp.kind == "stakeholder_reply",
            FollowUp.author_contact_id == entry.author_contact_id,
            FollowUp.created_dt == entry.created_dt,
            FollowUp.action_done_dt.is_not(None),
            FollowUp.issue_id.in_([i.id for i in delivery.issues]),
        )
        .order_by(Issue.id)
    ).scalars()
    return {
        "replier": f"{contact.name} ({contact.organization.label})" if contact else "",
        "reply": entry,
        "reported_done": list(done),
    }


def reader_of(delivery: ReminderDelivery) -> Reader:
    """Return who reads a delivery: its contact, or staff (owners, managers)."""
    return contact_reader(delivery.contact) if delivery.contact is not None else STAFF


def render_delivery(
    delivery: ReminderDelivery,
    now: datetime,
    *,
    reply_url: str | None = None,
    unsubscribe_url: str | None = None,
    issue_reply_addresses: dict[int, str] | None = None,
) -> Rendered:
    """Render a delivery in its language from what its recipient may read, with the contact's personal links."""
    extra = _reply_facts(delivery)
    issues = list(delivery.issues)
    with force_locale(delivery.language or "id"):
        context = {
            "delivery": delivery,
            "recipient": delivery.contact or delivery.user,
            "rows": issue_rows(issues, delivery.language, now, _planned_day(delivery), reader=reader_of(delivery)),
            "reply_url": reply_url,
            "unsubscribe_url": unsubscribe_url,
            "issue_reply_addresses": issue_reply_addresses or {},
            "elections": _election_names(issues),
            "outbox_url": external_url("elections.home"),
            **extra,
        }
        commitments = list(delivery.commitments) if delivery.kind == "digest" else []
        context["commitments"] = commitments
        if commitments and not issues:
            context["elections"] = ", ".join(dict.fromkeys(c.election.name for c in commitments))
            subject = commitment_subject(len(commitments), context["elections"])
        else:
            numbers = [issue.id for issue in issues]
            subject = subject_line(delivery.kind, len(issues), context["elections"], extra, numbers)
        name = TEMPLATES[delivery.kind]
        text = render_template(f"{name}.txt", subject=subject, **context)
        html = render_template(f"{name}.html", subject=subject, **context)
    return Rendered(subject=subject, text=text, html=html, unsubscribe_url=unsubscribe_url)
