"""The marks a route's access rule is written in, for routes anyone may call (see coordapp.auth.access).

They live in core so core's own routes (health check, language switch) can carry them without
importing the auth feature above it.
"""

PUBLIC = "public"  # anyone, logged in or not
ANONYMOUS_LINK = "link"  # anyone holding a signed link (stakeholders)


def mark(view, rule: str):
    """Record the access rule of a view (enforce_access_rules refuses views without one)."""
    view.access_rule = rule
    return view


def public(view):
    """Let anyone call this route."""
    return mark(view, PUBLIC)


def signed_link(view):
    """Let anyone call this route; the view itself checks the token it is given."""
    return mark(view, ANONYMOUS_LINK)
