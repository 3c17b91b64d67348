"""The home page: the active election, its stages in order, the current stage, counts per stage."""

import re
from datetime import date, timedelta

from coordapp.core.time import local_today
from coordapp.elections.models import Election
from coordapp.extensions import db
from tests import factories
from tests.querycount import count_queries
from tests.test_elections_admin import PILKADA_CODES


def _election_running_today(**overrides) -> Election:
    """The 2020 election with every date shifted so that today is 15 October 2020 (the campaign)."""
    election = factories.make_election(**overrides)
    shift = local_today() - date(2020, 10, 15)
    for stage in election.stages:
        stage.start_date += shift
        stage.end_date += shift
    db.session.flush()
    return election


def _rows(page: str) -> list[tuple[str, list[str]]]:
    """Return (row attributes, cell texts) of the stage table's body."""
    body = page.split('<table class="table stages responsive">', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for attrs, inner in re.findall(r"<tr([^>]*)>(.*?)</tr>", body, re.S):
        inner = re.sub(r'<span class="badge">.*?</span>', "", inner)
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", inner, re.S)]
        rows.append((attrs, cells))
    return rows


def test_home_shows_the_election_and_its_20_stages_in_order(client, auth):
    election = factories.make_election(name="Pilkada Kota Tangerang Selatan 2020")
    db.session.commit()
    auth.as_role("staff")
    page = client.get("/").get_data(as_text=True)
    assert "Pilkada Kota Tangerang Selatan 2020" in page
    rows = _rows(page)
    assert [cells[0] for _, cells in rows] == [str(n) for n in range(1, 21)]
    assert [cells[1] for _, cells in rows] == [s.name for s in election.stages]
    assert rows[11][1][1].startswith("Kampanye")
    assert [s.code for s in election.stages] == PILKADA_CODES


def test_the_current_stage_is_the_one_running_today(client, auth):
    _election_running_today()
    db.session.commit()
    auth.as_role("staff")
    page = client.get("/").get_data(as_text=True)
    current = [cells for attrs, cells in _rows(page) if 'aria-current="true"' in attrs]
    assert len(current) == 1 and current[0][0] == "12"
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))
    assert "Tahapan saat ini: 12. Kampanye" in text


def test_after_the_last_stage_the_stage_that_ended_last_stays_current(client, auth):
    factories.make_election()  # 2020 dates: everything is over
    db.session.commit()
    auth.as_role("staff")
    current = [
        cells for attrs, cells in _rows(client.get("/").get_data(as_text=True)) if 'aria-current="true"' in attrs
    ]
    assert current[0][0] == "20"  # evaluasi ended last (30 Apr 2021), though pengusulan started later (24 Jan 2021)


def test_the_current_stage_never_moves_back_when_a_stage_ends(app):
    election = factories.make_election()
    db.session.flush()
    codes = {}
    for day in (
        date(2020, 12, 8),
        date(2020, 12, 9),
        date(2020, 12, 10),
        date(2021, 3, 31),
        date(2021, 4, 1),
        date(2021, 4, 30),
        date(2021, 5, 1),
        date(2026, 11, 28),
    ):
        codes[day] = election.current_stage(day).code
    assert codes == {
        date(2020, 12, 8): "masa_tenang",  # logistik and masa tenang both run: the later-starting one
        date(2020, 12, 9): "pemungutan",
        date(2020, 12, 10): "rekapitulasi",
        date(2021, 3, 31): "pengusulan",
        date(2021, 4, 1): "evaluasi",
        date(2021, 4, 30): "evaluasi",
        date(2021, 5, 1): "evaluasi",
        date(2026, 11, 28): "evaluasi",
    }


def test_before_the_first_stage_nothing_is_current(client, auth):
    election = factories.make_election()
    for stage in election.stages:
        stage.start_date += timedelta(days=365 * 30)
        stage.end_date += timedelta(days=365 * 30)
    db.session.commit()
    auth.as_role("staff")
    page = client.get("/").get_data(as_text=True)
    assert 'aria-current="true"' not in page and "Tahapan saat ini" not in page


def test_counts_of_meetings_and_open_and_resolved_issues_per_stage(client, auth):
    election = _election_running_today()
    kampanye, logistik = election.stages[11], election.stages[12]
    for _ in range(2):
        factories.make_meeting(election, stage=kampanye)
    factories.make_meeting(election, stage=logistik)
    factories.make_meeting(election, stage=logistik, is_archived=True)  # archived: not counted
    for status in ("open", "in_progress", "waiting"):
        factories.make_issue(election, stage=kampanye, status=status)
    for status in ("resolved", "closed"):
        factories.make_issue(election, stage=kampanye, status=status)
    factories.make_issue(election, stage=logistik, status="resolved")
    factories.make_issue(election, stage=logistik, status="open", is_archived=True)
    other = factories.make_election(is_active=False)
    factories.make_issue(other, stage=other.stages[11])  # another election: not counted
    db.session.commit()
    auth.as_role("staff")
    rows = {cells[0]: cells[-3:] for _, cells in _rows(client.get("/").get_data(as_text=True))}
    assert rows["12"] == ["2", "3", "2"]
    assert rows["13"] == ["1", "0", "1"]
    assert rows["1"] == ["0", "0", "0"]


def test_the_home_page_runs_a_fixed_number_of_queries(client, auth):
    election = _election_running_today()
    db.session.commit()
    auth.as_role("staff")
    with count_queries() as few:
        client.get("/")
    for stage in election.stages:
        factories.make_meeting(election, stage=stage)
        factories.make_issue(election, stage=stage)
    db.session.commit()
    with count_queries() as many:
        client.get("/")
    assert many.count == few.count <= 8


def test_an_inactive_election_is_not_the_default_but_can_be_chosen(client, auth):
    factories.make_election(name="Pilkada Aktif")
    old = factories.make_election(name="Pilkada Lama", is_active=False, voting_date=date(2015, 12, 9))
    db.session.commit()
    auth.as_role("staff")
    page = client.get("/").get_data(as_text=True)
    assert "<h1>Pilkada Aktif</h1>" in page
    assert "<h1>Pilkada Lama</h1>" in client.get(f"/?election={old.id}").get_data(as_text=True)
    assert "<h1>Pilkada Aktif</h1>" in client.get("/?election=999999").get_data(as_text=True)


def test_without_an_election_the_home_page_says_what_to_do(client, auth):
    auth.as_role("admin")
    page = client.get("/").get_data(as_text=True)
    assert "Belum ada pemilihan" in page and "/admin/elections/new" in page
    auth.logout()
    auth.as_role("staff")
    page = client.get("/").get_data(as_text=True)
    assert "Belum ada pemilihan" in page and "/admin/elections/new" not in page


def test_stage_names_follow_the_readers_language(client, auth):
    factories.make_election()
    db.session.commit()
    auth.as_role("manager", language="en")
    page = client.get("/").get_data(as_text=True)
    assert "Campaign and campaign finance reports" in page and "Current stage" in page
    assert "Kampanye, laporan dana kampanye" not in page


def test_stage_dates_are_shown_in_the_readers_language(client, auth):
    factories.make_election()
    db.session.commit()
    auth.as_role("staff", language="id")
    assert "26 Sep 2020 – 5 Des 2020" in client.get("/").get_data(as_text=True)
    assert "9 Desember 2020" in client.get("/").get_data(as_text=True)  # voting day
