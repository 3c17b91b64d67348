"""The public report pages: the newest published version, older versions, the PDF, share image and QR code.

Anonymous, no JavaScript, cacheable. Only published versions answer (anything else is a 404),
and every page is rendered from ``coordapp.core.visibility.public_report``.
"""

from flask import Response, abort, render_template, request
from flask_babel import get_locale

from coordapp.auth.access import public
from coordapp.core import lookups
from coordapp.core.visibility import public_report
from coordapp.extensions import db
from coordapp.files.storage import store
from coordapp.reports import kit, public_bp
from coordapp.reports.attachments import public_files
from coordapp.reports.models import PUBLISHED, AccountabilityReport, ReportVersion

MAX_AGE = 300  # seconds a browser or proxy may keep a page before asking again (a correction shows soon)


def _published(report_id: int, number: int | None = None) -> ReportVersion:
    report = db.get_or_404(AccountabilityReport, report_id)
    if number is None:
        version = report.latest_published
    else:
        version = next((v for v in report.versions if v.number == number and v.status == PUBLISHED), None)
    if version is None:
        abort(404)
    return version


def _cacheable(response: Response, etag: str, max_age: int = MAX_AGE, shared: bool = True) -> Response:
    response.set_etag(etag)
    if shared:
        response.cache_control.public = True
    else:
        response.cache_control.private = True
    response.cache_control.max_age = max_age
    return response.make_conditional(request)


def _context(version: ReportVersion) -> dict:
    versions = [public_report(v) for v in version.report.versions if v.status == PUBLISHED]
    return {
        "report": public_report(version),
        "versions": versions,
        "is_latest": version.number == versions[-1]["version"],
        "attachments": public_files(version.report_id),
    }


def _page(version: ReportVersion) -> Response:
    """Answer a report page in the portal's frame: no session, cached, ``Cache-Control: public`` and an ETag.

    The portal (a feature above this one) frames and caches it (``lookups.PORTAL_PAGE``); an app
    without the portal renders it in the plain frame, privately cacheable. The files listed are part
    of the key: a file made public or internal changes the page.
    """
    listed = ".".join(str(f["id"]) for f in public_files(version.report_id))
    framed = lookups.ask(
        lookups.PORTAL_PAGE,
        "reports/public_report.html",
        (request.endpoint, version.id, listed),
        lambda: {**_context(version), "frame": "public/base.html"},
    )
    if framed is not None:
        return framed
    response = Response(render_template("reports/public_report.html", **_context(version)), mimetype="text/html")
    response.vary.update(("Cookie", "Accept-Language"))  # the language comes from either
    # base.html's language switch carries the visitor's CSRF token: browsers may keep the page, shared caches not.
    return _cacheable(response, f"report-{version.id}-{listed}-{get_locale()}", shared=False)


@public_bp.get("/<int(max=2147483647):report_id>")
@public
def report(report_id: int):
    """Show a report's newest published version to anyone."""
    return _page(_published(report_id))


@public_bp.get("/<int(max=2147483647):report_id>/v<int(max=2147483647):number>")
@public
def version(report_id: int, number: int):
    """Show one published version of a report (older ones stay readable)."""
    return _page(_published(report_id, number))


@public_bp.get("/<int(max=2147483647):report_id>/v<int(max=2147483647):number>.pdf")
@public
def pdf(report_id: int, number: int):
    """Download the PDF of a published version: the very file sent to Pemkot and KPU RI."""
    version = _published(report_id, number)
    response = Response(
        store().get(version.pdf_sha256),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="laporan-{report_id}-v{number}.pdf"'},
    )
    return _cacheable(response, version.pdf_sha256, max_age=86400)


@public_bp.get("/<int(max=2147483647):report_id>/share.png")
@public
def share_image(report_id: int):
    """Return the share image (1200x630) of a report's newest published version."""
    version = _published(report_id)
    response = Response(kit.share_image(version), mimetype="image/png")
    return _cacheable(response, f"share-{version.id}")


@public_bp.get("/<int(max=2147483647):report_id>/qr.png")
@public
def qr_code(report_id: int):
    """Return a QR code of the report's public address, for posters."""
    version = _published(report_id)
    response = Response(kit.qr_png(version.report), mimetype="image/png")
    return _cacheable(response, f"qr-{version.report_id}")
