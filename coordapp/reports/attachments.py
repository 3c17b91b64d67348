"""Attachments on accountability reports: managers add them, staff read them, the public reads published ones.

A report's file (a signed letter, the budget annex, a photo of the public hearing) hangs on the
report. Staff read every report, so they download its files; only managers upload or choose
which files are public. The public downloads a file staff made public once the report has a
published version, and the report's public page lists those files.
"""

from flask import url_for

from coordapp.auth.access import has_role
from coordapp.files.services import ParentKind, attachments_of, public_attachments, register_parent
from coordapp.reports.models import AccountabilityReport

PARENT_TYPE = "report"


def is_published(report: AccountabilityReport) -> bool:
    """Tell whether the public reads the report: one of its versions is published."""
    return report.latest_published is not None


def public_files(report_id: int, *, preview: bool = False) -> list[dict]:
    """Return what the public page lists of a report's files: name, type, size, download address.

    preview: the files staff marked public, as the page will list them once the report is published.
    """
    if preview:
        files = [a for a in attachments_of(PARENT_TYPE, report_id) if a.is_public]
    else:
        files = public_attachments(PARENT_TYPE, report_id)
    return [
        {
            "id": a.id,
            "filename": a.filename,
            "content_type": a.content_type,
            "size": a.size,
            "url": url_for("files.download", attachment_id=a.id, filename=a.filename),
        }
        for a in files
    ]


def register() -> None:
    """Let reports carry attachments (called once when the reports feature is installed)."""
    register_parent(
        PARENT_TYPE,
        ParentKind(
            AccountabilityReport,
            is_published,
            may_change=lambda user, report: has_role(user, "manager"),
            page_url=lambda report_id: url_for("reports.detail", report_id=report_id, _anchor="attachments"),
        ),
    )
