"""Publishing a meeting or an issue on the portal: the rules, and what follows a publication.

Staff write a public title and summary and may propose them; managers (and admins) publish
and unpublish. Nothing is public by default. Whoever publishes, and when, is stamped on the
record, and the audit trail (a flush listener on audited models) records the change with its
actor. Whatever path changes a published record (this service, the meeting form's box, the
demo), the listeners below stamp the publication and bump the portal's cache version after
the commit, so the portal, the feeds and the open data read the new state at once.
"""

from flask import has_app_context
from flask_babel import gettext as _
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from coordapp.auth.access import has_role
from coordapp.core.time import utcnow
from coordapp.issues.models import Issue
from coordapp.meetings.models import Meeting
from coordapp.public import cache
from coordapp.reports.models import PUBLISHED, ReportVersion

PUBLISHABLE = (Meeting, Issue)
TITLE_MAX = 200
SUMMARY_MAX = 4000


class PublishingError(Exception):
    """A publishing step was refused; errors maps a field to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def can_propose(user) -> bool:
    """Tell whether user may write a record's public text and propose it (staff and up)."""
    return has_role(user, "staff")


def can_publish(user) -> bool:
    """Tell whether user may publish and unpublish (managers and admins)."""
    return has_role(user, "manager")


def _check_text(title: str, summary: str, required: bool = True) -> dict[str, str]:
    errors = {}
    if not title and required:
        errors["public_title"] = _("Write a public title: the internal title is never shown to the public.")
    elif len(title) > TITLE_MAX:
        errors["public_title"] = _("At most %(n)s characters.", n=TITLE_MAX)
    if len(summary) > SUMMARY_MAX:
        errors["public_summary"] = _("At most %(n)s characters.", n=SUMMARY_MAX)
    return errors


def save_public_text(record, title: str, summary: str, propose: bool = False) -> None:
    """Store a record's public title and summary; propose it for publication when asked."""
    title, summary = title.strip(), summary.strip()
    errors = _check_text(title, summary, required=propose or record.is_public)
    if errors:
        raise PublishingError(errors)
    record.public_title, record.public_summary = title, summary
    if propose and not record.is_public:
        record.publish_proposed = True


def publish(record, actor, title: str, summary: str) -> None:
    """Publish a record with this public text (managers): it appears on the portal after the commit."""
    if not can_publish(actor):
        raise PublishingError({"publish": _("Only managers may publish.")})
    if record.is_archived:
        raise PublishingError({"publish": _("An archived record cannot be published.")})
    title, summary = title.strip(), summary.strip()
    errors = _check_text(title, summary)
    if errors:
        raise PublishingError(errors)
    record.public_title, record.public_summary = title, summary
    record.is_public = True
    record.published_dt, record.published_by_id = utcnow(), actor.id
    record.publish_proposed = False


def unpublish(record, actor) -> None:
    """Take a record off the portal (managers); its public text is kept for a later publication."""
    if not can_publish(actor):
        raise PublishingError({"publish": _("Only managers may unpublish.")})
    record.is_public = False
    record.publish_proposed = False


def apply(action: str, record, actor, title: str, summary: str) -> None:
    """Do what a button of the publishing form asks: save, propose, publish or unpublish."""
    if action == "publish":
        publish(record, actor, title, summary)
    elif action == "unpublish":
        unpublish(record, actor)
    else:
        save_public_text(record, title, summary, propose=action == "propose")


def _touches_public(obj) -> bool:
    """Tell whether a flush changes what the portal shows of obj (a report: a version published or withdrawn)."""
    if isinstance(obj, ReportVersion):
        status = inspect(obj).attrs.status.history
        return PUBLISHED in (*status.added, *status.deleted)
    if not isinstance(obj, PUBLISHABLE):
        return False
    state = inspect(obj)
    if state.attrs.is_public.history.has_changes():
        return True
    return bool(obj.is_public)  # any change to a published record (status, text, stage ...) shows


@event.listens_for(Session, "before_flush")
def _stamp_publications(session: Session, flush_context, instances) -> None:
    """Stamp a record published by any path (the meeting form's box, the demo), and note the change."""
    if any(isinstance(obj, PUBLISHABLE) and obj.is_public for obj in session.deleted):
        session.info["public_changed"] = True
    for obj in [*session.new, *session.dirty]:
        if not _touches_public(obj):
            continue
        session.info["public_changed"] = True
        if isinstance(obj, PUBLISHABLE) and obj.is_public and obj.published_dt is None:
            obj.published_dt = utcnow()


@event.listens_for(Session, "after_commit")
def _bump_after_commit(session: Session) -> None:
    if session.info.pop("public_changed", False) and has_app_context():
        cache.bump_version()


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session: Session) -> None:
    session.info.pop("public_changed", None)
