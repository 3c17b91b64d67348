"""The managers' tools on the one issue list (saved filters, exports), its print view, and the old grouped list's
addresses (/dashboard/issues and its print view), which redirect to the same filter on /issues/."""

import csv
import io
import re
from datetime import date
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.datastructures import MultiDict

from coordapp.dashboard.models import SavedFilter
from coordapp.extensions import db
from coordapp.issues.filters import IssueFilter
from tests import factories
from tests.querycount import count_queries


@pytest.fixture
def campaign(app):
    """An election whose campaign stage has urgent issues, some overdue, with stakeholders of two categories."""
    election = factories.make_election()
    stages = {s.code: s for s in election.stages}
    party = factories.make_organization(name="DPC Partai Contoh", category="party")
    police = factories.make_organization(name="Polres Tangerang Selatan", category="security")
    kampanye, logistik = stages["kampanye"], stages["logistik"]
    made = {
        "rally": factories.make_issue(
            election,
            stage=kampanye,
            title="Izin lokasi kampanye di Pamulang",
            priority="critical",
            due_date=date(2020, 10, 1),
            organizations=[party],
        ),
        "hoax": factories.make_issue(
            election,
            stage=kampanye,
            title="Hoaks di media sosial",
            priority="high",
            due_date=date(2020, 10, 1),
            organizations=[police],
        ),
        "low": factories.make_issue(
            election,
            stage=kampanye,
            title="Baliho tanpa izin",
            priority="low",
            due_date=date(2020, 10, 1),
            organizations=[party],
        ),
        "done": factories.make_issue(
            election, stage=kampanye, title="Jadwal debat", priority="high", status="resolved", organizations=[party]
        ),
        "late_truck": factories.make_issue(
            election,
            stage=logistik,
            title="Logistik terlambat di Setu",
            priority="critical",
            due_date=date(2020, 11, 30),
        ),
        "no_stage": factories.make_issue(election, stage=None, title="Kendala tanpa tahapan", priority="high"),
    }
    db.session.commit()
    return election, stages, made


def _filter_of(url: str) -> IssueFilter:
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    return IssueFilter.from_args(MultiDict([(k, v) for k, values in query.items() for v in values]))


def test_an_old_grouped_list_address_redirects_to_the_same_filter_on_the_one_list(client, auth, campaign):
    election, stages, made = campaign
    auth.as_role("manager")
    old = (
        f"/dashboard/issues?election_id={election.id}&stage={stages['kampanye'].id}&priority=high&priority=critical"
        f"&overdue=1&category=party&sort=priority"
    )
    response = client.get(old)
    assert response.status_code == 301
    target = response.headers["Location"]
    assert target.startswith("/issues/?")
    assert _filter_of(target) == IssueFilter(
        election_id=election.id,
        stage=[stages["kampanye"].id],
        status=[],  # the old list showed every status
        priority=["high", "critical"],
        category="party",
        overdue=True,
        sort="priority",
    )
    page = client.get(target).get_data(as_text=True)
    assert "Izin lokasi kampanye" in page  # critical, overdue, a party
    for other in ("Hoaks di media sosial", "Baliho tanpa izin", "Jadwal debat", "Logistik terlambat"):
        assert other not in page


def test_an_old_address_without_status_or_election_keeps_every_status_of_the_active_election(client, auth, campaign):
    election, stages, made = campaign
    auth.as_role("manager")
    response = client.get(f"/dashboard/issues?stage={stages['kampanye'].id}")
    assert response.status_code == 302  # the active election filled in: temporary, it may change
    target = response.headers["Location"]
    assert _filter_of(target) == IssueFilter(election_id=election.id, stage=[stages["kampanye"].id], status=[])
    page = client.get(target).get_data(as_text=True)
    assert "Jadwal debat" in page  # resolved, as the old list showed it
    printed = client.get(f"/dashboard/issues/print?election_id={election.id}&priority=critical")
    assert printed.status_code == 301
    assert printed.headers["Location"].startswith("/issues/print?")
    assert _filter_of(printed.headers["Location"]) == IssueFilter(
        election_id=election.id, status=[], priority=["critical"]
    )


