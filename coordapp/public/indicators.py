"""The five indicators on the election page, valued from what is public only.

The indicators are those of the field study (docs/reference.md, "The five indicators"; their names
and definitions are the scorecard's, ``coordapp.dashboard.indicators``). The scorecard measures
them on every record; the portal measures each on the published records, the stages' dates and
the figures frozen in published accountability reports, and says so in each measure's definition.
A share is never shown against an internal total (no "x% of the meetings were published").
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from coordapp.dashboard.indicators import INDICATORS
from coordapp.public.figures import ReportFigures, StageFigures
from coordapp.reports.formatting import number, percent


@dataclass(frozen=True)
class PublicMeasure:
    """One measure as the portal shows it: its label, its value as text and what it counts."""

    key: str
    label: object
    value: str
    definition: object


@dataclass(frozen=True)
class PublicIndicator:
    """One of the five indicators with its definition and its measures on public data."""

    key: str
    name: object
    definition: object
    measures: tuple[PublicMeasure, ...]


_REPORTED = _l(
    "As frozen in the newest published whole-election accountability report (all issues, not only the published ones)."
)


def _share(part: int, whole: int, locale: str) -> str:
    return percent(part * 100 / whole, locale) if whole else "–"


def _reported(reported: dict | None, key: str, locale: str, as_percent: bool = False) -> str:
    value = (reported or {}).get(key)
    if value is None:
        return "–"
    return percent(value, locale) if as_percent else number(value, locale)


def public_indicators(total: StageFigures, reports: ReportFigures, stages_over: int, locale: str) -> list:
    """Return the five indicators, each with its measures valued from the published data."""
    reported = reports.reported
    measures = {
        "productivity": (
            ("meetings_held", _l("Meetings held"), number(total.meetings_held, locale),
             _l("Published meetings that have taken place.")),
            ("issues_resolved", _l("Issues resolved"), number(total.resolved, locale),
             _l("Published issues whose status is resolved or closed.")),
            ("resolved_by_stage_end", _l("Resolved by the stage's end"),
             _share(total.resolved_by_stage_end, total.in_stages_over, locale),
             _l("Of the published issues of stages that are over, "
                "the share resolved before the stage's last day ended.")),
        ),
        "service_quality": (
            ("organizations", _l("Organisations engaged"), number(total.organizations, locale),
             _l("Organisations named on the published meetings and issues.")),
            ("stakeholder_replies", _l("Stakeholder replies"), _reported(reported, "stakeholder_replies", locale),
             _REPORTED),
        ),
        "responsiveness": (
            ("median_resolution_days", _l("Median days to resolution"),
             number(total.median_days, locale),
             _l("Median time from a published issue being raised to its resolution, over the resolved ones.")),
            ("reported_median_days", _l("Median days to resolution, as reported"),
             _reported(reported, "median_days_to_resolve", locale), _REPORTED),
        ),
        "responsibility": (
            ("resolved_by_due", _l("Resolved by the due date"),
             _reported(reported, "on_time_rate", locale, as_percent=True), _REPORTED),
            ("open_after_stage_end", _l("Still open after their stage"), number(total.open_after_stage_end, locale),
             _l("Published issues of stages that are over that are not resolved yet.")),
        ),
        "accountability": (
            ("meetings_published", _l("Meetings published"), number(total.meetings, locale),
             _l("Meetings the commission published on this portal.")),
            ("issues_published", _l("Issues published"), number(total.issues, locale),
             _l("Issues the commission published on this portal.")),
            ("reports_published", _l("Reports published"), number(reports.reports, locale),
             _l("Accountability reports with a published version, per stage and for the whole election.")),
            ("stages_reported", _l("Stages over with a report"),
             _l("%(done)s of %(over)s", done=reports.stages_reported, over=stages_over),
             _l("Stages whose last day has passed that have a published accountability report.")),
            ("report_lag_days", _l("Days from stage end to its report"), number(reports.median_lag_days, locale),
             _l("Median, over the stages that are over and reported, of the days from a stage's last day "
                "to the first publication of its report.")),
        ),
    }  # fmt: skip
    return [
        PublicIndicator(ind.key, ind.name, ind.definition, tuple(PublicMeasure(*m) for m in measures[ind.key]))
        for ind in INDICATORS
    ]
