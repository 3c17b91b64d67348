"""Admin pages: the outbox (filter, read, resend failed) and the reminder policy; staff: turn reminders back on."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from coordapp.auth.access import role_required
from coordapp.core.labels import choices
from coordapp.core.time import utcnow
from coordapp.core.urls import safe_next
from coordapp.extensions import db
from coordapp.reminders import bp, outbox_admin, replies
from coordapp.reminders.forms import PolicyForm
from coordapp.reminders.models import ReminderDelivery
from coordapp.stakeholders.models import Contact


@bp.get("/outbox")
@role_required("admin")
def outbox():
    """List deliveries, newest first, filtered by status, kind and recipient."""
    filters = outbox_admin.OutboxFilter.from_args(request.args)
    page = db.paginate(filters.apply(db.select(ReminderDelivery)), per_page=50, error_out=False)
    return render_template(
        "reminders/outbox.html",
        page=page,
        filters=filters,
        counts=outbox_admin.status_counts(),
        status_choices=choices("delivery_status"),
        kind_choices=choices("delivery_kind"),
    )


@bp.get("/outbox/<int:delivery_id>")
@role_required("admin")
def delivery(delivery_id: int):
    """Show one delivery: its state, its issues and the email as rendered now."""
    row = db.get_or_404(ReminderDelivery, delivery_id)
    return render_template("reminders/delivery.html", delivery=row, rendered=outbox_admin.preview(row))


@bp.get("/outbox/<int:delivery_id>/email.html")
@role_required("admin")
def delivery_html(delivery_id: int):
    """Serve the HTML part of a delivery, sandboxed (no scripts, no forms, no outside requests)."""
    rendered = outbox_admin.preview(db.get_or_404(ReminderDelivery, delivery_id))
    response = Response(rendered.html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
    )
    return response


@bp.post("/outbox/<int:delivery_id>/resend")
@role_required("admin")
def resend(delivery_id: int):
    """Put a failed delivery back in the queue."""
    row = db.get_or_404(ReminderDelivery, delivery_id)
    if not outbox_admin.requeue_failed(row):
        flash(_("Only a failed email can be sent again."), "danger")
        return redirect(url_for("reminders.delivery", delivery_id=row.id))
    db.session.commit()
    flash(_("The email is queued to be sent again."), "success")
    return redirect(url_for("reminders.delivery", delivery_id=row.id))


@bp.route("/policy", methods=["GET", "POST"])
@role_required("admin")
def policy():
    """Edit when reminders go out: per priority, and the sending window."""
    form = PolicyForm(data=outbox_admin.policy_form_data()) if request.method == "GET" else PolicyForm()
    if form.validate_on_submit():
        outbox_admin.save_policy(form.data)
        db.session.commit()
        flash(_("Reminder settings saved."), "success")
        return redirect(url_for("reminders.policy"))
    return render_template(
        "reminders/policy.html", form=form, priorities=outbox_admin.PRIORITIES
    ), 422 if form.errors else 200


@bp.post("/contacts/<int:contact_id>/resume")
@role_required("staff")
def resume(contact_id: int):
    """Turn a contact's reminders back on after they unsubscribed or were set to none."""
    contact = db.get_or_404(Contact, contact_id)
    replies.resume_reminders(contact)
    db.session.commit()
    flash(_("Reminders are on again for %(name)s.", name=contact.name), "success")
    return redirect(safe_next())


@bp.post("/contacts/<int:contact_id>/revoke-links")
@role_required("manager")
def revoke_links(contact_id: int):
    """Withdraw every reply link sent to a contact (managers; recorded in the contact's history)."""
    contact = db.get_or_404(Contact, contact_id)
    count = replies.revoke_links(contact, utcnow())
    db.session.commit()
    flash(
        _("The reply links of %(name)s were withdrawn (%(num)d still valid).", name=contact.name, num=count), "success"
    )
    return redirect(safe_next())
