"""The five performance indicators of the field study and how each is measured from the data.

The indicators are those of docs/reference.md ("The five indicators"). The texts are what the
scorecard page shows next to each figure, so a reader can check
what a number means; ``scorecard.py`` computes exactly what they say.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

RESPONSE_DAYS = 3  # a follow-up within this many days counts as a timely first response
MINUTES_HOURS = 48  # minutes written within this many hours of a meeting's end count as timely


@dataclass(frozen=True)
class Measure:
    key: str
    label: object
    definition: object
    kind: str  # "count", "share", "days"


@dataclass(frozen=True)
class Indicator:
    key: str
    name: object
    definition: object
    measures: tuple[Measure, ...]


INDICATORS = (
    Indicator(
        "productivity",
        _l("Productivity"),
        _l("What the body gets done in each stage."),
        (
            Measure(
                "meetings_held", _l("Meetings held"), _l("Meetings dated up to today, archived ones left out."), "count"
            ),
            Measure(
                "issues_resolved", _l("Issues resolved"), _l("Issues whose status is resolved or closed."), "count"
            ),
            Measure(
                "resolved_by_stage_end",
                _l("Resolved by the stage's end"),
                _l("Of the issues of stages that are over, the share resolved before the stage's last day ended."),
                "share",
            ),
        ),
    ),
    Indicator(
        "service_quality",
        _l("Service quality"),
        _l("How stakeholders are served and how they take part."),
        (
            Measure(
                "replied_to_reminders",
                _l("Stakeholders who replied to reminders"),
                _l(
                    "Of the stakeholder contacts sent a reminder about an issue, "
                    "the share who also replied on an issue."
                ),
                "share",
            ),
            Measure(
                "followed_up_in_3_days",
                _l("Issues followed up within 3 days"),
                _l(
                    "Share of issues whose first follow-up came within 3 days of being raised "
                    "(issues raised less than 3 days ago count once they have one)."
                ),
                "share",
            ),
        ),
    ),
    Indicator(
        "responsiveness",
        _l("Responsiveness"),
        _l("How fast the body reacts to an issue."),
        (
            Measure(
                "median_response_days",
                _l("Median days to first response"),
                _l("Median time from an issue being raised to its first follow-up, over issues that have one."),
                "days",
            ),
            Measure(
                "median_resolution_days",
                _l("Median days to resolution"),
                _l("Median time from an issue being raised to its resolution, over resolved issues."),
                "days",
            ),
        ),
    ),
    Indicator(
        "responsibility",
        _l("Responsibility"),
        _l("Whether the body keeps its own deadlines."),
        (
            Measure(
                "resolved_by_due",
                _l("Resolved by the due date"),
                _l("Of the issues with a due date that are resolved or past due, the share resolved on or before it."),
                "share",
            ),
            Measure(
                "minutes_in_48h",
                _l("Minutes within 48 hours"),
                _l(
                    "Of the meetings held, the share whose minutes were written within 48 hours of the meeting's end "
                    "(meetings that ended less than 48 hours ago count once they have minutes)."
                ),
                "share",
            ),
            Measure(
                "commitments_kept",
                _l("Commitments kept"),
                _l("Of the commitments done or past their due date, the share done on or before it."),
                "share",
            ),
        ),
    ),
    Indicator(
        "accountability",
        _l("Accountability"),
        _l("What the body makes public."),
        (
            Measure(
                "meetings_published",
                _l("Meetings published"),
                _l("Share of the meetings held that are marked public."),
                "share",
            ),
            Measure(
                "issues_published", _l("Issues published"), _l("Share of the issues that are marked public."), "share"
            ),
            Measure(
                "reports_published",
                _l("Reports published"),
                _l(
                    "Accountability reports published for the stage "
                    "(overall: all reports, including whole-election ones)."
                ),
                "count",
            ),
            Measure(
                "report_lag_days",
                _l("Days from stage end to its report"),
                _l("Days from a stage's last day to its first published report (overall: the median over stages)."),
                "days",
            ),
            Measure(
                "channel_posts",
                _l("Publications per channel"),
                _l(
                    "Times the stage's published reports were posted on a channel (website, social media, WhatsApp, "
                    "press, radio, notice board), as recorded in their channel logs."
                ),
                "count",
            ),
            Measure(
                "channels_used",
                _l("Channels reached"),
                _l("Different channels the stage's reports were posted on (overall: across the election)."),
                "count",
            ),
        ),
    ),
)
