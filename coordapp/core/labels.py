"""Translated labels of the coded values users see (roles, statuses, categories ...)."""

from flask_babel import lazy_gettext as _l

LABELS = {
    "role": {"staff": _l("Staff"), "manager": _l("Manager"), "admin": _l("Administrator")},
    "email_notifications": {
        "immediate": _l("One email per notification"),
        "daily": _l("One digest email a day"),
        "none": _l("No email (the inbox only)"),
    },
    "phase": {"preparation": _l("Preparation"), "implementation": _l("Implementation")},
    "status": {
        "open": _l("Open"),
        "in_progress": _l("In progress"),
        "waiting": _l("Waiting for stakeholder"),
        "resolved": _l("Resolved"),
        "closed": _l("Closed"),
    },
    "priority": {"low": _l("Low"), "normal": _l("Normal"), "high": _l("High"), "critical": _l("Critical")},
    "category": {
        "supervisory": _l("Election supervisory body"),
        "election_body": _l("Election body (upper level)"),
        "government": _l("Local government"),
        "legislature": _l("Legislature"),
        "security": _l("Security"),
        "party": _l("Political party"),
        "candidate_team": _l("Candidate team"),
        "adhoc_body": _l("Ad-hoc body"),
        "media": _l("Media"),
        "civil_society": _l("Civil society"),
        "academia": _l("Academia"),
        "community": _l("Community and religious leaders"),
    },
    "commitment_status": {"open": _l("open"), "done": _l("done"), "dropped": _l("dropped")},
    "meeting_kind": {
        "rakor": _l("Coordination meeting"),
        "audiensi": _l("Audience"),
        "fgd": _l("Focus group discussion"),
        "kunjungan": _l("Field visit"),
        "lainnya": _l("Other"),
    },
    "quadrant": {
        "manage_closely": _l("Manage closely"),
        "keep_satisfied": _l("Keep satisfied"),
        "keep_informed": _l("Keep informed"),
        "monitor": _l("Monitor"),
    },
    "reminder_mode": {"immediate": _l("Immediately and daily"), "daily": _l("Daily digest"), "off": _l("No reminders")},
    "delivery_status": {
        "pending": _l("Waiting to be sent"),
        "sending": _l("Sending"),
        "sent": _l("Sent"),
        "failed": _l("Failed"),
        "cancelled": _l("Cancelled (nothing left to remind)"),
    },
    "delivery_kind": {
        "digest": _l("Stakeholder digest"),
        "staff_digest": _l("Owner digest"),
        "escalation": _l("Escalation"),
        "assignment": _l("New responsibility"),
        "reply_notice": _l("Reply notice"),
        "invitation": _l("Meeting invitation"),
        "meeting_update": _l("Meeting change"),
        "meeting_cancel": _l("Meeting cancellation"),
        "meeting_reminder": _l("Meeting reminder"),
        "minutes": _l("Minutes sent"),
    },
    "follow_up": {
        "comment": _l("Comment"),
        "action": _l("Action"),
        "status_change": _l("Status change"),
        "stakeholder_reply": _l("Stakeholder reply"),
        "reminder": _l("Reminder sent"),
    },
    "report_status": {
        "draft": _l("Draft"),
        "submitted": _l("Submitted for approval"),
        "approved": _l("Approved"),
        "published": _l("Published"),
    },
    "channel": {
        "website": _l("Website"),
        "instagram": _l("Instagram"),
        "facebook": _l("Facebook"),
        "x": _l("X (Twitter)"),
        "whatsapp": _l("WhatsApp group"),
        "press_release": _l("Press release"),
        "radio": _l("Radio"),
        "notice_board": _l("Notice board"),
    },
}


def label(kind: str, value: str | None) -> str:
    """Return the translated label of a coded value (the value itself when unknown)."""
    if value is None:
        return ""
    return str(LABELS.get(kind, {}).get(value, value))


def labels_of(kind: str) -> dict[str, str]:
    """Return {value: translated label} of a kind, translated now (for pages that show it on every row)."""
    return {value: str(text) for value, text in LABELS[kind].items()}


def choices(kind: str) -> list[tuple[str, object]]:
    """Return (value, label) pairs for a select field, in declaration order."""
    return list(LABELS[kind].items())
