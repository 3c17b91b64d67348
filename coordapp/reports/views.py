"""The managers' report pages: list, draft, workflow steps (submit, return, approve, publish), new version."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from coordapp.auth.access import role_required
from coordapp.core.visibility import public_report
from coordapp.elections import services as elections
from coordapp.elections.models import Stage
from coordapp.extensions import db
from coordapp.files.storage import store
from coordapp.reports import bp, services
from coordapp.reports.attachments import public_files
from coordapp.reports.figures import compute_figures
from coordapp.reports.forms import NewVersionForm, ReportForm
from coordapp.reports.models import AccountabilityReport, ReportVersion


def _version(report: AccountabilityReport, number: int | None) -> ReportVersion:
    if number is None:
        return report.latest
    found = next((v for v in report.versions if v.number == number), None)
    if found is None:
        abort(404)
    return found


def render_detail(report: AccountabilityReport, version: ReportVersion | None = None, status: int = 200, **extra):
    """Render a report's page for staff: a version, its budget lines, its history and the next steps."""
    version = version or report.latest
    return render_template(
        "reports/detail.html",
        report=report,
        version=version,
        can_approve=services.can_approve(version, current_user),
        **extra,
    ), status


@bp.get("/")
@role_required("staff")
def index():
    """List an election's reports with the status of their newest version."""
    election = elections.chosen_election(request.args.get("election", type=int))
    if election is None:
        return render_template("dashboard/no_election.html")
    return render_template(
        "reports/index.html",
        election=election,
        elections=elections.all_elections(),
        reports=services.reports_of(election),
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required("staff")
def new():
    """Start a report on a stage or the whole election, as a draft."""
    election = elections.chosen_election(request.args.get("election", type=int))
    if election is None:
        abort(404)
    form = ReportForm(election)
    if not form.validate_on_submit():
        return render_template("reports/form.html", form=form, election=election), 422 if form.errors else 200
    stage = db.session.get(Stage, form.stage_id.data) if form.stage_id.data else None
    report = services.create_report(election, stage, current_user, **form.data_for_service())
    db.session.commit()
    flash(_("Draft report created."), "success")
    return redirect(url_for("reports.detail", report_id=report.id))


@bp.get("/<int(max=2147483647):report_id>")
@role_required("staff")
def detail(report_id: int):
    """Show a report: its newest version (or ?v=N), budget lines, history and workflow."""
    report = db.get_or_404(AccountabilityReport, report_id)
    return render_detail(report, _version(report, request.args.get("v", type=int)))


@bp.route("/<int(max=2147483647):report_id>/edit", methods=["GET", "POST"])
@role_required("staff")
def edit(report_id: int):
    """Edit the draft version's text and participation figures."""
    report = db.get_or_404(AccountabilityReport, report_id)
    version = report.latest
    if not version.is_editable:
        return render_detail(report, status=409, refused=_("Only a draft can be edited."))
    form = ReportForm(report.election, obj=version, data={"stage_id": report.stage_id})
    form.stage_id.render_kw = {"disabled": True}
    form.stage_id.data = report.stage_id
    if not form.validate_on_submit():
        return render_template("reports/form.html", form=form, election=report.election, report=report), (
            422 if form.errors else 200
        )
    services.update_draft(version, **form.data_for_service())
    db.session.commit()
    flash(_("Draft saved."), "success")
    return redirect(url_for("reports.detail", report_id=report.id))


STEPS = {
    "submit": (services.submit, _l("Report submitted for approval.")),
    "return": (services.return_to_draft, _l("Report returned to draft.")),
    "approve": (services.approve, _l("Report approved; its PDF is stored.")),
    "publish": (services.publish, _l("Report published on the public portal.")),
}


def _step(report_id: int, name: str):
    report = db.get_or_404(AccountabilityReport, report_id)
    step, message = STEPS[name]
    version = report.latest
    try:
        step(version, current_user)
    except services.WorkflowError as refused:
        db.session.rollback()
        return render_detail(report, status=409, refused=str(refused))
    db.session.commit()
    if name == "publish":
        services.announce(version)
    flash(str(message), "success")
    return redirect(url_for("reports.detail", report_id=report.id))


@bp.post("/<int(max=2147483647):report_id>/submit")
@role_required("staff")
def submit(report_id: int):
    """Submit the draft for approval."""
    return _step(report_id, "submit")


@bp.post("/<int(max=2147483647):report_id>/return")
@role_required("manager")
def return_to_draft(report_id: int):
    """Return a submitted version to draft."""
    return _step(report_id, "return")


@bp.post("/<int(max=2147483647):report_id>/approve")
@role_required("manager")
def approve(report_id: int):
    """Approve a submitted version (another manager than its author, or an admin): freeze figures, store the PDF."""
    return _step(report_id, "approve")


@bp.post("/<int(max=2147483647):report_id>/publish")
@role_required("manager")
def publish(report_id: int):
    """Publish an approved version on the public portal."""
    return _step(report_id, "publish")


@bp.route("/<int(max=2147483647):report_id>/new-version", methods=["GET", "POST"])
@role_required("manager")
def new_version(report_id: int):
    """Start a correction of a published report: a new draft version with a change note."""
    report = db.get_or_404(AccountabilityReport, report_id)
    form = NewVersionForm()
    if not form.validate_on_submit():
        return render_template("reports/new_version.html", form=form, report=report), 422 if form.errors else 200
    try:
        services.new_version(report, current_user, form.change_note.data)
    except services.WorkflowError as refused:
        db.session.rollback()
        return render_detail(report, status=409, refused=str(refused))
    db.session.commit()
    flash(_("New version started as a draft."), "success")
    return redirect(url_for("reports.detail", report_id=report.id))


@bp.get("/<int(max=2147483647):report_id>/v<int(max=2147483647):number>.pdf")
@role_required("staff")
def pdf(report_id: int, number: int):
    """Download the stored PDF of an approved or published version."""
    report = db.get_or_404(AccountabilityReport, report_id)
    version = _version(report, number)
    if not version.pdf_sha256:
        abort(404)
    return Response(
        store().get(version.pdf_sha256),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="report-{report.id}-v{number}.pdf"'},
    )


@bp.get("/<int(max=2147483647):report_id>/preview")
@role_required("staff")
def preview(report_id: int):
    """Show exactly what the public page will show of the newest version (figures as of now until approval)."""
    report = db.get_or_404(AccountabilityReport, report_id)
    version = report.latest
    public = public_report(version)
    if not version.figures:
        public["figures"] = compute_figures(report.election, report.stage)
    files = public_files(report.id, preview=True)
    return render_template("reports/public_report.html", report=public, versions=[], preview=True, attachments=files)