def test_the_print_view_is_headed_with_the_filter_in_words(client, auth, campaign):
    election, stages, made = campaign
    auth.as_role("manager")
    response = client.get(f"/issues/print?stage={stages['kampanye'].id}&overdue=1")
    page = unescape(response.get_data(as_text=True))
    heading = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
    assert "Tahapan: Kampanye, laporan dana kampanye (LADK, LPSDK, LPPDK)" in heading
    assert "Hanya yang lewat tenggat" in heading
    assert "Status: terbuka (belum selesai atau ditutup)" in heading
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "Hanya yang lewat tenggat" in title  # the browser prints the title in the page's header
    assert "Izin lokasi kampanye" in page and "Logistik terlambat" not in page and "Jadwal debat" not in page
    assert f"#{made['rally'].id}" in page
    assert 'role="search"' not in page and "Simpan filter" not in page
    assert "Dicetak pada" in page and "data-print" in page
    assert "Kendala: Semua kendala, semua status" in unescape(
        client.get("/issues/print?status=all").get_data(as_text=True)
    )


def test_the_export_links_of_the_list_carry_its_filter(client, auth, campaign):
    election, stages, made = campaign
    auth.as_role("manager")
    page = client.get(f"/issues/?stage={stages['kampanye'].id}&priority=critical&priority=high").get_data(as_text=True)
    links = [unescape(h) for h in re.findall(r'href="(/dashboard/export/issues\.(?:csv|xlsx)\?[^"]+)"', page)]
    assert len(links) == 2
    csv_link = next(link for link in links if ".csv" in link)
    assert _filter_of(csv_link) == _filter_of(f"/?stage={stages['kampanye'].id}&priority=critical&priority=high")
    rows = list(csv.reader(io.StringIO(client.get(csv_link).get_data(as_text=True).lstrip("\ufeff"))))
    titles = {row[1] for row in rows[1:]}
    assert titles == {"Izin lokasi kampanye di Pamulang", "Hoaks di media sosial"}  # open ones; not "Jadwal debat"
    every = client.get(f"/dashboard/export/issues.csv?stage={stages['kampanye'].id}&status=all").get_data(as_text=True)
    assert "Jadwal debat" in every


def test_staff_get_the_list_without_the_managers_tools(client, auth, campaign):
    auth.as_role("staff")
    page = client.get("/issues/").get_data(as_text=True)
    assert "/dashboard/export/" not in page and "/dashboard/filters" not in page
    assert "Izin lokasi kampanye" in page


def test_the_managers_list_runs_a_fixed_number_of_queries(client, auth, campaign):
    election, stages, made = campaign
    manager = auth.as_role("manager")
    db.session.add(SavedFilter(user_id=manager.id, name="Mendesak", args={"priority": ["critical"]}))
    db.session.commit()
    url = f"/issues/?election_id={election.id}&stage={stages['kampanye'].id}&status=all&category=party"
    with count_queries() as few:
        client.get(url)
    org = factories.make_organization(category="party")
    for n in range(30):
        owner = factories.make_user()
        factories.make_issue(election, stage=stages["kampanye"], organizations=[org], owner=owner)
        db.session.add(
            SavedFilter(user_id=manager.id, name=f"Filter {n}", args={"stage": [election.stages[n % 20].id]})
        )
    db.session.commit()
    with count_queries() as more:
        client.get(url)
    assert more.count == few.count
    assert few.count <= 16, few.statements


def _save(client, name: str, query: str, shared: bool = False):
    data = {"name": name, "query": query}
    if shared:
        data["is_shared"] = "y"
    return client.post("/dashboard/filters", data=data)


