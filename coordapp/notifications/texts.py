"""A notification's words and link, built when shown (or mailed) in the reader's language."""

from datetime import date

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _

from coordapp.core.labels import label
from coordapp.core.urls import external_url


def _issue_name(notification) -> str:
    issue = notification.issue
    return f"#{issue.id} {issue.title}" if issue is not None else ""


def text(notification) -> str:
    """Return what a notification says, in the current locale."""
    n, data = notification, notification.data or {}
    actor = n.actor_user.name if n.actor_user is not None else (n.actor_label or "CoordApp")
    issue = _issue_name(n)
    if n.kind == "reply":
        return _("%(actor)s replied on %(issue)s", actor=actor, issue=issue)
    if n.kind == "assigned":
        return _("%(actor)s made you the owner of %(issue)s", actor=actor, issue=issue)
    if n.kind == "status":
        return _(
            "%(actor)s moved %(issue)s from %(old)s to %(new)s",
            actor=actor,
            issue=issue,
            old=label("status", data.get("old") or ""),
            new=label("status", data.get("new") or ""),
        )
    if n.kind == "mention":
        return _("%(actor)s mentioned you on %(issue)s", actor=actor, issue=issue)
    commitment = n.commitment.text if n.commitment is not None else ""
    due = format_date(date.fromisoformat(data["due"])) if data.get("due") else ""
    if n.kind == "commitment_due":
        return _("A commitment is due today (%(due)s): %(text)s", due=due, text=commitment)
    return _("A commitment is overdue since %(due)s: %(text)s", due=due, text=commitment)


def excerpt(notification, length: int = 200) -> str:
    """Return the start of the entry a notification is about (a reply, a comment), or ''."""
    body = (notification.entry.body or "").strip() if notification.entry is not None else ""
    return body if len(body) <= length else body[: length - 1].rstrip() + "…"


def target(notification, external: bool = False) -> str:
    """Return where a notification leads: the issue (at its entry), or the commitment."""
    build = external_url if external else url_for
    if notification.commitment_id is not None and notification.kind.startswith("commitment"):
        return build("commitments.detail", commitment_id=notification.commitment_id)
    if notification.issue_id is None:
        return build("notifications.inbox")
    anchor = f"entry-{notification.entry_id}" if notification.entry_id else None
    if external:
        return external_url("issues.detail", issue_id=notification.issue_id) + (f"#{anchor}" if anchor else "")
    return url_for("issues.detail", issue_id=notification.issue_id, _anchor=anchor)
