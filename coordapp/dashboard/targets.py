"""The targets the scorecard grid colours each figure against, and how a figure is graded.

The time targets are the app's own rules: a first response within RESPONSE_DAYS is what the
scorecard counts as timely (indicators.py); resolution within RESOLUTION_DAYS and the shares are
the targets this scorecard states in its legend, so a reader knows what green means.
"""

from dataclasses import dataclass

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
