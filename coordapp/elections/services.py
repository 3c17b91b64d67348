"""Election rules: seeding stages from a template, picking the active election, stage counts."""

from datetime import date

from coordapp.core import lookups
from coordapp.elections.models import Election, Stage
from coordapp.elections.stage_templates import TEMPLATES
from coordapp.extensions import db


def seed_stages(election: Election, template: str = "pilkada", with_dates: bool = False) -> list[Stage]:
    """Give an election the stages of a template, in order (dates only when asked)."""
    stages = []
    for position, (code, name, name_en, phase, start, end) in enumerate(TEMPLATES[template], start=1):
        stage = Stage(
            position=position,
            code=code,
            name=name,
            name_en=name_en,
            phase=phase,
            start_date=start if with_dates else None,
            end_date=end if with_dates else None,
        )
        election.stages.append(stage)
        stages.append(stage)
    return stages


def active_election() -> Election | None:
    """Return the election staff work on: the newest active one."""
    return (
        db.session.execute(
            db.select(Election)
            .where(Election.is_active.is_(True))
            .order_by(Election.voting_date.desc().nulls_last(), Election.id.desc())
        )
        .scalars()
        .first()
    )


def all_elections() -> list[Election]:
    """Return every election, active and newest first, for an election picker."""
    return list(
        db.session.execute(
            db.select(Election).order_by(
                Election.is_active.desc(), Election.voting_date.desc().nulls_last(), Election.id.desc()
            )
        ).scalars()
    )


def chosen_election(election_id: int | None) -> Election | None:
    """Return the election asked for, else the active one (None when there is none)."""
    chosen = db.session.get(Election, election_id) if election_id else None
    return chosen or active_election()


def stage_counts(election: Election) -> dict[int, dict[str, int]]:
    """Count meetings and open/resolved issues per stage of an election (answered by meetings and issues)."""
    meetings = lookups.ask(lookups.MEETING_COUNTS_BY_STAGE, election, default={})
    issues = lookups.ask(lookups.ISSUE_COUNTS_BY_STAGE, election, default={})
    counts = {}
    for stage in election.stages:
        open_n, resolved_n = issues.get(stage.id, (0, 0))
        counts[stage.id] = {"meetings": meetings.get(stage.id, 0), "open": open_n, "resolved": resolved_n}
    return counts


def stage_dates_problem(start: date | None, end: date | None) -> bool:
    """Tell whether a stage's dates are the wrong way round."""
    return bool(start and end and end < start)
