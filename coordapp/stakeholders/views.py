"""The organization register: list, page, create, edit, deactivate, and the influence/interest grid."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from coordapp.audit.history import changes_since
from coordapp.audit.services import history_for
from coordapp.auth.access import has_role, role_required
from coordapp.core import locking
from coordapp.core.labels import choices
from coordapp.core.time import local_today
from coordapp.extensions import db
from coordapp.stakeholders import bp, services
from coordapp.stakeholders.forms import OrganizationForm
from coordapp.stakeholders.models import CATEGORIES, Organization

MEETING_LIMIT = 20


@bp.get("/")
@role_required("staff")
def index():
    """List organizations with search, category and active filters, and counts."""
    register_filter = services.RegisterFilter.from_args(request.args)
    page = services.list_organizations(register_filter, current_app.config.get("STAKEHOLDERS_PAGE_SIZE", 50))
    return render_template(
        "stakeholders/index.html",
        page=page,
        filter=register_filter,
        categories=choices("category"),
        category_counts=services.category_counts(register_filter),
        open_counts=services.open_issue_counts([org.id for org in page.items]),
    )


@bp.get("/<int:org_id>")
@role_required("staff")
def organization(org_id: int):
    """Show an organization with its contacts, meetings, open issues and history."""
    org = db.get_or_404(Organization, org_id, options=[selectinload(Organization.contacts)])
    return render_template(
        "stakeholders/organization.html",
        org=org,
        meetings=services.meetings_of(org, MEETING_LIMIT),
        meeting_limit=MEETING_LIMIT,
        issues=services.open_issues_of(org),
        today=local_today(),
        quadrant=services.quadrant,
        history=history_for("organizations", org.id),
    )


def _organization_form_page(org: Organization | None):
    form = OrganizationForm(obj=org, organization=org)
    if not has_role(current_user, "manager"):
        del form.is_active  # (de)activating is the managers' decision
    if not form.validate_on_submit():
        return render_template("stakeholders/organization_form.html", form=form, org=org), 422 if form.errors else 200
    try:
        if org is not None:
            locking.ensure_current(org, form.seen_version)
        saved = services.save_organization(org, form.data_for_service())
        db.session.flush()
        form.saved_as(url_for("stakeholders.organization", org_id=saved.id))
        db.session.commit()
    except locking.CONFLICTS:
        return conflict_page("stakeholders/organization_form.html", form, org, org=org)
    flash(_("Organization %(name)s saved.", name=saved.name), "success")
    return redirect(url_for("stakeholders.organization", org_id=saved.id))


def conflict_page(template: str, form, record, **context):
    """Render a register form again (409) with what changed since it was opened and the user's entries."""
    db.session.rollback()
    conflict = changes_since(record.__tablename__, record.id, form.seen_version)
    form.version.data = record.version  # saving again now is a deliberate choice
    return render_template(template, form=form, conflict=conflict, **context), 409


@bp.route("/new", methods=["GET", "POST"])
@role_required("staff")
def create_organization():
    """Add an organization to the register."""
    return _organization_form_page(None)


@bp.route("/<int:org_id>/edit", methods=["GET", "POST"])
@role_required("staff")
def edit_organization(org_id: int):
    """Edit an organization's name, category, influence, interest and notes."""
    return _organization_form_page(db.get_or_404(Organization, org_id))


def change_active(item, active: bool, message: str, target: str):
    """Deactivate or reactivate an organization or contact, commit, say so and go to its page."""
    services.set_active(item, active)
    db.session.commit()
    flash(message, "success")
    return redirect(target)


@bp.post("/<int:org_id>/deactivate")
@role_required("manager")
def deactivate_organization(org_id: int):
    """Archive an organization: it leaves the list and the grid, nothing is deleted."""
    org = db.get_or_404(Organization, org_id)
    return change_active(
        org,
        False,
        _("Organization %(name)s deactivated. A manager can reactivate it.", name=org.name),
        url_for("stakeholders.organization", org_id=org.id),
    )


@bp.post("/<int:org_id>/reactivate")
@role_required("manager")
def reactivate_organization(org_id: int):
    """Bring a deactivated organization back."""
    org = db.get_or_404(Organization, org_id)
    return change_active(
        org,
        True,
        _("Organization %(name)s reactivated.", name=org.name),
        url_for("stakeholders.organization", org_id=org.id),
    )


@bp.get("/grid")
@role_required("staff")
def grid():
    """Show the influence/interest grid with every active organization in its cell."""
    category = request.args.get("category", "")
    category = category if category in CATEGORIES else ""
    organizations = services.grid_organizations(category)
    return render_template(
        "stakeholders/grid.html",
        cells=services.grid(organizations),
        organizations=organizations,
        quadrant=services.quadrant,
        category=category,
        categories=choices("category"),
    )
