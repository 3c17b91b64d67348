"""The election page's five indicators: valued from published records, stage dates and published reports only.

The world is small enough to count by hand (Asia/Jakarta, UTC+7). Stage A (October 2020) is over: its last
day ends 2020-10-31 17:00 UTC. Stage B runs from ten days ago to a month from now. Published issues: in A,
2 days (resolved), 6 days (closed), 12 days (resolved after A ended), one open; in B, 1 day and one open.
Internal records - a 100-day issue, an open one, a meeting - and an archived published issue must change nothing.
"""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from coordapp.core.time import local_today
from coordapp.extensions import db
from coordapp.public import cache
from tests import factories
from tests.querycount import count_queries
from tests.reports_support import make_report

DAY = timedelta(days=1)


def _at(day: int, month: int = 10) -> datetime:
    return datetime(2020, month, day, tzinfo=UTC)


@pytest.fixture
def world(app):
    election = factories.make_election(name="Pilkada Ukur 2020", slug="pilkada-ukur-2020")
    stage_a, stage_b = election.stages[4], election.stages[5]
    stage_a.start_date, stage_a.end_date = date(2020, 10, 1), date(2020, 10, 31)
    today = local_today(election.timezone)
    stage_b.start_date, stage_b.end_date = today - 10 * DAY, today + 30 * DAY
    orgs = [factories.make_organization(name=f"Organisasi Ukur {k}") for k in range(4)]
    now = datetime.now(UTC)

    def issue(stage, created, resolved=None, status=None, public=True, **extra):
        return factories.make_issue(
            election,
            stage=stage,
            title="Judul internal",
            public_title="Kendala publik" if public else "",
            status=status or ("resolved" if resolved else "open"),
            created_dt=created,
            resolved_dt=resolved,
            is_public=public,
            **extra,
        )

    issue(stage_a, _at(1), _at(3), organizations=[orgs[0]])  # 2 days, by the stage's end
    issue(stage_a, _at(10), _at(16), status="closed")  # 6 days, by the stage's end
    issue(stage_a, _at(20), _at(1, 11))  # 12 days, after the stage ended (17:00 UTC on 31 October)
    issue(stage_a, _at(25))  # still open after its stage
    issue(stage_b, now - 5 * DAY, now - 4 * DAY, organizations=[orgs[3]])  # 1 day; B is not over
    issue(stage_b, now - 2 * DAY)
    issue(stage_a, _at(2), _at(2) + 100 * DAY, public=False, organizations=[orgs[2]])  # internal
    issue(stage_a, _at(3), public=False)  # internal, open
    issue(stage_a, _at(4), _at(5), is_archived=True)  # published once, archived: not public
    factories.make_meeting(
        election, stage=stage_a, start_dt=_at(7), is_public=True, public_title="Rakor", organizations=[orgs[0]]
    )
    factories.make_meeting(
        election, stage=stage_b, start_dt=now + 10 * DAY, is_public=True, public_title="Rakor", organizations=[orgs[1]]
    )
    factories.make_meeting(election, stage=stage_a, start_dt=_at(8), organizations=[orgs[2]])  # internal
    stage_report = make_report(election, stage=stage_a, status="published")
    stage_report.published_dt = datetime(2020, 11, 10, 3, tzinfo=UTC)  # 10 days after A's last day
    whole = make_report(election, stage=None, status="published", title="Laporan seluruh pemilihan")
    whole.latest.figures = {"stakeholder_replies": 7, "median_days_to_resolve": 5.5, "on_time_rate": 80.0}
    make_report(election, stage=stage_b, status="approved", title="Belum terbit")
    db.session.commit()
    return election


def _measures(page: str) -> dict[str, str]:
    found = re.findall(r'id="measure-(\w+)".*?<span class="value">(.*?)</span>', page, flags=re.S)
    return dict(found)


def test_the_indicators_are_valued_from_published_data_only(client, world):
    page = client.get("/public/pilkada-ukur-2020/").get_data(as_text=True)
    for key in ("productivity", "service_quality", "responsiveness", "responsibility", "accountability"):
        assert f'id="indicator-{key}"' in page
    assert _measures(page) == {
        "meetings_held": "1",  # the other published meeting is still to come
        "issues_resolved": "4",
        "resolved_by_stage_end": "50,0%",  # 2 of the 4 published issues of stage A
        "organizations": "3",  # the internal records' organisation is not counted
        "stakeholder_replies": "7",
        "median_resolution_days": "4,0",  # 1, 2, 6, 12
        "reported_median_days": "5,5",
        "resolved_by_due": "80,0%",
        "open_after_stage_end": "1",
        "meetings_published": "2",
        "issues_published": "6",
        "reports_published": "2",  # the draft of stage B is not
        "stages_reported": "1 dari 19",  # every 2020 stage is over, B is not
        "report_lag_days": "10,0",
    }


def test_no_share_is_shown_against_an_internal_total(client, world):
    page = client.get("/public/pilkada-ukur-2020/?lang=en").get_data(as_text=True)
    assert "Share of the meetings held that are marked public" not in page  # the scorecard's, not the portal's
    assert "Median days to resolution" in page and "Organisations named on the published meetings" in page
    assert "Judul internal" not in page


def test_an_internal_change_does_not_move_a_public_figure(client, world):
    before = _measures(client.get("/public/pilkada-ukur-2020/").get_data(as_text=True))
    stage = world.stages[4]
    factories.make_issue(world, stage=stage, status="resolved", created_dt=_at(1), resolved_dt=_at(2))
    db.session.commit()
    cache.bump_version()
    assert _measures(client.get("/public/pilkada-ukur-2020/").get_data(as_text=True)) == before


def test_the_stage_page_shows_its_own_median(client, world):
    page = client.get(f"/public/pilkada-ukur-2020/{world.stages[4].code}/").get_data(as_text=True)
    assert '<span class="big">6,0</span>' in page  # 2, 6 and 12 days, in Indonesian
    english = client.get(f"/public/pilkada-ukur-2020/{world.stages[4].code}/?lang=en").get_data(as_text=True)
    assert '<span class="big">6.0</span>' in english


def test_the_election_page_costs_the_same_queries_with_more_published_issues(app, world):
    def uncached_count() -> int:
        cache.bump_version()
        with app.test_client() as anonymous, count_queries() as counter:
            assert anonymous.get("/public/pilkada-ukur-2020/").status_code == 200
        return counter.count

    first = uncached_count()
    for k in range(5):
        factories.make_issue(
            world, stage=world.stages[k], status="resolved", created_dt=_at(1), resolved_dt=_at(2 + k), is_public=True
        )
    db.session.commit()
    assert uncached_count() == first


def test_the_election_page_costs_the_same_queries_with_more_published_reports(app, world):
    def uncached_count() -> int:
        cache.bump_version()
        with app.test_client() as anonymous, count_queries() as counter:
            assert anonymous.get("/public/pilkada-ukur-2020/").status_code == 200
        return counter.count

    first = uncached_count()
    for k in range(3):
        make_report(world, stage=world.stages[k], status="published", title=f"Laporan tambahan {k}")
    db.session.commit()
    assert uncached_count() == first