def test_saving_a_filter_keeps_it_under_its_name_and_opens_it_again(client, auth, campaign):
    election, stages, made = campaign
    user = auth.as_role("manager")
    query = f"election_id={election.id}&stage={stages['kampanye'].id}&priority=high&priority=critical&overdue=1&junk=1"
    response = _save(client, "Kampanye, high+critical, overdue", query)
    assert response.status_code == 302
    saved = db.session.execute(db.select(SavedFilter)).scalar_one()
    assert saved.user_id == user.id and not saved.is_shared
    assert saved.args == {
        "election_id": election.id,
        "stage": [stages["kampanye"].id],
        "status": ["open", "in_progress", "waiting"],  # written out: a saved filter without status means every one
        "priority": ["high", "critical"],
        "overdue": "1",
    }
    assert response.headers["Location"].startswith("/issues/?")
    flashed = unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert 'Filter "Kampanye, high+critical, overdue" disimpan.' in flashed
    opened = client.get(f"/dashboard/filters/{saved.id}")
    assert opened.status_code == 302
    assert _filter_of(opened.headers["Location"]) == _filter_of("/?" + query)
    page = client.get(opened.headers["Location"]).get_data(as_text=True)
    assert "Izin lokasi kampanye" in page and "Baliho tanpa izin" not in page


def test_the_list_offers_to_save_the_filter_it_shows(client, auth, campaign):
    election, stages, made = campaign
    auth.as_role("manager")
    page = unescape(
        client.get(f"/issues/?stage={stages['kampanye'].id}&overdue=1&sort=priority").get_data(as_text=True)
    )
    assert 'action="/dashboard/filters"' in page
    query = re.search(r'name="query" type="hidden" value="([^"]*)"', page).group(1)
    assert _filter_of("/?" + query) == IssueFilter(stage=[stages["kampanye"].id], overdue=True, sort="priority")
    assert _save(client, "Kampanye lewat tenggat", query).status_code == 302
    saved = db.session.execute(db.select(SavedFilter)).scalar_one()
    opened = client.get(f"/dashboard/filters/{saved.id}").headers["Location"]
    assert _filter_of(opened) == IssueFilter(stage=[stages["kampanye"].id], overdue=True, sort="priority")


def test_a_filter_saved_before_the_open_default_still_shows_every_status(client, auth, campaign):
    election, stages, made = campaign
    manager = auth.as_role("manager")
    saved = SavedFilter(user_id=manager.id, name="Kampanye", args={"stage": [stages["kampanye"].id]})
    db.session.add(saved)
    db.session.commit()
    opened = client.get(f"/dashboard/filters/{saved.id}").headers["Location"]
    assert "status=all" in opened
    assert "Jadwal debat" in client.get(opened).get_data(as_text=True)


def test_a_name_is_required_and_unique_per_user_and_a_bad_one_changes_nothing(client, auth, campaign):
    election, stages, made = campaign
    auth.as_role("manager")
    assert _save(client, "Mendesak", "priority=critical").status_code == 302
    for name, error in (
        ("", "Kolom ini wajib diisi."),
        ("  mendesak ", "Anda sudah memiliki filter tersimpan dengan nama ini."),
    ):
        response = _save(client, name, "priority=high&overdue=1")
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert f'<p class="error" id="name-error">{error}</p>' in page  # next to the field
        assert re.search(rf'id="name"[^>]*value="{name.strip()}"', page) or not name  # what was typed stays
        assert "Baliho tanpa izin" not in page and "Hoaks di media sosial" in page  # the same filtered list
        assert '<details class="saved-filters-panel no-print" open>' in page  # the refused form shows
    assert db.session.execute(db.select(db.func.count()).select_from(SavedFilter)).scalar() == 1
    other = factories.make_user("manager")
    db.session.commit()
    auth.logout()
    auth.login(other)
    assert _save(client, "Mendesak", "priority=high").status_code == 302  # another user may use the same name


