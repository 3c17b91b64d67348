"""Reports built for tests: a report with budget lines, taken through the workflow to a given status."""

from datetime import UTC, datetime

from coordapp.reports import services
from tests import factories

LINES = [
    ("521211", "Rapat koordinasi", 45_000_000, 41_250_000, "Dua rapat digabung"),
    ("521213", "Honorarium PPDP", 1_234_567, 1_234_567, ""),
]


def make_report(election=None, stage="first", author=None, approver=None, status="draft", lines=LINES, **fields):
    """Create a report with budget lines and take its first version to status (draft .. published)."""
    election = election or factories.make_election()
    stage = election.stages[0] if stage == "first" else stage
    author = author or factories.make_user("manager", name="Penulis Laporan")
    values = {"title": "Laporan tahapan perencanaan", "narrative": "## Ringkasan\nSemua berjalan baik."}
    values.update(fields)
    report = services.create_report(election, stage, author, **values)
    for code, description, allocated, realised, note in lines:
        services.add_budget_line(
            report.latest,
            account_code=code,
            description=description,
            stage_id=None,
            allocated=allocated,
            realised=realised,
            variance_note=note,
        )
    steps = ["submitted", "approved", "published"]
    target = steps.index(status) + 1 if status in steps else 0
    approver = approver or (factories.make_user("admin", name="Penyetuju Laporan") if target >= 2 else None)
    when = datetime(2020, 1, 10, 3, tzinfo=UTC)
    if target >= 1:
        services.submit(report.latest, author)
    if target >= 2:
        services.approve(report.latest, approver, now=when)
    if target >= 3:
        services.publish(report.latest, approver, now=when)
    return report
