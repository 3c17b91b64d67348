"""What the portal reads of the reports: published versions as list items, feed entries and open-data rows.

The portal (``coordapp.public``) includes ``templates/reports/_public_list.html`` with the
``public_reports`` template global, and registers ``report_publications`` (Atom feeds) and
``budget_lines_rows`` and ``report_rows`` (open data). Only published versions leave this module, each through
``coordapp.core.visibility.public_report``.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, url_for
from flask_babel import get_locale
from sqlalchemy.orm import selectinload

from coordapp.core.visibility import public_report
from coordapp.extensions import db
from coordapp.reports import formatting
from coordapp.reports.figures import FIGURE_KEYS, figure_labels
from coordapp.reports.models import PUBLISHED, AccountabilityReport, BudgetLine, ReportVersion


@dataclass(frozen=True)
class PublicReport:
    """A published report as lists show it: its newest published version."""

    id: int
    title: str
    stage_name: str
    version: int
    published_dt: datetime
    first_published_dt: datetime
    url: str
    pdf_url: str


# What public_report reads of a version, loaded with it: a page or a feed costs the same queries whatever the reports.
_PROJECTION = (
    selectinload(ReportVersion.report).selectinload(AccountabilityReport.stage),
    selectinload(ReportVersion.report).selectinload(AccountabilityReport.election),
    selectinload(ReportVersion.budget_lines).selectinload(BudgetLine.stage),
)


def _published_versions(election_id: int, stage_id: int | None = None) -> list[ReportVersion]:
    """Return the newest published version of each report of an election (or one stage), newest first."""
    newest = (
        db.select(ReportVersion.report_id, db.func.max(ReportVersion.number).label("number"))
        .where(ReportVersion.status == PUBLISHED)
        .group_by(ReportVersion.report_id)
        .subquery()
    )
    stmt = (
        db.select(ReportVersion)
        .join(newest, (newest.c.report_id == ReportVersion.report_id) & (newest.c.number == ReportVersion.number))
        .join(AccountabilityReport, AccountabilityReport.id == ReportVersion.report_id)
        .where(AccountabilityReport.election_id == election_id)
        .options(selectinload(ReportVersion.report).selectinload(AccountabilityReport.stage))
        .order_by(ReportVersion.published_dt.desc(), ReportVersion.id.desc())
    )
    if stage_id is not None:
        stmt = stmt.where(AccountabilityReport.stage_id == stage_id)
    return list(db.session.scalars(stmt))


def public_reports(election_id: int, stage_id: int | None = None) -> list[PublicReport]:
    """Return the published reports of an election (or one stage), newest version each, for the portal's lists."""
    locale = str(get_locale() or "id")
    return [
        PublicReport(
            id=v.report_id,
            title=v.title,
            stage_name=v.report.stage.display_name(locale) if v.report.stage else "",
            version=v.number,
            published_dt=v.published_dt,
            first_published_dt=v.report.published_dt,
            url=url_for("public_reports.report", report_id=v.report_id),
            pdf_url=url_for("public_reports.pdf", report_id=v.report_id, number=v.number),
        )
        for v in _published_versions(election_id, stage_id)
    ]


def report_publications(election_id: int, stage_id: int | None = None) -> Iterator[dict]:
    """Yield an Atom entry per published version (corrections included).

    Each is a dict: id, title, url, updated_dt, summary and stage_id (the report's; None for the whole election).
    """
    stmt = (
        db.select(ReportVersion)
        .join(AccountabilityReport, AccountabilityReport.id == ReportVersion.report_id)
        .where(AccountabilityReport.election_id == election_id, ReportVersion.status == PUBLISHED)
        .options(*_PROJECTION)
        .order_by(ReportVersion.published_dt.desc())
    )
    if stage_id is not None:
        stmt = stmt.where(AccountabilityReport.stage_id == stage_id)
    for version in db.session.scalars(stmt):
        public = public_report(version)
        summary = public["change_note"] if public["version"] > 1 else (public["stage"] or public["election"])
        yield {
            "id": f"report-{public['report_id']}-v{public['version']}",
            "title": public["title"] + (f" (v{public['version']})" if public["version"] > 1 else ""),
            "url": url_for("public_reports.version", report_id=public["report_id"], number=public["version"]),
            "updated_dt": public["published_dt"],
            "summary": summary,
            "stage_id": public["stage_id"],
        }


BUDGET_COLUMNS = (
    "report_id",
    "version",
    "report_title",
    "report_stage",
    "published_dt",
    "account_code",
    "description",
    "line_stage",
    "allocated",
    "realised",
    "variance",
    "variance_note",
)


def budget_lines_rows(election_id: int) -> Iterator[dict]:
    """Yield the budget lines of each report's newest published version, one dict per line (BUDGET_COLUMNS)."""
    for version in _published_versions(election_id):
        public = public_report(version)
        for line in public["budget"]["lines"]:
            yield {
                "report_id": public["report_id"],
                "version": public["version"],
                "report_title": public["title"],
                "report_stage": public["stage"],
                "published_dt": public["published_dt"].isoformat(),
                "account_code": line["account_code"],
                "description": line["description"],
                "line_stage": line["stage"],
                "allocated": line["allocated"],
                "realised": line["realised"],
                "variance": line["variance"],
                "variance_note": line["variance_note"],
            }


REPORT_COLUMNS = (
    "report_id",
    "version",
    "title",
    "stage",
    "published_dt",
    "url",
    "pdf_url",
    "pdf_sha256",
    "budget_allocated",
    "budget_realised",
    *FIGURE_KEYS,
)


def report_rows(election_id: int) -> Iterator[dict]:
    """Yield a row per report (its newest published version) for open data: REPORT_COLUMNS."""
    for version in _published_versions(election_id):
        public = public_report(version)
        yield {
            "report_id": public["report_id"],
            "version": public["version"],
            "title": public["title"],
            "stage": public["stage"],
            "published_dt": public["published_dt"].isoformat(),
            "url": url_for("public_reports.version", report_id=public["report_id"], number=public["version"]),
            "pdf_url": url_for("public_reports.pdf", report_id=public["report_id"], number=public["version"]),
            "pdf_sha256": public["pdf_sha256"],
            "budget_allocated": public["budget"]["allocated"],
            "budget_realised": public["budget"]["realised"],
            **{key: public["figures"].get(key) for key in FIGURE_KEYS},
        }


def init_app(app: Flask) -> None:
    """Offer the report helpers to every template."""
    app.jinja_env.globals["public_reports"] = public_reports
    app.jinja_env.globals["public_report"] = public_report
    app.jinja_env.globals["report_figure_labels"] = figure_labels
    app.jinja_env.globals["turnout"] = formatting.turnout_percent
    app.jinja_env.filters["rupiah"] = formatting.rupiah
    app.jinja_env.filters["report_number"] = lambda value: formatting.number(value, str(get_locale() or "id"))
    app.jinja_env.filters["report_percent"] = lambda value: formatting.percent(value, str(get_locale() or "id"))
