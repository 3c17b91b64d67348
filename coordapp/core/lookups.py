"""Questions a lower feature asks and a higher feature answers, so the lower one never imports the higher.

The stakeholder register shows an organization's meetings and open issues; the elections home
shows each stage's meetings and issues. Meetings and issues sit above both, so they answer
here from their ``init_app`` (``answer(name, query)``) and the lower feature calls
``ask(name, ...)``, getting ``default`` when no feature answers.
"""

from collections.abc import Callable

MEETINGS_OF_ORGANIZATION = "meetings_of_organization"  # (organization, limit) -> [Meeting]
MEETING_COUNTS_BY_STAGE = "meeting_counts_by_stage"  # (election) -> {stage_id: n}
OPEN_ISSUES_OF_ORGANIZATION = "open_issues_of_organization"  # (organization) -> [Issue]
OPEN_ISSUES_OF_CONTACT = "open_issues_of_contact"  # (contact) -> [Issue]
OPEN_ISSUE_COUNTS = "open_issue_counts"  # ([organization id]) -> {organization_id: n}
ISSUE_COUNTS_BY_STAGE = "issue_counts_by_stage"  # (election) -> {stage_id: (open, resolved)}
# The issue list's tools a higher feature adds (dashboard: saved filters, "save this filter", CSV/XLSX export):
# (issue_filter, saved-filter form or None) -> Markup, empty for a reader who may not use them.
ISSUE_LIST_TOOLS = "issue_list_tools"
# Issue references (#66) in Markdown: ([issue id], reader) -> {id: (href, title)}; an id missing stays plain text.
ISSUE_REFERENCES = "issue_references"
# The public portal's page: (template, cache key, context function) -> a cookie-free, cached, cacheable response
# in the portal's frame (coordapp.public.portal.page). Public pages of a lower feature (reports) answer through it.
PORTAL_PAGE = "portal_page"
# What else a revalidated staff page shows of the reader (core.conditional): () -> tuple (the header's unread count)
PAGE_VERSION = "page_version"
# The home page's parts for one reader, above the stage table: (user, election, today) -> [{"template": ..., ...}]
HOME_PANELS = "home_panels"
# A notification email in the outbox (kinds reminders.models.NOTICE_KINDS), answered by the notifications feature:
NOTICE_RELEVANT = "notice_relevant"  # (delivery) -> bool: still something its user may read
NOTICE_EMAIL = "notice_email"  # (delivery, now) -> an object with subject, text, html (reminders.emails.Rendered)

_answers: dict[str, Callable] = {}


def answer(name: str, query: Callable) -> None:
    """Let query answer the question name (a higher feature calls this from its init_app)."""
    _answers[name] = query


def ask(name: str, *args, default=None):
    """Return the answer to the question name, or default when no feature answers it."""
    query = _answers.get(name)
    return default if query is None else query(*args)
