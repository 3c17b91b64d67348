"""Contacts of an organization: page, create, edit, deactivate."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from coordapp.audit.services import history_for
from coordapp.auth.access import role_required
from coordapp.core import locking
from coordapp.extensions import db
from coordapp.stakeholders import bp, services
from coordapp.stakeholders.forms import ContactForm
from coordapp.stakeholders.models import Contact, Organization
from coordapp.stakeholders.views import change_active, conflict_page


@bp.get("/contacts/<int:contact_id>")
@role_required("staff")
def contact(contact_id: int):
    """Show a contact, their reminder state, their open issues and history."""
    person = db.get_or_404(Contact, contact_id, options=[joinedload(Contact.organization)])
    return render_template(
        "stakeholders/contact.html",
        contact=person,
        issues=services.open_issues_of_contact(person),
        history=history_for("contacts", person.id),
    )


def _contact_form_page(org: Organization, person: Contact | None):
    organizations = (
        db.session.execute(
            db.select(Organization)
            .where((Organization.is_active.is_(True)) | (Organization.id == org.id))
            .order_by(Organization.name)
        )
        .scalars()
        .all()
    )
    form = ContactForm(
        obj=person, contact=person, organizations=organizations, data=None if person else {"organization_id": org.id}
    )
    if not form.validate_on_submit():
        return render_template(
            "stakeholders/contact_form.html", form=form, org=org, contact=person
        ), 422 if form.errors else 200
    try:
        if person is not None:
            locking.ensure_current(person, form.seen_version)
        saved = services.save_contact(person, form.data_for_service())
        db.session.flush()
        form.saved_as(url_for("stakeholders.contact", contact_id=saved.id))
        db.session.commit()
    except locking.CONFLICTS:
        return conflict_page("stakeholders/contact_form.html", form, person, org=org, contact=person)
    flash(_("Contact %(name)s saved.", name=saved.name), "success")
    return redirect(url_for("stakeholders.contact", contact_id=saved.id))


@bp.route("/<int:org_id>/contacts/new", methods=["GET", "POST"])
@role_required("staff")
def create_contact(org_id: int):
    """Add a contact to an organization."""
    return _contact_form_page(db.get_or_404(Organization, org_id), None)


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@role_required("staff")
def edit_contact(contact_id: int):
    """Edit a contact's details, language and reminder mode (or move them to another organization)."""
    person = db.get_or_404(Contact, contact_id)
    return _contact_form_page(person.organization, person)


@bp.post("/contacts/<int:contact_id>/deactivate")
@role_required("manager")
def deactivate_contact(contact_id: int):
    """Deactivate a contact instead of deleting them."""
    person = db.get_or_404(Contact, contact_id)
    return change_active(
        person,
        False,
        _("Contact %(name)s deactivated: no more reminders. A manager can reactivate them.", name=person.name),
        url_for("stakeholders.contact", contact_id=person.id),
    )


@bp.post("/contacts/<int:contact_id>/reactivate")
@role_required("manager")
def reactivate_contact(contact_id: int):
    """Bring a deactivated contact back."""
    person = db.get_or_404(Contact, contact_id)
    return change_active(
        person,
        True,
        _("Contact %(name)s reactivated.", name=person.name),
        url_for("stakeholders.contact", contact_id=person.id),
    )
