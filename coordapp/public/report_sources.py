"""Accountability reports in the portal's feeds and open data (the reports feature yields, the portal lists)."""

from itertools import islice

from flask_babel import lazy_gettext as _l

from coordapp.elections.models import Election
from coordapp.extensions import db
from coordapp.public.registry import SOURCE_LIMIT, Dataset, PublicationEntry
from coordapp.reports.publications import (
    BUDGET_COLUMNS,
    REPORT_COLUMNS,
    budget_lines_rows,
    report_publications,
    report_rows,
)

_MEANINGS = {
    "report_id": _l("Stable id of the report (all its versions share it)."),
    "version": _l("Version number; a correction is a new version."),
    "title": _l("Title of the report."),
    "report_title": _l("Title of the report the line belongs to."),
    "stage": _l("Stage the report covers; empty for the whole election."),
    "report_stage": _l("Stage the report covers; empty for the whole election."),
    "published_dt": _l("When this version was published (ISO 8601, UTC)."),
    "url": _l("Page of this version on the portal."),
    "pdf_url": _l("The PDF of this version, as sent to the city government and KPU RI."),
    "pdf_sha256": _l("SHA-256 of the PDF: the document sent upward is the document published."),
    "budget_allocated": _l("Budget allocated in the report, whole rupiah."),
    "budget_realised": _l("Budget realised in the report, whole rupiah."),
    "account_code": _l("Account or activity code."),
    "description": _l("What the money was for."),
    "line_stage": _l("Stage the line belongs to, if any."),
    "allocated": _l("Allocated, whole rupiah."),
    "realised": _l("Realised, whole rupiah."),
    "variance": _l("Realised minus allocated, whole rupiah."),
    "variance_note": _l("Why realised differs from allocated."),
}
_FIGURE = _l("A figure computed from the data and frozen when the report was approved.")


def report_entries(election_id: int, stage_id: int | None = None, limit: int = SOURCE_LIMIT):
    """Yield the newest published report versions of an election (or stage) as publication entries."""
    for entry in islice(report_publications(election_id, stage_id), limit):
        yield PublicationEntry(kind="report", **entry)  # stage_id: the report's stage (None: whole election)


def _every_election(rows):
    """Turn a per-election row function into one that also reads every election (None)."""

    def read(election_id: int | None):
        ids = [election_id] if election_id is not None else db.session.scalars(db.select(Election.id)).all()
        for one in ids:
            yield from rows(one)

    return read


def _columns(names) -> tuple:
    return tuple((name, _MEANINGS.get(name, _FIGURE)) for name in names)


REPORTS = Dataset(
    "reports",
    _l("Accountability reports"),
    _l("Published accountability reports (newest version of each) with their figures and budget totals."),
    _columns(REPORT_COLUMNS),
    _every_election(report_rows),
)
BUDGET_LINES = Dataset(
    "budget_lines",
    _l("Budget realisation"),
    _l("Budget lines of the published accountability reports: allocated, realised and the reason for each variance."),
    _columns(BUDGET_COLUMNS),
    _every_election(budget_lines_rows),
)
