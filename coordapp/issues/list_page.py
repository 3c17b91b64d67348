"""The one issue list's page: the filter in words as removable chips, the folded filter form, the rows.

Managers also find the saved filters, "save this filter" and the exports on it; those belong to
the dashboard, above this feature, which adds them through ``core.lookups.ISSUE_LIST_TOOLS``.
"""

from dataclasses import dataclass, replace
from datetime import date

from flask import render_template, request, url_for
from flask_babel import get_locale

from coordapp.core import lookups
from coordapp.core.page_cache import shared_value
from coordapp.core.time import local_today
from coordapp.issues import listing
from coordapp.issues.filters import FilterProblem, IssueFilter, conditions

PRINT_SIZE = 300  # issues on paper; beyond that, export


@dataclass
class Chip:
    """One condition of the filter in words, with the list's address without it."""

    field: str
    text: str
    remove_url: str


def list_url(issue_filter: IssueFilter) -> str:
    """Return the address of the list filtered by issue_filter."""
    return url_for("issues.index", **issue_filter.to_args())


def chips(issue_filter: IssueFilter) -> list[Chip]:
    """Return the filter's conditions as chips, each linking to the list without that one condition."""
    return [Chip(name, words, list_url(rest)) for name, words, rest in conditions(issue_filter, str(get_locale()))]


def everything(issue_filter: IssueFilter) -> IssueFilter:
    """Return the filter with every condition dropped (the sort kept): all statuses, all issues."""
    return replace(IssueFilter(), status=[], sort=issue_filter.sort)


def shared_facet_counts(issue_filter: IssueFilter, today: date) -> dict:
    """Return the filter's counts (listing.facet_counts), counted once per data version for every reader."""
    args = sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in issue_filter.to_args().items())
    parts = ("facet_counts", tuple(args), today)
    return shared_value(parts, lambda: listing.facet_counts(issue_filter, today))


def render_list(issue_filter: IssueFilter, problems: list[FilterProblem] = (), tools_form=None, status: int = 200):
    """Render the list for issue_filter, the problems of its query beside the filter (then answered 400).

    tools_form: the managers' "save this filter" form, refused, to show again with its errors.
    """
    options = listing.filter_options(issue_filter)
    today = local_today(options.timezone)
    page = listing.fetch_page(issue_filter, today, request.args.get("after"), request.args.get("before"))
    counts = shared_facet_counts(issue_filter, today)
    tools = lookups.ask(lookups.ISSUE_LIST_TOOLS, issue_filter, tools_form, default={})
    context = {
        "f": issue_filter,
        "page": page,
        "today": today,
        "options": options,
        "counts": counts,
        "total": counts["total"],
        "chips": chips(issue_filter),
        "clear_url": list_url(everything(issue_filter)),
        "problems": problems,
        "tools": tools,
    }
    return render_template("issues/index.html", **context), 400 if problems and status == 200 else status


def render_print(issue_filter: IssueFilter, problems: list[FilterProblem] = ()):
    """Render the list laid out for paper, headed with its filter in words (at most PRINT_SIZE issues)."""
    options = listing.filter_options(issue_filter)
    today = local_today(options.timezone)
    page = listing.fetch_page(issue_filter, today, size=PRINT_SIZE)
    total = shared_facet_counts(issue_filter, today)["total"]
    context = {
        "f": issue_filter,
        "rows": page.rows,
        "today": today,
        "total": total,
        "chips": chips(issue_filter),
        "problems": problems,
        "print_size": PRINT_SIZE,
    }
    return render_template("issues/print.html", **context), 400 if problems else 200