def test_renaming_sharing_and_deleting(client, auth, campaign):
    auth.as_role("manager")
    _save(client, "Lama", "overdue=1")
    saved = db.session.execute(db.select(SavedFilter)).scalar_one()
    response = client.post(
        f"/dashboard/filters/{saved.id}/edit", data={f"f{saved.id}-name": "Baru", f"f{saved.id}-is_shared": "y"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(SavedFilter, saved.id)
    assert saved.name == "Baru" and saved.is_shared and saved.args["overdue"] == "1"
    bad = client.post(f"/dashboard/filters/{saved.id}/edit", data={f"f{saved.id}-name": ""})
    assert bad.status_code == 422
    db.session.expire_all()
    assert db.session.get(SavedFilter, saved.id).name == "Baru"
    page = client.get("/dashboard/filters").get_data(as_text=True)
    assert "Hanya yang lewat tenggat" in page  # what the filter selects, in words
    assert client.post(f"/dashboard/filters/{saved.id}/delete").status_code == 302
    assert db.session.execute(db.select(db.func.count()).select_from(SavedFilter)).scalar() == 0


def test_shared_filters_appear_for_every_manager(client, auth, campaign):
    owner = factories.make_user("manager", name="Pak Budi")
    db.session.add_all(
        [
            SavedFilter(user_id=owner.id, name="Untuk rapat pleno", args={"priority": ["critical"]}, is_shared=True),
            SavedFilter(user_id=owner.id, name="Catatan pribadi", args={"overdue": "1"}),
        ]
    )
    db.session.commit()
    auth.as_role("manager")
    page = client.get("/issues/").get_data(as_text=True)
    assert "Untuk rapat pleno" in page and "oleh Pak Budi" in page
    assert "Catatan pribadi" not in page


def test_saving_needs_the_csrf_token(csrf_app):
    manager = factories.make_user("manager")
    db.session.commit()
    client = csrf_app.test_client()
    login_page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page) or re.search(
        r'name="csrf_token" value="([^"]+)"', login_page
    )
    client.post(
        "/auth/login", data={"email": manager.email, "password": factories.PASSWORD, "csrf_token": token.group(1)}
    )
    assert client.post("/dashboard/filters", data={"name": "Tanpa token", "query": ""}).status_code == 400
    assert db.session.execute(db.select(db.func.count()).select_from(SavedFilter)).scalar() == 0


def test_a_filter_on_an_organization_since_deactivated_still_shows_it_chosen(client, auth, campaign):
    election, stages, made = campaign
    party = made["rally"].organizations[0]
    party.is_active = False
    db.session.commit()
    auth.as_role("manager")
    page = client.get("/issues/", query_string={"election_id": election.id, "organization": party.id})
    html = page.get_data(as_text=True)
    assert f'<option value="{party.id}" selected>DPC Partai Contoh</option>' in html
    assert "Izin lokasi kampanye di Pamulang" in html and "Hoaks di media sosial" not in html


def test_the_saved_filters_page_says_what_each_filter_selects_in_words(client, auth, campaign):
    election, stages, made = campaign
    manager = auth.as_role("manager")
    owner = factories.make_user("staff", name="Sari Wulandari")
    party = made["rally"].organizations[0]
    db.session.add_all(
        [
            SavedFilter(
                user_id=manager.id,
                name="Semua kriteria",
                args={
                    "election_id": election.id,
                    "stage": [stages["kampanye"].id, stages["logistik"].id],
                    "status": ["open", "waiting"],
                    "priority": ["high", "critical"],
                    "category": "party",
                    "organization": party.id,
                    "owner": owner.id,
                    "overdue": "1",
                    "q": "baliho",
                    "archived": "1",
                },
            ),
            SavedFilter(user_id=manager.id, name="Tanpa penanggung jawab", args={"owner": "none"}),
            SavedFilter(user_id=manager.id, name="Semuanya", args={}),
        ]
    )
    db.session.commit()
    page = unescape(client.get("/dashboard/filters").get_data(as_text=True))
    every = page[page.index("Semua kriteria") : page.index("Semuanya")]
    for words in (
        f"Pemilihan: {election.name}",
        "Tahapan: Kampanye, laporan dana kampanye (LADK, LPSDK, LPPDK), Pengadaan dan distribusi logistik",
        "Status: Terbuka, Menunggu pemangku kepentingan",
        "Prioritas: Tinggi, Kritis",
        "Kategori: Partai politik",
        "Organisasi: DPC Partai Contoh",
        "Penanggung jawab: Sari Wulandari",
        "Hanya yang lewat tenggat",
        "Isi: baliho",
        "Kendala yang diarsipkan",
    ):
        assert words in every
    assert "Penanggung jawab: belum ada" in page[page.index("Tanpa penanggung jawab") :]
    assert "Semua kendala" in page[page.index("Semuanya") :]
