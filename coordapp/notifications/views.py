"""The inbox (/inbox/): my notifications, opening one, marking read; watching an issue."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordapp.auth.access import login_required
from coordapp.core.time import utcnow
from coordapp.core.urls import safe_next
from coordapp.extensions import db
from coordapp.issues.models import Issue
from coordapp.notifications import bp, services, texts
from coordapp.notifications.models import Notification


def _mine_or_404(notification_id: int) -> Notification:
    """Return the current user's notification; another user's (or one they may not read) is not found."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or not services.may_read(current_user, notification):
        abort(404)
    return notification


@bp.get("/")
@login_required
def inbox():
    """List my notifications, newest first, the unread ones marked."""
    page = services.inbox_page(current_user, request.args.get("page", 1, type=int))
    items = [n for n in page.items if services.may_read(current_user, n)]
    return render_template("notifications/inbox.html", page=page, items=items, text=texts.text, excerpt=texts.excerpt)


@bp.get("/<int:notification_id>", endpoint="open")
@login_required
def open_item(notification_id: int):
    """Open a notification's item (the issue at its entry, or the commitment) and mark it read."""
    notification = _mine_or_404(notification_id)
    services.mark_read(notification, utcnow())
    target = texts.target(notification)
    db.session.commit()
    return redirect(target)


@bp.post("/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int):
    """Mark one notification read."""
    services.mark_read(_mine_or_404(notification_id), utcnow())
    db.session.commit()
    return redirect(safe_next("notifications.inbox"))


@bp.post("/read")
@login_required
def mark_all_read():
    """Mark all my notifications read."""
    count = services.mark_all_read(current_user, utcnow())
    db.session.commit()
    if count:
        flash(_("All notifications are marked read."), "success")
    return redirect(url_for("notifications.inbox"))


@bp.post("/issues/<int:issue_id>/watch")
@login_required
def watch(issue_id: int):
    """Watch an issue (or stop watching it, with watching=0): status moves come to my inbox."""
    issue = db.get_or_404(Issue, issue_id)
    watching = request.form.get("watching", "1") != "0"
    services.set_watching(issue, current_user, watching)
    db.session.commit()
    flash(_("You watch this issue.") if watching else _("You no longer watch this issue."), "success")
    return redirect(url_for("issues.detail", issue_id=issue.id))
