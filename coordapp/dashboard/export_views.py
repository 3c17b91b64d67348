"""Downloads for managers: any filtered issue list, meetings, and the stage summary, as CSV or XLSX."""

from dataclasses import replace

from flask import abort, request
from flask_babel import get_locale
from flask_babel import gettext as _

from coordapp.auth.access import role_required
from coordapp.core.time import local_today
from coordapp.dashboard import bp, export_rows
from coordapp.dashboard.board import build_board
from coordapp.dashboard.exports import FORMATS, download
from coordapp.elections import services as elections
from coordapp.issues.filters import IssueFilter
from coordapp.meetings.queries import MeetingFilter


def _checked(fmt: str) -> str:
    if fmt not in FORMATS:
        abort(404)
    return fmt


def _election_or_404(election_id: int | None):
    election = elections.chosen_election(election_id)
    if election is None:
        abort(404)
    return election


@bp.get("/export/issues.<fmt>")
@role_required("manager")
def export_issues(fmt: str):
    """Download the issues of an issue-list filter (same query args as the list)."""
    _checked(fmt)
    issue_filter = IssueFilter.from_args(request.args)
    election = _election_or_404(issue_filter.election_id)
    issue_filter = replace(issue_filter, election_id=election.id)
    today = local_today(election.timezone)
    rows = export_rows.issue_rows(issue_filter, today, str(get_locale()))
    return download(fmt, f"issues-{today:%Y%m%d}", export_rows.issue_headers(), rows, election.timezone, _("Issues"))


@bp.get("/export/meetings.<fmt>")
@role_required("manager")
def export_meetings(fmt: str):
    """Download the meetings of a meeting-list filter (same query args as the meeting list)."""
    _checked(fmt)
    meeting_filter = MeetingFilter.from_args(request.args)
    election = _election_or_404(meeting_filter.election)
    rows = export_rows.meeting_rows(meeting_filter, election, str(get_locale()))
    today = local_today(election.timezone)
    return download(
        fmt, f"meetings-{today:%Y%m%d}", export_rows.meeting_headers(), rows, election.timezone, _("Meetings")
    )


@bp.get("/export/stages.<fmt>")
@role_required("manager")
def export_stages(fmt: str):
    """Download the stage board's figures, one row per stage plus the totals."""
    _checked(fmt)
    election = _election_or_404(request.args.get("election", type=int))
    board = build_board(election, local_today(election.timezone))
    rows = export_rows.stage_rows(board, str(get_locale()))
    return download(
        fmt, f"stages-{board.today:%Y%m%d}", export_rows.stage_headers(), rows, election.timezone, _("Stages")
    )
