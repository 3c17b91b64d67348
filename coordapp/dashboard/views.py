"""The stage board and the scorecard."""

from flask import render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from coordapp.auth.access import role_required
from coordapp.core.conditional import revalidated
from coordapp.core.labels import label
from coordapp.core.page_cache import shared_content
from coordapp.core.time import local_today
from coordapp.dashboard import bp
from coordapp.dashboard.board import build_board
from coordapp.dashboard.charts import board_charts, scorecard_charts
from coordapp.dashboard.forms import PeriodForm
from coordapp.dashboard.indicators import INDICATORS
from coordapp.dashboard.scorecard import Period, compute_scorecard
from coordapp.dashboard.targets import GRID_LABELS, TARGETS, grade
from coordapp.elections import services as elections
from coordapp.issues.models import STATUSES, Issue


def _no_election():
    return render_template("dashboard/no_election.html")


@bp.get("/")
@role_required("manager")
@revalidated
def board():
    """Show the stage board: each stage's issues by status, delays, medians and meetings held."""
    election = elections.chosen_election(request.args.get("election", type=int))
    if election is None:
        return _no_election()
    today = local_today(election.timezone)

    def render() -> str:
        board = build_board(election, today)
        return render_template(
            "dashboard/_board_content.html",
            board=board,
            charts=board_charts(board, str(get_locale())),
            election=election,
            elections=elections.all_elections(),
            status_labels={s: label("status", s) for s in STATUSES},
        )

    return render_template("dashboard/board.html", content=shared_content((election.id, today), render))


@bp.get("/scorecard")
@role_required("manager")
@revalidated
def scorecard():
    """Show the five performance indicators per stage and overall, for an optional period."""
    election = elections.chosen_election(request.args.get("election", type=int))
    if election is None:
        return _no_election()
    form = PeriodForm(request.args)
    valid = form.validate()
    period = Period(form.start.data, form.end.data) if valid else Period()

    def render() -> str:
        return render_template(
            "dashboard/_scorecard_content.html",
            card=compute_scorecard(election, period),
            charts=scorecard_charts(election, period.where(Issue.created_dt, election.timezone)),
            grade=grade,
            targets=TARGETS,
            grid_labels=GRID_LABELS,
            form=form,
            indicators=INDICATORS,
            election=election,
            elections=elections.all_elections(),
        )

    # A period with errors is answered afresh (its messages), never from the cache.
    content = shared_content((election.id, local_today(election.timezone)), render) if valid else Markup(render())
    return render_template("dashboard/scorecard.html", content=content), 200 if valid else 422
