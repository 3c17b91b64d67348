"""Demo steps other features add, run after the elections, meetings and issues exist.

Each step finds its rows by natural key before creating them (seed-demo runs again and changes
nothing) and its counts go into the seed report.
"""

from datetime import date

from coordapp.core.time import utcnow
from coordapp.demo.outreach import seed_demo_meetings_outreach
from coordapp.reports.demo import seed_demo_reports


def run(demo, exercise, today: date, report) -> None:
    """Add the accountability reports (2020, finished) and the meetings' outreach (the live exercise)."""
    report.created["accountability reports"] += len(seed_demo_reports(demo.election, today))
    report.created.update(seed_demo_meetings_outreach(exercise.election, today, utcnow()))
