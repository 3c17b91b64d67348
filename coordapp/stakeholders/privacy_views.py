"""A contact's personal data rights: export everything held (JSON) and anonymise (admins)."""

import json

from flask import Response, abort, flash, redirect, url_for
from flask_babel import gettext as _

from coordapp.auth.access import role_required
from coordapp.extensions import db
from coordapp.stakeholders import bp, privacy
from coordapp.stakeholders.models import Contact


@bp.get("/contacts/<int:contact_id>/personal-data.json")
@role_required("admin")
def export_personal_data(contact_id: int):
    """Download everything held about a contact, as JSON (an answer to a data subject's request)."""
    person = db.get_or_404(Contact, contact_id)
    body = json.dumps(privacy.export(person), ensure_ascii=False, indent=2, default=str)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f"attachment; filename=contact-{person.id}-personal-data.json"},
    )


@bp.post("/contacts/<int:contact_id>/anonymise")
@role_required("admin")
def anonymise_contact(contact_id: int):
    """Replace a contact's name, email and phone everywhere, keeping the organisation's records."""
    person = db.get_or_404(Contact, contact_id)
    if privacy.is_anonymised(person):
        abort(409)
    privacy.anonymise(person)
    db.session.commit()
    flash(_("The contact is anonymised: name, email and phone are replaced everywhere."), "success")
    return redirect(url_for("stakeholders.contact", contact_id=contact_id))
