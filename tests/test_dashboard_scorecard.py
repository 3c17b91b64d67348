"""The five indicators on the fixed data set of dashboard_support, against values worked out by hand.

The working for each figure is in the comments: which issues or meetings count, and why.
"""

from datetime import date

import pytest

from coordapp.dashboard.scorecard import Period, Ratio, compute_scorecard
from coordapp.extensions import db
from coordapp.issues.models import FollowUp
from tests import factories
from tests.dashboard_support import NOW, build_world
from tests.querycount import count_queries


@pytest.fixture
def world(app):
    return build_world()


def row_of(card, stage):
    return next(r for r in card.rows if r.stage.id == stage.id).values


def test_stage_a_which_is_over(world):
    a = row_of(compute_scorecard(world.election, now=NOW), world.stage_a)
    # Productivity: M1, M2, M3 (M7 archived); A1, A2 (closed), A6 resolved; only A1 before 17 Oct 00:00 WIB.
    assert a["meetings_held"] == 3
    assert a["issues_resolved"] == 3
    assert a["resolved_by_stage_end"] == Ratio(1, 5)
    # Service quality: C1 reminded and replied; C2 reminded only (A7 is archived); C3 replied but was reminded in B.
    assert a["replied_to_reminders"] == Ratio(1, 2)
    # Within 3 days: A1 1 d, A3 2 d, A6 1 h; A2 took 4 d; A4 has none and was raised 6 days ago.
    assert a["followed_up_in_3_days"] == Ratio(3, 5)
    # Responsiveness: responses 1 h, 1, 2, 4 days -> (1 + 2) / 2; resolutions 23.5 h, 4, 16 days -> 4.
    assert a["median_response_days"] == pytest.approx(1.5)
    assert a["median_resolution_days"] == pytest.approx(4.0)
    # Responsibility: due dates of A1, A2, A3 (past, open), A6; only A1 on time. A6 was resolved at 00:30 WIB
    # on 17 Oct, a day late, although it was still 16 Oct in UTC.
    assert a["resolved_by_due"] == Ratio(1, 4)
    # Minutes: M1 after 24 h; M2 after 72 h; M3 none.
    assert a["minutes_in_48h"] == Ratio(1, 3)
    # Accountability: A1, A4 public; M1 public; two reports, the first on 19 Oct, 3 days after the 16 Oct end.
    assert a["issues_published"] == Ratio(2, 5)
    assert a["meetings_published"] == Ratio(1, 3)
    assert a["reports_published"] == 2
    assert a["report_lag_days"] == 3


def test_stage_b_which_is_running(world):
    b = row_of(compute_scorecard(world.election, now=NOW), world.stage_b)
    assert b["meetings_held"] == 2  # M4 yesterday, M6 at 15:00 WIB today; M5 is next week
    assert b["issues_total"] == 3
    assert b["issues_resolved"] == 1
    assert b["resolved_by_stage_end"] == Ratio(0, 0)  # the stage is not over: nothing to measure
    assert b["replied_to_reminders"] == Ratio(0, 1)  # C3 was reminded about B2 and replied only in A
    assert b["followed_up_in_3_days"] == Ratio(2, 2)  # B1 was raised 2 days ago and has 1 day left
    assert b["median_response_days"] == pytest.approx(1.25)  # 1.5 and 1.0
    assert b["median_resolution_days"] == pytest.approx(3.0)
    assert b["resolved_by_due"] == Ratio(0, 1)  # B2 is past due; B1 is not yet due; B3 has no due date
    assert b["minutes_in_48h"] == Ratio(0, 0)  # M4 ended 25 h ago, M6 has not ended: neither is late yet
    assert b["issues_published"] == Ratio(1, 3)
    assert b["meetings_published"] == Ratio(1, 2)
    assert b["reports_published"] == 0  # the kampanye report is a draft
    assert b["report_lag_days"] is None


