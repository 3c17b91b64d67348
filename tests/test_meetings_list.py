"""The meeting list: filters, pages, the week view, the archive."""

from datetime import UTC, datetime, timedelta

import pytest

from coordapp.extensions import db
from coordapp.meetings.models import Meeting
from tests import factories
from tests.meetings_support import stage


def _at(day: int, month: int = 9, hour_utc: int = 2):
    return datetime(2020, month, day, hour_utc, 0, tzinfo=UTC)


@pytest.fixture
def calendar_of_meetings(app):
    """Four meetings of one election in September/October 2020, one of another election, one archived."""
    election = factories.make_election()
    bawaslu = factories.make_organization(name="Bawaslu")
    rows = {
        "rakor": factories.make_meeting(
            election, title="Rakor kampanye", start_dt=_at(28), stage=stage(election, "kampanye")
        ),
        "fgd": factories.make_meeting(
            election, title="FGD disabilitas", kind="fgd", start_dt=_at(1, 10), stage=stage(election, "kampanye")
        ),
        "audiensi": factories.make_meeting(
            election, title="Audiensi Paslon", kind="audiensi", start_dt=_at(8), stage=stage(election, "penelitian")
        ),
        # 06:00 WIB on Monday 14 September is still Sunday the 13th in UTC: its local date is the 14th.
        "early": factories.make_meeting(
            election, title="Rapat pagi", start_dt=_at(13, hour_utc=23), stage=stage(election, "penelitian")
        ),
        "archived": factories.make_meeting(election, title="Rapat lama", start_dt=_at(2), is_archived=True),
    }
    rows["fgd"].organizations = [bawaslu]
    factories.make_meeting(factories.make_election(is_active=False), title="Rapat pemilihan lain", start_dt=_at(29))
    db.session.commit()
    return election, rows, bawaslu


def _titles(client, **args) -> list[str]:
    page = client.get("/meetings/", query_string=args).get_data(as_text=True)
    found = [
        (page.find(t), t)
        for t in (
            "Rakor kampanye",
            "FGD disabilitas",
            "Audiensi Paslon",
            "Rapat pagi",
            "Rapat lama",
            "Rapat pemilihan lain",
        )
        if t in page
    ]
    return [t for _, t in sorted(found)]


def test_the_list_shows_live_meetings_of_the_active_election_newest_first(client, auth, calendar_of_meetings):
    auth.as_role("staff")
    assert _titles(client) == ["FGD disabilitas", "Rakor kampanye", "Rapat pagi", "Audiensi Paslon"]


def test_filters(client, auth, calendar_of_meetings):
    election, rows, bawaslu = calendar_of_meetings
    auth.as_role("staff")
    assert _titles(client, stage=stage(election, "penelitian").id) == ["Rapat pagi", "Audiensi Paslon"]
    assert _titles(client, organization=bawaslu.id) == ["FGD disabilitas"]
    assert _titles(client, kind="audiensi") == ["Audiensi Paslon"]
    assert _titles(client, date_from="2020-09-14", date_to="2020-09-28") == ["Rakor kampanye", "Rapat pagi"]
    assert _titles(client, date_to="2020-09-13") == ["Audiensi Paslon"]
    assert _titles(client, kind="nonsense", date_from="not-a-date") == [
        "FGD disabilitas",
        "Rakor kampanye",
        "Rapat pagi",
        "Audiensi Paslon",
    ]


def test_archived_meetings_are_in_the_archive_only(client, auth, calendar_of_meetings):
    auth.as_role("staff")
    assert "Rapat lama" not in _titles(client)
    assert _titles(client, archived="1") == ["Rapat lama"]


def test_another_election_is_chosen_from_the_list(client, auth, calendar_of_meetings):
    auth.as_role("staff")
    other = db.session.execute(db.select(Meeting).where(Meeting.title == "Rapat pemilihan lain")).scalar_one()
    assert _titles(client, election=other.election_id) == ["Rapat pemilihan lain"]


def test_the_week_view_groups_by_iso_week_of_the_local_date(client, auth, calendar_of_meetings):
    auth.as_role("staff")
    page = client.get("/meetings/", query_string={"view": "week"}).get_data(as_text=True)
    week_40, week_38, week_37 = (page.find(f"Minggu ke-{n} tahun 2020") for n in (40, 38, 37))
    assert -1 < week_40 < page.find("FGD disabilitas") < page.find("Rakor kampanye") < week_38
    # The early meeting (Monday 14 September in WIB, Sunday in UTC) belongs to ISO week 38.
    assert week_38 < page.find("Rapat pagi") < week_37 < page.find("Audiensi Paslon")
    assert "Minggu ke-39" not in page


def test_pages_keep_the_filter(client, auth, app):
    election = factories.make_election()
    for n in range(30):
        factories.make_meeting(election, title=f"Rakor nomor {n:02d}", start_dt=_at(1, 10) + timedelta(days=n))
    db.session.commit()
    auth.as_role("staff")
    first = client.get("/meetings/", query_string={"kind": "rakor"}).get_data(as_text=True)
    assert "Rakor nomor 29" in first and "Rakor nomor 04" not in first
    assert "Halaman 1 dari 2" in first and "page=2" in first and "kind=rakor" in first
    second = client.get("/meetings/", query_string={"kind": "rakor", "page": 2}).get_data(as_text=True)
    assert "Rakor nomor 04" in second and "Rakor nomor 05" not in second


def test_the_list_offers_a_personal_calendar_feed(app, client, auth, calendar_of_meetings):
    auth.as_role("staff")
    page = client.get("/meetings/").get_data(as_text=True)
    assert f"{app.config['BASE_URL']}/meetings/feed/" in page and ".ics" in page


def test_archive_and_restore(client, auth, calendar_of_meetings):
    _, rows, _ = calendar_of_meetings
    auth.as_role("manager")
    meeting_id = rows["rakor"].id
    client.post(f"/meetings/{meeting_id}/archive")
    assert "Rakor kampanye" not in _titles(client)
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "Rapat ini diarsipkan" in page and f"/meetings/{meeting_id}/restore" in page
    assert client.get(f"/meetings/{meeting_id}/edit").status_code == 302
    client.post(f"/meetings/{meeting_id}/restore")
    assert "Rakor kampanye" in _titles(client)


def test_archive_and_restore_are_in_the_history(client, auth, calendar_of_meetings):
    _, rows, _ = calendar_of_meetings
    auth.as_role("manager", name="Manajer Arsip")
    meeting_id = rows["rakor"].id
    client.post(f"/meetings/{meeting_id}/archive")
    client.post(f"/meetings/{meeting_id}/restore")
    history = client.get(f"/meetings/{meeting_id}").get_data(as_text=True).split('class="card history"')[1]
    assert history.count("Manajer Arsip") == 2
