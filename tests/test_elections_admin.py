"""Admin pages for elections and their ordered stages."""

import pytest

from coordapp.elections.models import Election, Stage
from coordapp.extensions import db
from tests import factories

# docs/reference.md, "Election stages (tahapan) of Pilkada 2020", in order.
PILKADA_CODES = [
    "perencanaan",
    "regulasi",
    "sosialisasi",
    "badan_adhoc",
    "pemantau",
    "dp4",
    "daftar_pemilih",
    "dukungan_perseorangan",
    "pendaftaran",
    "penelitian",
    "penetapan",
    "kampanye",
    "logistik",
    "masa_tenang",
    "pemungutan",
    "rekapitulasi",
    "penetapan_terpilih",
    "sengketa",
    "pengusulan",
    "evaluasi",
]


def _election_form(**overrides) -> dict:
    return {
        "name": "Pilkada Kota Serang 2024",
        "slug": "pilkada-serang-2024",
        "region": "Kota Serang",
        "timezone": "Asia/Jakarta",
        "voting_date": "2024-11-27",
        "is_active": "y",
        "template": "pilkada",
        **overrides,
    }


def _elections() -> list[Election]:
    db.session.expire_all()
    return db.session.execute(db.select(Election).order_by(Election.id)).scalars().all()


def _codes(election_id: int) -> list[str]:
    db.session.expire_all()
    return [s.code for s in db.session.get(Election, election_id).stages]


def test_create_an_election_seeded_with_the_pilkada_stages(client, auth):
    auth.as_role("admin")
    response = client.post("/admin/elections/new", data=_election_form())
    assert response.status_code == 302
    election = _elections()[-1]
    assert response.headers["Location"] == f"/admin/elections/{election.id}/stages"
    assert (election.name, election.slug, election.timezone) == (
        "Pilkada Kota Serang 2024",
        "pilkada-serang-2024",
        "Asia/Jakarta",
    )
    assert [s.code for s in election.stages] == PILKADA_CODES
    assert [s.position for s in election.stages] == list(range(1, 21))
    assert election.stages[11].name.startswith("Kampanye")
    assert election.stages[11].name_en.startswith("Campaign")
    assert [s.phase for s in election.stages] == ["preparation"] * 7 + ["implementation"] * 13
    assert all(s.start_date is None and s.end_date is None for s in election.stages)  # dates are the admin's to set
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    positions = [page.index(f"<code>{code}</code>") for code in PILKADA_CODES]
    assert positions == sorted(positions)


