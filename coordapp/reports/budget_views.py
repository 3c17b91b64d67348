"""A draft's budget lines: add, edit, delete one, or replace them all from a CSV/XLSX file."""

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from coordapp.auth.access import role_required
from coordapp.extensions import db
from coordapp.reports import bp, budget_import, services
from coordapp.reports.forms import BudgetImportForm, BudgetLineForm
from coordapp.reports.models import AccountabilityReport, BudgetLine
from coordapp.reports.views import render_detail

TEMPLATE_CSV = (
    "account_code,description,stage,allocated,realised,variance_note\r\n"
    "521211,Rapat koordinasi pemutakhiran data pemilih,pemutakhiran_data,45.000.000,41.250.000,"
    "Dua rapat digabung\r\n"
)


def _not_a_draft(report: AccountabilityReport):
    return render_detail(report, status=409, refused=_("Only a draft can be edited."))


@bp.route("/<int(max=2147483647):report_id>/lines/new", methods=["GET", "POST"])
@role_required("staff")
def new_line(report_id: int):
    """Add a budget line to the draft."""
    report = db.get_or_404(AccountabilityReport, report_id)
    if not report.latest.is_editable:
        return _not_a_draft(report)
    form = BudgetLineForm(report.election)
    if not form.validate_on_submit():
        return render_template("reports/line_form.html", form=form, report=report), 422 if form.errors else 200
    services.add_budget_line(report.latest, **form.data_for_service())
    db.session.commit()
    flash(_("Budget line added."), "success")
    return redirect(url_for("reports.detail", report_id=report.id, _anchor="budget"))


@bp.route("/lines/<int(max=2147483647):line_id>/edit", methods=["GET", "POST"])
@role_required("staff")
def edit_line(line_id: int):
    """Change a budget line of a draft."""
    line = db.get_or_404(BudgetLine, line_id)
    report = line.version.report
    if not line.version.is_editable:
        return _not_a_draft(report)
    form = BudgetLineForm(report.election, obj=line)
    if not form.validate_on_submit():
        page = render_template("reports/line_form.html", form=form, report=report, line=line)
        return page, 422 if form.errors else 200
    services.update_budget_line(line, **form.data_for_service())
    db.session.commit()
    flash(_("Budget line saved."), "success")
    return redirect(url_for("reports.detail", report_id=report.id, _anchor="budget"))


@bp.post("/lines/<int(max=2147483647):line_id>/delete")
@role_required("staff")
def delete_line(line_id: int):
    """Remove a budget line from a draft."""
    line = db.get_or_404(BudgetLine, line_id)
    report = line.version.report
    if not line.version.is_editable:
        return _not_a_draft(report)
    services.delete_budget_line(line)
    db.session.commit()
    flash(_("Budget line removed."), "success")
    return redirect(url_for("reports.detail", report_id=report.id, _anchor="budget"))


@bp.route("/<int(max=2147483647):report_id>/import", methods=["GET", "POST"])
@role_required("staff")
def import_lines(report_id: int):
    """Replace the draft's budget lines from a CSV or XLSX file: every line or none."""
    report = db.get_or_404(AccountabilityReport, report_id)
    if not report.latest.is_editable:
        return _not_a_draft(report)
    form = BudgetImportForm()
    page = {"form": form, "report": report, "columns": budget_import.COLUMNS}
    if not form.validate_on_submit():
        return render_template("reports/import.html", **page), 422 if form.errors else 200
    try:
        rows = budget_import.parse(budget_import.read_limited(form.file.data.stream), report.election)
    except budget_import.ImportFailed as failed:
        form.file.errors = [_("Nothing was imported. Correct these problems and upload the file again.")]
        return render_template("reports/import.html", problems=failed.problems, **page), 422
    services.replace_budget_lines(report.latest, rows)
    db.session.commit()
    flash(_("%(n)d budget lines imported.", n=len(rows)), "success")
    return redirect(url_for("reports.detail", report_id=report.id, _anchor="budget"))


@bp.get("/import-template.csv")
@role_required("staff")
def import_template():
    """Download an example budget file with every column."""
    return Response(
        TEMPLATE_CSV,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="budget-lines-template.csv"'},
    )
