"""Demo steps other features add, run after the elections, meetings and issues exist.

Each step finds its rows by natural key before creating them (seed-demo runs again and changes
nothing) and its counts go into the seed report.
"""

from datetime import date

from coordapp.core.time import utcnow
from coordapp.demo.outreach import minimal_pdf, minimal_png, seed_demo_meetings_outreach
from coordapp.files.services import attach
from coordapp.notifications.demo import seed_demo_inbox
from coordapp.reports.demo import seed_demo_reports


def seed_report_files(reports) -> int:
    """Attach to the first demo report a public signed record (on its public page) and an internal photo."""
    if not reports:
        return 0
    first = reports[0]
    version = first.latest_published or first.latest
    when, author = version.published_dt or first.created_dt, version.published_by or first.created_by
    record = attach("report", first, "berita-acara-pleno.pdf", minimal_pdf("Berita acara rapat pleno"), author, when)
    record.is_public = True
    attach("report", first, "foto-pleno.png", minimal_png(rgb=(15, 91, 140)), author, when)
    return 2


def run(demo, exercise, today: date, report) -> None:
    """Add the accountability reports (2020, finished, with files), the meetings' outreach and a few inbox items."""
    reports = seed_demo_reports(demo.election, today)
    report.created["accountability reports"] += len(reports)
    report.created["report attachments"] += seed_report_files(reports)
    report.created.update(seed_demo_meetings_outreach(exercise.election, today, utcnow()))
    users = exercise.users
    staff, colleague = users["staf.demo@example.org"], users["staf2.demo@example.org"]
    report.created["inbox notifications"] += seed_demo_inbox(
        exercise.election, staff, colleague, users["manajer.demo@example.org"]
    )
