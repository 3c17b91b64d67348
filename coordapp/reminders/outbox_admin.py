"""Rules behind the admin pages: outbox filters, previews, resending, and saving the policy."""

from dataclasses import dataclass

from sqlalchemy import func

from coordapp.core.time import utcnow
from coordapp.core.urls import external_url
from coordapp.extensions import db
from coordapp.issues.models import PRIORITIES
from coordapp.reminders import meeting_emails
from coordapp.reminders.emails import Rendered, render_delivery
from coordapp.reminders.meeting_emails import RSVP_KINDS
from coordapp.reminders.models import DELIVERY_KINDS, DELIVERY_STATUSES, MEETING_KINDS, ReminderDelivery
from coordapp.reminders.outbox import enqueue_after_commit
from coordapp.reminders.policy import load_policy, stored_policy

__all__ = ["PRIORITIES", "OutboxFilter", "preview", "requeue_failed", "policy_form_data", "save_policy"]


@dataclass
class OutboxFilter:
    """The outbox page's filters, read from the query string."""

    status: str = ""
    kind: str = ""
    recipient: str = ""

    @classmethod
    def from_args(cls, args) -> "OutboxFilter":
        """Read the filters, ignoring unknown values."""
        status = args.get("status", "")
        kind = args.get("kind", "")
        return cls(
            status=status if status in DELIVERY_STATUSES else "",
            kind=kind if kind in DELIVERY_KINDS else "",
            recipient=(args.get("recipient") or "").strip().lower()[:254],
        )

    def apply(self, query):
        """Add the filters and the newest-first order to a select of deliveries."""
        if self.status:
            query = query.where(ReminderDelivery.status == self.status)
        if self.kind:
            query = query.where(ReminderDelivery.kind == self.kind)
        if self.recipient:
            query = query.where(ReminderDelivery.recipient_email.contains(self.recipient, autoescape=True))
        return query.order_by(ReminderDelivery.created_dt.desc(), ReminderDelivery.id.desc())


def status_counts() -> dict[str, int]:
    """Count deliveries per status."""
    rows = db.session.execute(db.select(ReminderDelivery.status, func.count()).group_by(ReminderDelivery.status))
    return dict(rows.tuples().all())


def preview(delivery: ReminderDelivery) -> Rendered:
    """Render a delivery as it would go out now; the personal reply and unsubscribe links are not shown."""
    placeholder = (
        external_url("reminders.reply", token="personal-link-hidden")
        if delivery.kind in ("digest", "assignment")
        else None
    )
    if delivery.kind in MEETING_KINDS:
        hidden = external_url("reminders.rsvp_page", token="personal-link-hidden")
        rsvp = hidden if delivery.kind in RSVP_KINDS else None
        unsubscribe = external_url("reminders.unsubscribe_page", token="personal-link-hidden")
        return meeting_emails.render(delivery, utcnow(), rsvp_url=rsvp, unsubscribe_url=unsubscribe)
    unsubscribe = external_url("reminders.unsubscribe_page", token="personal-link-hidden") if delivery.contact else None
    return render_delivery(delivery, utcnow(), reply_url=placeholder, unsubscribe_url=unsubscribe)


def requeue_failed(delivery: ReminderDelivery) -> bool:
    """Put a failed delivery back to pending and enqueue it after commit; False when it is not failed."""
    if delivery.status != "failed":
        return False
    delivery.status, delivery.enqueued_dt, delivery.claimed_dt = "pending", None, None
    enqueue_after_commit(db.session, delivery.id)
    return True


def policy_form_data() -> dict:
    """Return the policy in force as PolicyForm data."""
    policy = load_policy()
    data = {
        "start_hour": policy.start_hour,
        "end_hour": policy.end_hour,
        "working_days": sorted(policy.working_days),
        "skip_holidays": policy.skip_holidays,
        "meeting_reminder_days": policy.meeting_reminder_days,
    }
    for priority in PRIORITIES:
        rule = policy.rule(priority)
        for name in ("lead_days", "repeat_days", "escalate_after"):
            data[f"{priority}_{name}"] = getattr(rule, name)
    return data


def save_policy(data: dict) -> None:
    """Store PolicyForm data in the policy rows."""
    rules, window = stored_policy()
    window.start_hour, window.end_hour = data["start_hour"], data["end_hour"]
    window.working_days = ",".join(str(d) for d in sorted(set(data["working_days"])))
    window.skip_holidays = bool(data["skip_holidays"])
    if data.get("meeting_reminder_days") is not None:  # left empty: unchanged
        window.meeting_reminder_days = data["meeting_reminder_days"]
    for priority, rule in rules.items():
        for name in ("lead_days", "repeat_days", "escalate_after"):
            setattr(rule, name, data[f"{priority}_{name}"])
