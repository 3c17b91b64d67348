"""The issue lists: every issue with filters and counts, and "my issues"."""

from flask import render_template, request
from flask_login import current_user

from coordapp.auth.access import login_required
from coordapp.core.conditional import revalidated
from coordapp.core.time import local_today
from coordapp.issues import bp, listing
from coordapp.issues.filters import IssueFilter
from coordapp.issues.models import UNRESOLVED


@bp.get("/")
@login_required
@revalidated
def index():
    """List issues with filters, sorting, counts per filter value and keyset pagination."""
    f = IssueFilter.from_args(request.args)
    options = listing.filter_options(f)
    today = local_today(options.timezone)
    page = listing.fetch_page(f, today, request.args.get("after"), request.args.get("before"))
    counts = listing.facet_counts(f, today)
    return render_template(
        "issues/index.html", f=f, page=page, today=today, options=options, total=counts["total"], counts=counts
    )


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
