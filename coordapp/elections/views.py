"""The home page: the active election and its stages with their counts."""
from flask import render_template, request

from coordapp.auth.access import login_required
from coordapp.core.time import local_today
from coordapp.elections import bp, services
from coordapp.elections.models import Election
from coordapp.extensions import db


@bp.get("/")
@login_required
def home():
    """Show the election's stages in order, the current one marked, with counts per stage."""
    elections = db.session.execute(db.select(Election).order_by(Election.is_active.desc(), Election.id.desc())).scalars().all()
    chosen = request.args.get("election", type=int)
    election = next((e for e in elections if e.id == chosen), None) or services.active_election()
    if election is None:
        return render_template("elections/home.html", election=None, elections=elections)
    today = local_today(election.timezone)
    return render_template(
        "elections/home.html",
        election=election,
        elections=elections,
        counts=services.stage_counts(election),
        current=election.current_stage(today),
        today=today,
    )