def test_overall_adds_up_and_counts_what_has_no_stage(world):
    card = compute_scorecard(world.election, now=NOW)
    overall = card.overall.values
    assert overall["issues_total"] == 9  # A1 A2 A3 A4 A6, B1 B2 B3, N1
    assert overall["issues_resolved"] == 4
    assert overall["meetings_held"] == 5
    assert overall["resolved_by_stage_end"] == Ratio(1, 5)  # only stage A is over
    assert overall["replied_to_reminders"] == Ratio(2, 3)  # C1, C2, C3 reminded; C1 and C3 replied somewhere
    assert overall["followed_up_in_3_days"] == Ratio(6, 8)  # N1 answered in 1.5 days; B1 not due yet
    # Responses 1 h, 1, 1, 1.5, 1.5, 2, 4 -> 1.5; resolutions 23.5 h, 3, 4, 16 -> 3.5.
    assert overall["median_response_days"] == pytest.approx(1.5)
    assert overall["median_resolution_days"] == pytest.approx(3.5)
    assert overall["resolved_by_due"] == Ratio(1, 5)
    assert overall["minutes_in_48h"] == Ratio(1, 3)
    assert overall["issues_published"] == Ratio(3, 9)
    assert overall["meetings_published"] == Ratio(2, 5)
    assert overall["reports_published"] == 3  # two for stage A and one for the whole election
    assert overall["report_lag_days"] == 3
    assert card.has_reports


def test_a_period_counts_by_local_dates(world):
    card = compute_scorecard(world.election, Period(date(2020, 10, 5), date(2020, 10, 15)), now=NOW)
    overall = card.overall.values
    # Raised 5-15 Oct WIB: A3, A4, B2 (00:30 WIB on 5 Oct, still 4 Oct in UTC) and B3; not A6 (01:00 WIB on 16 Oct).
    assert overall["issues_total"] == 4
    assert overall["issues_resolved"] == 1
    assert overall["resolved_by_stage_end"] == Ratio(0, 2)
    assert overall["followed_up_in_3_days"] == Ratio(3, 4)
    assert overall["median_response_days"] == pytest.approx(1.5)  # 2.0, 1.5, 1.0
    assert overall["median_resolution_days"] == pytest.approx(3.0)
    assert overall["resolved_by_due"] == Ratio(0, 2)
    assert overall["issues_published"] == Ratio(2, 4)
    assert overall["meetings_held"] == 2  # M2, M3
    assert overall["minutes_in_48h"] == Ratio(0, 2)
    assert overall["replied_to_reminders"] == Ratio(1, 2)  # C2 and C3 reminded in the period; C3 replied
    assert overall["reports_published"] == 0
    assert not card.has_reports


def test_ratio_shares_and_sums():
    assert Ratio(1, 4).share == 0.25
    assert Ratio(0, 0).share is None
    assert Ratio(1, 4) + Ratio(2, 4) == Ratio(3, 8)


def test_the_scorecard_runs_a_fixed_number_of_queries(app, world):
    with count_queries() as few:
        compute_scorecard(world.election, now=NOW)
    for n in range(12):  # more issues, meetings and follow-ups, in many stages
        stage = world.election.stages[n % 20]
        issue = factories.make_issue(
            world.election,
            stage=stage,
            status="resolved" if n % 2 else "open",
            first_response_dt=NOW,
            resolved_dt=NOW if n % 2 else None,
        )
        factories.make_meeting(world.election, stage=stage)
        issue.follow_ups.append(FollowUp(kind="reminder", author_contact=world.contacts["C1"]))
    db.session.commit()
    with count_queries() as more:
        compute_scorecard(world.election, now=NOW)
    assert more.count == few.count


def test_the_page_shows_each_indicator_with_its_definition(client, auth, world):
    auth.as_role("manager")
    page = client.get(f"/dashboard/scorecard?election={world.election.id}").get_data(as_text=True)
    for name in ("Produktivitas", "Kualitas layanan", "Responsivitas", "Responsibilitas", "Akuntabilitas"):
        assert f". {name}</h2>" in page
    assert "Median waktu dari kendala diangkat sampai tindak lanjut pertamanya" in page
    assert "Dari kontak pemangku kepentingan yang dikirimi pengingat" in page
    assert "7. Pemutakhiran dan penyusunan daftar pemilih" in page
    assert "Belum ada laporan pertanggungjawaban" not in page  # stage A has reports


def test_a_period_that_ends_before_it_starts_is_refused_next_to_the_field(client, auth, world):
    auth.as_role("manager")
    response = client.get(f"/dashboard/scorecard?election={world.election.id}&start=2020-10-15&end=2020-10-05")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<p class="error" id="end-error">' in page
    assert 'value="2020-10-15"' in page and 'value="2020-10-05"' in page  # what was typed stays
    assert "Seluruh pemilihan" in page  # the figures shown are the whole election's


def test_without_reports_the_page_says_the_portal_comes_later(client, auth):
    election = factories.make_election()
    factories.make_issue(election)
    db.session.commit()
    auth.as_role("admin")
    page = client.get("/dashboard/scorecard").get_data(as_text=True)
    assert "Belum ada laporan pertanggungjawaban yang dipublikasikan" in page
    assert "portal publik" in page
