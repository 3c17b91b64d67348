"""The issue lists: the one list of every issue (filters, counts, its print view), and "my issues"."""

from flask import render_template, request
from flask_login import current_user

from coordapp.auth.access import login_required
from coordapp.core.conditional import revalidated
from coordapp.core.time import local_today
from coordapp.issues import bp, list_page, listing
from coordapp.issues.filters import IssueFilter
from coordapp.issues.models import UNRESOLVED


@bp.get("/")
@login_required
@revalidated
def index():
    """List issues (unresolved, soonest due first, unless filtered) with the filter in words and keyset pages."""
    issue_filter, problems = IssueFilter.read(request.args)
    return list_page.render_list(issue_filter, problems)


@bp.get("/print")
@login_required
def print_list():
    """Show the filtered list laid out for paper, headed with its filter in words."""
    issue_filter, problems = IssueFilter.read(request.args)
    return list_page.render_print(issue_filter, problems)


@bp.get("/mine")
@login_required
@revalidated
def mine():
    """List the unresolved issues the user owns: overdue first, then by due date."""
    # Among unresolved issues the overdue ones are exactly those due earliest, so "due" puts them first.
    f = IssueFilter(owner=current_user.id, status=list(UNRESOLVED), sort="due")
    today = local_today()
    page = listing.fetch_page(f, today, request.args.get("after"), request.args.get("before"))
    counts = listing.facet_counts(f, today)
    return render_template("issues/mine.html", f=f, page=page, today=today, total=counts["total"], counts=counts)
