"""Election rules: seeding stages from a template, picking the active election, stage counts."""

from datetime import date

from sqlalchemy import case, func

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
    """Count meetings and open/resolved issues per stage of an election, in two queries."""
    from coordapp.issues.models import UNRESOLVED, Issue
    from coordapp.meetings.models import Meeting

    counts: dict[int, dict[str, int]] = {s.id: {"meetings": 0, "open": 0, "resolved": 0} for s in election.stages}
    meeting_rows = db.session.execute(
        db.select(Meeting.stage_id, func.count())
        .where(Meeting.election_id == election.id, Meeting.is_archived.is_(False))
        .group_by(Meeting.stage_id)
    )
    for stage_id, n in meeting_rows:
        if stage_id in counts:
            counts[stage_id]["meetings"] = n
    issue_rows = db.session.execute(
        db.select(
            Issue.stage_id,
            func.sum(case((Issue.status.in_(UNRESOLVED), 1), else_=0)),
            func.sum(case((Issue.status.in_(UNRESOLVED), 0), else_=1)),
        )
        .where(Issue.election_id == election.id, Issue.is_archived.is_(False))
        .group_by(Issue.stage_id)
    )
    for stage_id, open_n, resolved_n in issue_rows:
        if stage_id in counts:
            counts[stage_id]["open"] = int(open_n or 0)
            counts[stage_id]["resolved"] = int(resolved_n or 0)
    return counts


def stage_dates_problem(start: date | None, end: date | None) -> bool:
    """Tell whether a stage's dates are the wrong way round."""
    return bool(start and end and end < start)