def test_create_an_election_without_stages(client, auth):
    auth.as_role("admin")
    client.post("/admin/elections/new", data=_election_form(template=""))
    assert _elections()[-1].stages == []


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("name", {"name": ""}),
        ("slug", {"slug": "Not A Slug!"}),
        ("timezone", {"timezone": "Mars/Olympus"}),
        ("voting_date", {"voting_date": "27/11/2024"}),
    ],
)
def test_bad_election_input_is_refused_and_kept(client, auth, field, overrides):
    auth.as_role("admin")
    response = client.post("/admin/elections/new", data=_election_form(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page
    assert 'value="Kota Serang"' in page
    assert _elections() == []
    assert db.session.execute(db.select(db.func.count()).select_from(Stage)).scalar() == 0


def test_a_used_short_code_is_refused(client, auth):
    auth.as_role("admin")
    factories.make_election(slug="pilkada-serang-2024")
    db.session.commit()
    response = client.post("/admin/elections/new", data=_election_form())
    assert response.status_code == 422
    assert "Kode singkat ini sudah dipakai." in response.get_data(as_text=True)
    assert len(_elections()) == 1


def test_edit_an_election(client, auth):
    auth.as_role("admin")
    election = factories.make_election()
    db.session.commit()
    response = client.post(
        f"/admin/elections/{election.id}/edit",
        data=_election_form(name="Pilkada Diubah", slug=election.slug, is_active=""),
    )
    assert response.status_code == 302
    election = _elections()[0]
    assert (election.name, election.is_active) == ("Pilkada Diubah", False)
    assert len(election.stages) == 20  # editing never reseeds the stages


def test_elections_list_shows_each_election(client, auth):
    auth.as_role("admin")
    factories.make_election(name="Pilkada Kota Tangerang Selatan 2020")
    db.session.commit()
    page = client.get("/admin/elections").get_data(as_text=True)
    assert "Pilkada Kota Tangerang Selatan 2020" in page and ">20<" in page


def _stage_form(stage: Stage, **overrides) -> dict:
    data = {
        "code": stage.code,
        "name": stage.name,
        "name_en": stage.name_en,
        "phase": stage.phase,
        "start_date": stage.start_date.isoformat() if stage.start_date else "",
        "end_date": stage.end_date.isoformat() if stage.end_date else "",
    }
    return {**data, **overrides}


def test_edit_a_stage(client, auth):
    auth.as_role("admin")
    election = factories.make_election()
    db.session.commit()
    stage = election.stages[11]
    response = client.post(
        f"/admin/stages/{stage.id}/edit",
        data=_stage_form(
            stage, name="Kampanye terbatas", name_en="Limited campaign", start_date="2020-09-26", end_date="2020-12-05"
        ),
    )
    assert response.status_code == 302
    db.session.expire_all()
    stage = db.session.get(Stage, stage.id)
    assert (stage.name, stage.name_en, str(stage.start_date), str(stage.end_date)) == (
        "Kampanye terbatas",
        "Limited campaign",
        "2020-09-26",
        "2020-12-05",
    )


def test_a_stage_ending_before_it_starts_is_refused(client, auth):
    auth.as_role("admin")
    election = factories.make_election()
    db.session.commit()
    stage = election.stages[11]
    response = client.post(
        f"/admin/stages/{stage.id}/edit",
        data=_stage_form(stage, name="Nama baru", start_date="2020-12-05", end_date="2020-09-26"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="end_date-error"' in page and "Tanggal selesai lebih awal dari tanggal mulai." in page
    assert 'value="Nama baru"' in page and 'value="2020-12-05"' in page
    db.session.expire_all()
    assert db.session.get(Stage, stage.id).name.startswith("Kampanye,")


def test_a_duplicate_stage_code_is_refused(client, auth):
    auth.as_role("admin")
    election = factories.make_election()
    db.session.commit()
    stage = election.stages[11]
    response = client.post(f"/admin/stages/{stage.id}/edit", data=_stage_form(stage, code="logistik", name="Nama baru"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="code-error"' in page and "Tahapan lain pada pemilihan ini sudah memakai kode ini." in page
    assert 'value="Nama baru"' in page
    assert _codes(election.id) == PILKADA_CODES


def test_the_same_code_in_another_election_is_fine(client, auth):
    auth.as_role("admin")
    factories.make_election()
    election = factories.make_election(with_stages=False)
    db.session.commit()
    response = client.post(
        f"/admin/elections/{election.id}/stages/new",
        data={"code": "kampanye", "name": "Kampanye", "phase": "implementation"},
    )
    assert response.status_code == 302
    assert _codes(election.id) == ["kampanye"]


def test_add_a_stage_at_the_end(client, auth):
    auth.as_role("admin")
    election = factories.make_election()
    db.session.commit()
    response = client.post(
        f"/admin/elections/{election.id}/stages/new",
        data={
            "code": "arsip",
            "name": "Pengarsipan",
            "name_en": "Archiving",
            "phase": "implementation",
            "start_date": "2021-05-01",
            "end_date": "2021-05-31",
        },
    )
    assert response.status_code == 302
    assert _codes(election.id) == PILKADA_CODES + ["arsip"]
    assert db.session.get(Election, election.id).stages[-1].position == 21


def test_a_bad_new_stage_saves_nothing(client, auth):
    auth.as_role("admin")
    election = factories.make_election()
    db.session.commit()
    response = client.post(
        f"/admin/elections/{election.id}/stages/new", data={"code": "Bad Code", "name": "", "phase": "implementation"}
    )
    assert response.status_code == 422
    assert 'id="code-error"' in response.get_data(as_text=True)
    assert _codes(election.id) == PILKADA_CODES


def _move(client, stage_id: int, direction: str):
    return client.post(f"/admin/stages/{stage_id}/move", data={"direction": direction})


def test_move_stages_up_and_down(client, auth):
    auth.as_role("admin")
    election = factories.make_election()
    db.session.commit()
    kampanye, logistik = election.stages[11].id, election.stages[12].id
    assert _move(client, logistik, "up").status_code == 302
    codes = _codes(election.id)
    assert codes[11:13] == ["logistik", "kampanye"]
    assert [s.position for s in db.session.get(Election, election.id).stages] == list(range(1, 21))
    _move(client, logistik, "down")
    assert _codes(election.id) == PILKADA_CODES
    assert kampanye


def test_moving_past_either_end_changes_nothing(client, auth):
    auth.as_role("admin")
    election = factories.make_election()
    db.session.commit()
    _move(client, election.stages[0].id, "up")
    _move(client, election.stages[-1].id, "down")
    assert _codes(election.id) == PILKADA_CODES


def test_a_bad_move_direction_is_400(client, auth):
    auth.as_role("admin")
    election = factories.make_election()
    db.session.commit()
    assert _move(client, election.stages[3].id, "sideways").status_code == 400
    assert _codes(election.id) == PILKADA_CODES


def test_the_stages_page_links_to_edit_and_move(client, auth):
    auth.as_role("admin")
    election = factories.make_election()
    db.session.commit()
    page = client.get(f"/admin/elections/{election.id}/stages").get_data(as_text=True)
    assert page.count('name="direction" value="up"') == 19 and page.count('name="direction" value="down"') == 19
    assert f"/admin/stages/{election.stages[0].id}/edit" in page
