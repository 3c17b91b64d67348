"""The portal's pages: elections, an election's timeline, a stage, a meeting, an issue, search.

No login, no JavaScript, no form that needs a session: every page is the same for everyone
in a language, so it is cached whole and carries an ETag. Templates get public projections
only (``coordapp.core.visibility``).
"""

from flask import abort, request
from flask_babel import get_locale

from coordapp.auth.access import public
from coordapp.core.time import local_today
from coordapp.core.visibility import public_issue, public_meeting
from coordapp.elections.models import Election
from coordapp.public import bp, figures, queries, registry
from coordapp.public.indicators import public_indicators
from coordapp.public.portal import page

SEARCH_MAX = 100


def _election_or_404(slug: str) -> Election:
    election = queries.election_by_slug(slug)
    if election is None:
        abort(404)
    return election


@bp.get("/")
@public
def index():
    """List the elections, newest first."""
    return page("public/index.html", (), lambda: {"elections": queries.elections()})


@bp.get("/<slug>/")
@public
def election(slug: str):
    """Show an election: its stages on a timeline, headline figures, the indicators, latest publications."""
    election = _election_or_404(slug)

    def context() -> dict:
        today = local_today(election.timezone)
        per_stage, total = figures.figures(election, today)
        over = len(figures.stages_over(election, today))
        locale = str(get_locale())
        return {
            "election": election,
            "current": election.current_stage(today),
            "per_stage": per_stage,
            "total": total,
            "indicators": public_indicators(total, figures.report_figures(election, today), over, locale),
            "latest": registry.publications(election.id, limit=10),
            "stage_names": queries.stage_names(election, str(get_locale())),
        }

    return page("public/election.html", (election.id,), context)


@bp.get("/<slug>/<code>/")
@public
def stage(slug: str, code: str):
    """Show one stage: its published meetings and issues, what was agreed, and its reports."""
    election = _election_or_404(slug)
    stage = queries.stage_by_code(election, code)
    if stage is None:
        abort(404)

    def context() -> dict:
        today = local_today(election.timezone)
        per_stage, _total = figures.figures(election, today, stage)
        return {
            "election": election,
            "stage": stage,
            "current": election.current_stage(today),
            "figures": per_stage.get(stage.id),
            "meetings": queries.stage_meetings(stage),
            "issues": queries.stage_issues(stage),
        }

    return page("public/stage.html", (stage.id,), context)


@bp.get("/meetings/<int(max=2147483647):meeting_id>")
@public
def meeting(meeting_id: int):
    """Show a published meeting: its public summary, the organisations, the issues raised there."""
    record = queries.published_meeting(meeting_id)
    if record is None:
        abort(404)
    return page(
        "public/meeting.html",
        (meeting_id,),
        lambda: {
            "election": record.election,
            "stage": record.stage,
            "meeting": public_meeting(record),
            "issues": queries.meeting_issues(record.id),
        },
    )


@bp.get("/issues/<int(max=2147483647):issue_id>")
@public
def issue(issue_id: int):
    """Show a published issue: its public wording, status and how long it took."""
    record = queries.published_issue(issue_id)
    if record is None:
        abort(404)
    return page(
        "public/issue.html",
        (issue_id,),
        lambda: {"election": record.election, "stage": record.stage, "issue": public_issue(record)},
    )


@bp.get("/search")
@public
def search():
    """Search the published meetings and issues (of one election when ?election= names it)."""
    words = request.args.get("q", "").replace("\x00", "").strip()[:SEARCH_MAX]
    slug = request.args.get("election", "")
    election = queries.election_by_slug(slug) if slug else None

    def context() -> dict:
        meetings, issues = queries.search(words, election) if words else ([], [])
        return {"words": words, "election": election, "meetings": meetings, "issues": issues}

    args = {k: v for k, v in (("q", words), ("election", election.slug if election else "")) if v}
    return page("public/search.html", (words, election.id if election else ""), context, args=args)
