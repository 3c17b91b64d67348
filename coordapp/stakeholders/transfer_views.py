"""Moving the register in and out: CSV import (admins), CSV export and the import template."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from coordapp.auth.access import role_required
from coordapp.core.labels import choices
from coordapp.core.time import local_today
from coordapp.extensions import db
from coordapp.stakeholders import bp, export, importer
from coordapp.stakeholders.forms import ImportForm
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


@bp.route("/import", methods=["GET", "POST"])
@role_required("admin")
def import_csv():
    """Import organizations and contacts from a CSV file: all lines or none."""
    form = ImportForm()
    page = {
        "form": form,
        "columns": importer.COLUMNS,
        "max_lines": importer.MAX_LINES,
        "max_mb": importer.MAX_BYTES // (1024 * 1024),
        "categories": choices("category"),
    }
    if not form.validate_on_submit():
        return render_template("stakeholders/import.html", **page), 422 if form.errors else 200
    try:
        result = importer.import_file(importer.read_limited(form.file.data.stream))
    except importer.ImportFailed as failed:
        db.session.rollback()
        form.file.errors = [_("Nothing was imported. Correct these problems and upload the file again.")]
        return render_template("stakeholders/import.html", problems=failed.problems, **page), 422
    if form.dry_run.data:
        db.session.rollback()
        flash(_("The file is correct; nothing was imported yet.") + " " + result.describe(), "info")
        return render_template("stakeholders/import.html", **page)
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
