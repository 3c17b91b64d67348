"""Moving the register in and out: CSV import (admins), CSV export and the import template."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordapp.auth.access import role_required
from coordapp.core import held_uploads
from coordapp.core.labels import choices
from coordapp.core.time import local_today
from coordapp.extensions import db
from coordapp.stakeholders import bp, export, importer
from coordapp.stakeholders.forms import ApplyCheckedForm, ImportForm
from coordapp.stakeholders.services import RegisterFilter


def _csv_response(text: str, filename: str) -> Response:
    return Response(
        text,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


IMPORT_PURPOSE = "stakeholders-import"


def _page(form: ImportForm) -> dict:
    return {
        "form": form,
        "columns": importer.COLUMNS,
        "max_lines": importer.MAX_LINES,
        "max_mb": importer.MAX_BYTES // (1024 * 1024),
        "categories": choices("category"),
    }


@bp.route("/import", methods=["GET", "POST"])
@role_required("admin")
def import_csv():
    """Import organizations and contacts from a CSV file: all lines or none."""
    form = ImportForm()
    page = _page(form)
    if not form.validate_on_submit():
        return render_template("stakeholders/import.html", **page), 422 if form.errors else 200
    try:
        data = importer.read_limited(form.file.data.stream)
        result = importer.import_file(data)
    except importer.ImportFailed as failed:
        db.session.rollback()
        form.file.errors = [_("Nothing was imported. Correct these problems and upload the file again.")]
        return render_template("stakeholders/import.html", problems=failed.problems, **page), 422
    if form.dry_run.data:
        db.session.rollback()
        filename = form.file.data.filename or "register.csv"
        apply = ApplyCheckedForm(
            ticket=held_uploads.keep(data, filename, purpose=IMPORT_PURPOSE, user_id=current_user.id)
        )
        return render_template(
            "stakeholders/import.html", checked=result.describe(), filename=filename, apply_form=apply, **page
        )
    return _imported(result)


@bp.post("/import/checked")
@role_required("admin")
def import_checked():
    """Import the file a check found correct without choosing it again: once, by whoever checked it, within an hour."""
    form = ApplyCheckedForm()
    held = form.validate_on_submit() and held_uploads.take(
        form.ticket.data, purpose=IMPORT_PURPOSE, user_id=current_user.id
    )
    if not held:
        flash(
            _("The checked file is no longer kept (it is kept for an hour and imported once): choose it again."),
            "warning",
        )
        return redirect(url_for("stakeholders.import_csv"))
    try:
        result = importer.import_file(held.data)
    except importer.ImportFailed as failed:  # the register changed since the check
        db.session.rollback()
        form = ImportForm()
        form.file.errors = [_("Nothing was imported. Correct these problems and upload the file again.")]
        return render_template("stakeholders/import.html", problems=failed.problems, **_page(form)), 422
    return _imported(result)


def _imported(result: importer.ImportResult):
    db.session.commit()
    flash(_("Import done.") + " " + result.describe(), "success")
    return redirect(url_for("stakeholders.index"))


@bp.get("/import/template.csv")
@role_required("admin")
def import_template():
    """Download an example import file with every column."""
    return _csv_response(export.template_csv(), "stakeholders-template.csv")


@bp.get("/export.csv")
@role_required("manager")
def export_csv():
    """Download the register (the list's current filter) as CSV, one line per contact."""
    register_filter = RegisterFilter.from_args(request.args)
    return _csv_response(export.register_csv(register_filter), f"stakeholders-{local_today().isoformat()}.csv")
