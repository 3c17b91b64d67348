"""The home page: the active election and its stages with their counts."""

from flask import render_template, request
from flask_login import current_user

from coordapp.auth.access import login_required
from coordapp.core import lookups
from coordapp.core.time import local_today
from coordapp.elections import bp, services


@bp.get("/")
@login_required
def home():
    """Show what concerns the reader first (core.lookups.HOME_PANELS: by role), then the election's stages."""
    elections = services.all_elections()
    election = services.chosen_election(request.args.get("election", type=int))
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
        panels=lookups.ask(lookups.HOME_PANELS, current_user, election, today, default=[]),
    )
