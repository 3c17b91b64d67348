"""Issues grouped by stage (on screen and on paper) and the saved filters that open them."""

from dataclasses import replace
from urllib.parse import urlencode

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from coordapp.auth.access import role_required
from coordapp.core.conditional import revalidated
from coordapp.core.time import local_today
from coordapp.dashboard import bp, services, stage_lists
from coordapp.dashboard.forms import SavedFilterForm
from coordapp.elections import services as elections
from coordapp.extensions import db
from coordapp.issues import listing
from coordapp.issues.filters import IssueFilter


def _list_page(issue_filter: IssueFilter, form: SavedFilterForm | None = None, printing: bool = False):
    """Render the grouped list of issue_filter (the election defaults to the active one)."""
    election = elections.chosen_election(issue_filter.election_id)
    if election is None:
        return render_template("dashboard/no_election.html")
    issue_filter = replace(issue_filter, election_id=election.id)
    per_stage = stage_lists.PRINT_PER_STAGE if printing else stage_lists.PER_STAGE
    today = local_today(election.timezone)
    groups = stage_lists.grouped_issues(issue_filter, election, today, per_stage)
    context = {"f": issue_filter, "election": election, "groups": groups, "per_stage": per_stage, "today": today}
    if printing:
        return render_template("dashboard/stage_issues_print.html", **context)
    mine, shared = services.visible_filters(current_user)
    form = form or SavedFilterForm(user_id=current_user.id, formdata=None)
    form.query.data = urlencode(issue_filter.to_args(), doseq=True)
    return render_template(
        "dashboard/stage_issues.html",
        **context,
        form=form,
        mine=mine,
        shared=shared,
        options=listing.filter_options(issue_filter),
    )


@bp.get("/issues")
@role_required("manager")
@revalidated
def stage_issues():
    """List the filtered issues grouped by stage, with the saved filters beside them."""
    return _list_page(IssueFilter.from_args(request.args))


@bp.get("/issues/print")
@role_required("manager")
def stage_issues_print():
    """Show the grouped list laid out for paper."""
    return _list_page(IssueFilter.from_args(request.args), printing=True)


@bp.get("/filters")
@role_required("manager")
def saved_filters():
    """List the user's saved filters, to rename, share or delete them, and the shared ones."""
    return _filters_page()


def _filters_page(edited: SavedFilterForm | None = None, edited_id: int | None = None):
    mine, shared = services.visible_filters(current_user)
    forms = {
        s.id: SavedFilterForm(user_id=current_user.id, filter_id=s.id, obj=s, prefix=f"f{s.id}", formdata=None)
        for s in mine
    }
    if edited is not None:
        forms[edited_id] = edited
    described = services.describe_filters(mine + shared, str(get_locale()))
    return render_template("dashboard/saved_filters.html", mine=mine, shared=shared, forms=forms, described=described)


@bp.post("/filters")
@role_required("manager")
def save_filter():
    """Save the filter being looked at under a name."""
    form = SavedFilterForm(user_id=current_user.id)
    issue_filter = services.filter_from_query(form.query.data)
    if not form.validate():
        return _list_page(issue_filter, form=form), 422
    saved = services.save_filter(current_user, form.name.data, issue_filter, form.is_shared.data)
    db.session.commit()
    flash(_('Filter "%(name)s" saved.', name=saved.name), "success")
    return redirect(url_for("dashboard.stage_issues", **issue_filter.to_args()))


@bp.get("/filters/<int:filter_id>")
@role_required("manager")
def open_filter(filter_id: int):
    """Open the grouped list with a saved filter (the user's own or a shared one)."""
    saved = services.visible_filter(current_user, filter_id) or abort(404)
    return redirect(url_for("dashboard.stage_issues", **services.issue_filter(saved).to_args()))


def _own_filter(filter_id: int):
    saved = services.visible_filter(current_user, filter_id)
    if saved is None:
        abort(404)
    if saved.user_id != current_user.id:
        abort(403)  # a shared filter is for using, not for changing
    return saved


@bp.post("/filters/<int:filter_id>/edit")
@role_required("manager")
def edit_filter(filter_id: int):
    """Rename one of the user's saved filters and set whether it is shared."""
    saved = _own_filter(filter_id)
    form = SavedFilterForm(user_id=current_user.id, filter_id=saved.id, prefix=f"f{saved.id}")
    if not form.validate():
        return _filters_page(form, saved.id), 422
    services.update_filter(saved, form.name.data, form.is_shared.data)
    db.session.commit()
    flash(_("Filter saved."), "success")
    return redirect(url_for("dashboard.saved_filters"))


@bp.post("/filters/<int:filter_id>/delete")
@role_required("manager")
def delete_filter(filter_id: int):
    """Delete one of the user's saved filters."""
    services.delete_filter(_own_filter(filter_id))
    db.session.commit()
    flash(_("Filter deleted."), "success")
    return redirect(url_for("dashboard.saved_filters"))
