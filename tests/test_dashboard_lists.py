"""Issues grouped by stage, their print view, and saved filters (save, rename, share, delete)."""

import re
from datetime import date
from html import unescape

import pytest

from coordapp.dashboard.models import SavedFilter
from coordapp.extensions import db
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


def test_issues_are_grouped_by_stage_in_stage_order(client, auth, campaign):
    election, stages, made = campaign
    auth.as_role("manager")
    page = client.get(f"/dashboard/issues?election_id={election.id}").get_data(as_text=True)
    headings = re.findall(r"<h2>(.*?)\n", page)
    assert [h.split(".")[0] for h in headings if h[:2].strip(". ").isdigit()] == ["12", "13"]
    assert page.index("Izin lokasi kampanye") < page.index("Logistik terlambat") < page.index("Kendala tanpa tahapan")
    assert "Tanpa tahapan" in page


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("due", ["rally", "hoax", "low", "done"]),  # equal due dates by id; no due date last
        ("-due", ["low", "hoax", "rally", "done"]),  # no due date last in both directions
        ("priority", ["rally", "hoax", "done", "low"]),
        ("-priority", ["low", "done", "hoax", "rally"]),
        ("created", ["rally", "hoax", "low", "done"]),
        ("-created", ["done", "low", "hoax", "rally"]),
    ],
)
def test_each_stage_lists_its_issues_in_the_chosen_order(client, auth, campaign, monkeypatch, sort, expected):
    from coordapp.dashboard import stage_lists

    election, stages, made = campaign
    made["done"].due_date = None
    db.session.commit()
    auth.as_role("manager")
    for url in (
        f"/dashboard/issues?election_id={election.id}&sort={sort}",
        f"/dashboard/issues/print?election_id={election.id}&sort={sort}",
    ):
        page = unescape(client.get(url).get_data(as_text=True))
        shown = sorted(expected, key=lambda name: page.index(made[name].title))
        assert shown == expected, url
    monkeypatch.setattr(stage_lists, "PER_STAGE", 3)  # the database picks the first three in the same order
    page = unescape(client.get(f"/dashboard/issues?election_id={election.id}&sort={sort}").get_data(as_text=True))
    assert [name for name in expected if made[name].title in page] == expected[:3]


def test_the_filters_of_the_staff_list_and_organization_category_apply(client, auth, campaign):
    election, stages, made = campaign
    auth.as_role("manager")
    url = (
        f"/dashboard/issues?election_id={election.id}&stage={stages['kampanye'].id}&priority=high&priority=critical"
        f"&overdue=1&category=party"
    )
    page = client.get(url).get_data(as_text=True)
    assert "Izin lokasi kampanye" in page  # critical, overdue, a party
    assert "Hoaks di media sosial" not in page  # the police, not a party
    assert "Baliho tanpa izin" not in page  # low
    assert "Jadwal debat" not in page  # resolved: not overdue
    assert "Logistik terlambat" not in page  # another stage


def test_a_stage_with_more_issues_than_shown_links_to_all_of_them(client, auth, campaign, monkeypatch):
    from coordapp.dashboard import stage_lists

    election, stages, made = campaign
    monkeypatch.setattr(stage_lists, "PER_STAGE", 2)
    auth.as_role("manager")
    page = client.get(f"/dashboard/issues?election_id={election.id}&sort=priority").get_data(as_text=True)
    assert "Menampilkan 2 dari 4." in page
    section = next(part for part in page.split('<section class="stage-group">') if part.startswith("\n  <h2>12. "))
    assert len(re.findall(r'href="/issues/\d+"', section)) == 2
    assert "Izin lokasi kampanye" in section and "Baliho tanpa izin" not in section  # most urgent first
    link = re.search(r'<a href="([^"]+)">Tampilkan semua kendala tahapan ini</a>', section).group(1)
    assert f"stage={stages['kampanye'].id}" in link and "sort=priority" in link and link.startswith("/issues/")


def test_the_print_view_lists_every_issue_without_the_forms(client, auth, campaign):
    election, stages, made = campaign
    auth.as_role("manager")
    page = client.get(f"/dashboard/issues/print?election_id={election.id}&priority=critical").get_data(as_text=True)
    assert "Izin lokasi kampanye" in page and "Logistik terlambat" in page
    assert "Hoaks di media sosial" not in page
    assert 'role="search"' not in page and "Simpan filter" not in page
    assert "Dicetak pada" in page and "data-print" in page


def test_the_grouped_list_runs_a_fixed_number_of_queries(client, auth, campaign):
    election, stages, made = campaign
    auth.as_role("manager")
    url = f"/dashboard/issues?election_id={election.id}"
    with count_queries() as few:
        client.get(url)
    org = factories.make_organization(category="media")
    for n in range(30):
        factories.make_issue(election, stage=election.stages[n % 20], organizations=[org], owner=factories.make_user())
    db.session.commit()
    with count_queries() as more:
        client.get(url)
    assert more.count == few.count


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
        "priority": ["high", "critical"],
        "overdue": "1",
    }
    flashed = unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert 'Filter "Kampanye, high+critical, overdue" disimpan.' in flashed
    opened = client.get(f"/dashboard/filters/{saved.id}")
    assert opened.status_code == 302
    page = client.get(opened.headers["Location"]).get_data(as_text=True)
    assert "Izin lokasi kampanye" in page and "Baliho tanpa izin" not in page


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
    assert saved.name == "Baru" and saved.is_shared and saved.args == {"overdue": "1"}
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
    page = client.get("/dashboard/issues").get_data(as_text=True)
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
    page = client.get("/dashboard/issues", query_string={"election_id": election.id, "organization": party.id})
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
