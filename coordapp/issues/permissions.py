"""Who may do what with an issue: the one place these rules live (views and templates ask here).

Staff create issues and edit those they own or created; managers and admins edit every
issue, reassign across owners and archive. Every staff member may add follow-ups to a
live issue (colleagues chase issues together). An archived issue is read-only until a
manager restores it.
"""

from coordapp.auth.access import has_role


def can_create(user) -> bool:
    """Tell whether user may raise a new issue."""
    return has_role(user, "staff")


def is_manager(user) -> bool:
    """Tell whether user has a manager's rights (managers and admins)."""
    return has_role(user, "manager")


def can_edit(user, issue) -> bool:
    """Tell whether user may change the issue's fields and move its status."""
    if issue.is_archived or not has_role(user, "staff"):
        return False
    return is_manager(user) or user.id in (issue.owner_id, issue.created_by_id)


def can_change_status(user, issue) -> bool:
    """Tell whether user may move the issue along the workflow."""
    return can_edit(user, issue)


def can_follow_up(user, issue) -> bool:
    """Tell whether user may add a comment or an action to the issue's timeline."""
    return has_role(user, "staff") and not issue.is_archived


def can_tick_action(user, entry) -> bool:
    """Tell whether user may mark an action done or not done (its author or an issue editor)."""
    if entry.kind != "action" or entry.issue.is_archived:
        return False
    return can_edit(user, entry.issue) or (has_role(user, "staff") and entry.author_user_id == user.id)


def can_reassign(user) -> bool:
    """Tell whether user may give an issue to any owner (not only to themselves)."""
    return is_manager(user)


def owner_allowed(user, issue, new_owner_id: int | None) -> bool:
    """Tell whether user may set the issue's owner to new_owner_id (issue None when creating)."""
    if can_reassign(user):
        return True
    current = issue.owner_id if issue is not None else None
    return new_owner_id in (current, user.id)


def can_archive(user, issue) -> bool:
    """Tell whether user may archive the issue (managers, live issues)."""
    return is_manager(user) and not issue.is_archived


def can_restore(user, issue) -> bool:
    """Tell whether user may bring the issue back from the archive."""
    return is_manager(user) and issue.is_archived


def rights(user, issue) -> dict[str, bool]:
    """Return every right user holds on issue, for templates."""
    return {
        "edit": can_edit(user, issue),
        "status": can_change_status(user, issue),
        "follow_up": can_follow_up(user, issue),
        "archive": can_archive(user, issue),
        "restore": can_restore(user, issue),
        "reassign": can_reassign(user),
    }
