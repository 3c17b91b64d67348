"""The managers' tools on the one issue list (saved filters, "save this filter", exports), and the old addresses.

The issue list is ``issues.index`` (``/issues/``); the dashboard adds its tools to it through
``core.lookups.ISSUE_LIST_TOOLS``. The grouped list that lived at ``/dashboard/issues`` is gone:
its addresses (bookmarks, links in old emails) redirect to the same filter on the one list.
"""

from dataclasses import replace
from urllib.parse import urlencode

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from coordapp.auth.access import has_role, role_required
from coordapp.core import lookups
from coordapp.dashboard import bp, services
from coordapp.dashboard.forms import SavedFilterForm
from coordapp.elections import services as elections
from coordapp.extensions import db
from coordapp.issues.filters import IssueFilter
from coordapp.issues.list_page import render_list


def list_tools(issue_filter: IssueFilter, form: SavedFilterForm | None = None) -> dict:
    """Return the managers' parts of the issue list: export links beside its title, saved filters below the filter."""
    if not has_role(current_user, "manager"):
        return {}
    mine, shared = services.visible_filters(current_user)
    form = form or SavedFilterForm(user_id=current_user.id, formdata=None)
    form.query.data = urlencode(issue_filter.to_args(), doseq=True)
    context = {"f": issue_filter, "form": form, "mine": mine, "shared": shared}
    return {
        "actions": Markup(render_template("dashboard/_list_actions.html", **context)),
        "panel": Markup(render_template("dashboard/_list_tools.html", **context)),
    }


def answer_lookups() -> None:
    """Add the managers' tools to the issue list."""
    lookups.answer(lookups.ISSUE_LIST_TOOLS, list_tools)


def _redirect_old(endpoint: str):
    """Redirect a query of the old grouped list to endpoint: no status meant every status, no election the active one.

    Permanent (301) when the query names its election; when the active election was filled in, the
    target changes with it, so the redirect is temporary (302) and no browser keeps it.
    """
    issue_filter = IssueFilter.from_args(request.args, legacy=True)
    code = 301
    if issue_filter.election_id is None and (election := elections.chosen_election(None)) is not None:
        issue_filter, code = replace(issue_filter, election_id=election.id), 302
    return redirect(url_for(endpoint, **issue_filter.to_args()), code)


@bp.get("/issues")
@role_required("manager")
def stage_issues():
    """Send an old address of the grouped list to the same filter on the one issue list."""
    return _redirect_old("issues.index")


@bp.get("/issues/print")
@role_required("manager")
def stage_issues_print():
    """Send an old address of the grouped list's print view to the one list's print view."""
    return _redirect_old("issues.print_list")


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
        return render_list(issue_filter, tools_form=form, status=422)
    saved = services.save_filter(current_user, form.name.data, issue_filter, form.is_shared.data)
    db.session.commit()
    flash(_('Filter "%(name)s" saved.', name=saved.name), "success")
    return redirect(url_for("issues.index", **issue_filter.to_args()))


@bp.get("/filters/<int:filter_id>")
@role_required("manager")
def open_filter(filter_id: int):
    """Open the issue list with a saved filter (the user's own or a shared one)."""
    saved = services.visible_filter(current_user, filter_id) or abort(404)
    return redirect(url_for("issues.index", **services.issue_filter(saved).to_args()))


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
