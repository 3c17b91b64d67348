"""The targets the scorecard grid colours each figure against, and how a figure is graded.

The time targets are the app's own rules: a first response within RESPONSE_DAYS is what the
scorecard counts as timely (indicators.py); resolution within RESOLUTION_DAYS and the shares are
the targets this scorecard states in its legend, so a reader knows what green means.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from coordapp.dashboard.indicators import RESPONSE_DAYS

RESOLUTION_DAYS = 14  # an issue resolved within two weeks of being raised meets the target
REPORT_DAYS = 14  # a stage's report published within two weeks of its end


@dataclass(frozen=True)
class Target:
    """At least (share, as a fraction) or at most (days) this value; near: within the margin of it."""

    value: float
    at_most: bool = False  # days: lower is better

    def grade(self, figure: float | None) -> str:
        """Return "meets", "near", "misses", or "none" when nothing was measured."""
        if figure is None:
            return "none"
        if self.at_most:
            return "meets" if figure <= self.value else "near" if figure <= self.value * 1.5 else "misses"
        return "meets" if figure >= self.value else "near" if figure >= self.value - 0.15 else "misses"


TARGETS = {
    "resolved_by_stage_end": Target(0.8),
    "replied_to_reminders": Target(0.5),
    "followed_up_in_3_days": Target(0.8),
    "median_response_days": Target(RESPONSE_DAYS, at_most=True),
    "median_resolution_days": Target(RESOLUTION_DAYS, at_most=True),
    "resolved_by_due": Target(0.8),
    "minutes_in_48h": Target(0.8),
    "commitments_kept": Target(0.8),
    "meetings_published": Target(0.5),
    "issues_published": Target(0.5),
    "report_lag_days": Target(REPORT_DAYS, at_most=True),
}


def grade(key: str, value) -> str:
    """Grade a scorecard value against its target ("untargeted" for plain counts)."""
    target = TARGETS.get(key)
    if target is None:
        return "untargeted"
    return target.grade(getattr(value, "share", value))


# The grid's column headings: a few words each, so sixteen columns fit a laptop's width (the full label is the
# heading's title, and the detail tables give each definition).
GRID_LABELS = {
    "meetings_held": _l("Meetings"),
    "issues_resolved": _l("Resolved"),
    "resolved_by_stage_end": _l("By stage end"),
    "replied_to_reminders": _l("Replied"),
    "followed_up_in_3_days": _l("Answered in 3 d"),
    "median_response_days": _l("Days to answer"),
    "median_resolution_days": _l("Days to resolve"),
    "resolved_by_due": _l("By due date"),
    "minutes_in_48h": _l("Minutes in 48 h"),
    "commitments_kept": _l("Commitments kept"),
    "meetings_published": _l("Meetings public"),
    "issues_published": _l("Issues public"),
    "reports_published": _l("Reports"),
    "report_lag_days": _l("Days to report"),
    "channel_posts": _l("Posts"),
    "channels_used": _l("Channels"),
}
