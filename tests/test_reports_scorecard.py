"""The scorecard's accountability indicator counts what reached the public: reports, lag, channels."""

from datetime import date

from coordapp.dashboard.scorecard import Period, compute_scorecard
from coordapp.extensions import db
from coordapp.reports.models import ChannelPost
from tests import factories
from tests.reports_support import make_report


def test_channel_posts_count_per_stage_and_overall(app, client, auth):
    election = factories.make_election()
    first, second = election.stages[0], election.stages[1]
    a = make_report(election, stage=first, status="published")
    b = make_report(election, stage=second, status="published")
    make_report(election, stage=None, status="approved")  # not published: not counted
    for report, channel, day in (
        (a, "website", date(2020, 1, 10)),
        (a, "instagram", date(2020, 1, 11)),
        (a, "instagram", date(2020, 2, 1)),
        (b, "radio", date(2020, 6, 20)),
    ):
        report.channel_posts.append(ChannelPost(channel=channel, posted_date=day))
    db.session.commit()

    card = compute_scorecard(election)
    rows = {row.stage.id: row.values for row in card.rows}
    assert (rows[first.id]["channel_posts"], rows[first.id]["channels_used"]) == (3, 2)
    assert (rows[second.id]["channel_posts"], rows[second.id]["channels_used"]) == (1, 1)
    assert (card.overall.values["channel_posts"], card.overall.values["channels_used"]) == (4, 3)
    assert card.overall.values["reports_published"] == 2
    january = compute_scorecard(election, Period(date(2020, 1, 1), date(2020, 1, 31)))
    assert january.overall.values["channel_posts"] == 2

    auth.as_role("manager")
    page = client.get(f"/dashboard/scorecard?election={election.id}").get_data(as_text=True)
    assert "Publikasi per kanal" in page and "Kanal yang dijangkau" in page
    assert "Belum ada laporan pertanggungjawaban" not in page
