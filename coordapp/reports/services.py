"""The rules of a report's life: draft -> submitted -> approved -> published, corrections as new versions.

A version's text and budget lines change only while it is a draft. Approval freezes the figures
and renders the PDF (the document sent upward); publication only dates it, so the document sent
upward is the document published. A correction is a new version with a change note; the
published versions stay as they were.
"""

from blinker import Namespace
from flask_babel import gettext as _

from coordapp.auth.access import has_role
from coordapp.core.time import utcnow
from coordapp.elections.models import Stage
from coordapp.extensions import db
from coordapp.files.storage import store
from coordapp.reports import pdf
from coordapp.reports.figures import compute_figures
from coordapp.reports.models import (
    APPROVED,
    DRAFT,
    PUBLISHED,
    SUBMITTED,
    AccountabilityReport,
    BudgetLine,
    ReportVersion,
)

_signals = Namespace()
# Sent after a version is published (sender: the version), so caches of public pages can be dropped.
report_published = _signals.signal("report-published")

VERSION_FIELDS = (
    "title",
    "narrative",
    "registered_voters",
    "voters_turnout",
    "previous_registered_voters",
    "previous_turnout",
)
LINE_FIELDS = ("account_code", "description", "stage_id", "allocated", "realised", "variance_note")


class WorkflowError(Exception):
    """A step that the version's status or the user's role does not allow; the message says why."""


def create_report(election, stage, author, **fields) -> AccountabilityReport:
    """Create a report with its first version as a draft."""
    report = AccountabilityReport(election=election, stage=stage, title=fields["title"], created_by=author)
    version = ReportVersion(number=1, status=DRAFT, author=author)
    report.versions.append(version)
    update_draft(version, **fields)
    db.session.add(report)
    return report


def _require(version: ReportVersion, status: str, message: str) -> None:
    if version.status != status:
        raise WorkflowError(message)


def update_draft(version: ReportVersion, **fields) -> None:
    """Change a draft's text and participation figures."""
    _require(version, DRAFT, _("Only a draft can be edited."))
    for name in VERSION_FIELDS:
        if name in fields:
            setattr(version, name, fields[name])
    version.report.title = version.title


def submit(version: ReportVersion, user, now=None) -> None:
    """Propose a draft for approval."""
    _require(version, DRAFT, _("Only a draft can be submitted."))
    version.status = SUBMITTED
    version.submitted_dt = now or utcnow()


def return_to_draft(version: ReportVersion, user) -> None:
    """Send a submitted version back to its author as a draft."""
    _require(version, SUBMITTED, _("Only a submitted version can be returned."))
    version.status = DRAFT
    version.submitted_dt = None


def can_approve(version: ReportVersion, user) -> bool:
    """Tell whether user may approve: a manager other than the author, or an admin."""
    if has_role(user, "admin"):
        return True
    author_id = version.author.id if version.author is not None else version.author_id
    return has_role(user, "manager") and author_id != user.id


def approve(version: ReportVersion, user, now=None) -> None:
    """Approve a submitted version: freeze its figures and store its PDF."""
    _require(version, SUBMITTED, _("Only a submitted version can be approved."))
    if not can_approve(version, user):
        raise WorkflowError(_("The author cannot approve their own report."))
    now = now or utcnow()
    report = version.report
    version.figures = compute_figures(report.election, report.stage, now=now)
    version.status = APPROVED
    version.approved_dt = now
    version.approved_by = user
    data = pdf.render(version)
    version.pdf_sha256 = store().put(data)
    version.pdf_size = len(data)


def publish(version: ReportVersion, user, now=None) -> None:
    """Publish an approved version: from now on anyone reads it, and it never changes."""
    _require(version, APPROVED, _("Only an approved version can be published."))
    now = now or utcnow()
    version.status = PUBLISHED
    version.published_dt = now
    version.published_by = user
    report = version.report
    report.title = version.title
    if report.published_dt is None:
        report.published_dt = now
        report.published_by = user


def announce(version: ReportVersion) -> None:
    """Tell listeners (caches of public pages) that a version went public; call after the commit."""
    report_published.send(version)


def new_version(report: AccountabilityReport, user, change_note: str) -> ReportVersion:
    """Start a correction of a published report: a draft copying the newest version, with a change note."""
    latest = report.latest
    if latest is None or latest.status != PUBLISHED:
        raise WorkflowError(_("A new version starts from a published one."))
    version = ReportVersion(number=latest.number + 1, status=DRAFT, author=user, change_note=change_note)
    for name in VERSION_FIELDS:
        setattr(version, name, getattr(latest, name))
    for line in latest.budget_lines:
        version.budget_lines.append(
            BudgetLine(position=line.position, **{name: getattr(line, name) for name in LINE_FIELDS})
        )
    report.versions.append(version)
    return version


def add_budget_line(version: ReportVersion, **fields) -> BudgetLine:
    """Add a budget line at the end of a draft's table."""
    _require(version, DRAFT, _("Only a draft can be edited."))
    position = max((line.position for line in version.budget_lines), default=0) + 1
    line = BudgetLine(position=position, **{name: fields.get(name) for name in LINE_FIELDS})
    line.variance_note = line.variance_note or ""
    version.budget_lines.append(line)
    return line


def update_budget_line(line: BudgetLine, **fields) -> None:
    """Change a budget line of a draft."""
    _require(line.version, DRAFT, _("Only a draft can be edited."))
    for name in LINE_FIELDS:
        if name in fields:
            setattr(line, name, fields[name] if fields[name] is not None or name == "stage_id" else "")


def delete_budget_line(line: BudgetLine) -> None:
    """Remove a budget line from a draft."""
    _require(line.version, DRAFT, _("Only a draft can be edited."))
    line.version.budget_lines.remove(line)


def replace_budget_lines(version: ReportVersion, rows: list[dict]) -> None:
    """Replace a draft's budget lines with imported rows (all of them, in order)."""
    _require(version, DRAFT, _("Only a draft can be edited."))
    version.budget_lines.clear()
    db.session.flush()
    for position, row in enumerate(rows, start=1):
        version.budget_lines.append(BudgetLine(position=position, **row))


def reports_of(election) -> list[AccountabilityReport]:
    """Return an election's reports: whole-election ones first, then by stage."""
    return list(
        db.session.scalars(
            db.select(AccountabilityReport)
            .where(AccountabilityReport.election_id == election.id)
            .outerjoin(Stage, Stage.id == AccountabilityReport.stage_id)
            .order_by(AccountabilityReport.stage_id.is_not(None), Stage.position, AccountabilityReport.id)
        )
    )
