"""The admin audit page: every change, filtered by kind, record, action, who and dates, in pages."""

from datetime import UTC, datetime, timedelta

import pytest

from coordapp.audit.models import AuditEvent
from coordapp.audit.queries import AuditFilter, fetch_events
from coordapp.audit.services import acting_as
from coordapp.extensions import db
from tests import factories


def _rows(page: str) -> int:
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return body.count("<tr>") - body.count("Tidak ada perubahan tercatat")


@pytest.fixture
def trail(app):
    sari = factories.make_user("staff", name="Sari Wulandari")
    admin = factories.make_user("admin", name="Admin KPU")
    db.session.commit()
    with acting_as(sari):
        issue = factories.make_issue(title="Izin kampanye")
        org = factories.make_organization(name="Bawaslu Kota")
        db.session.commit()
        issue.status = "in_progress"
        db.session.commit()
    with acting_as(None, label="kontak@example.org"):
        issue.title = "Izin kampanye (dibalas)"
        db.session.commit()
    return {"sari": sari, "admin": admin, "issue": issue, "org": org}


def test_admin_sees_the_trail_with_names_and_links(client, auth, trail):
    auth.login(trail["admin"])
    page = client.get("/audit/").get_data(as_text=True)
    assert "Jejak audit" in page and "Sari Wulandari" in page and "kontak@example.org" in page
    assert f'href="/issues/{trail["issue"].id}">Izin kampanye (dibalas)</a>' in page  # named by its title now
    assert "<td>Sistem</td>" in page  # the users made by no one
    assert "Terbuka" in page and "Sedang ditangani" in page  # status values translated


@pytest.mark.parametrize(
    "query, expected_rows",
    [
        ("entity_type=organizations", 1),  # the organization was created once
        ("entity_type=issues&action=status_change", 1),
        ("entity_type=issues&actor=system", 1),  # the change through a stakeholder's link
        ("entity_type=issues", 3),
    ],
)
def test_filters(client, auth, trail, query, expected_rows):
    auth.login(trail["admin"])
    response = client.get(f"/audit/?{query}")
    assert response.status_code == 200
    assert _rows(response.get_data(as_text=True)) == expected_rows


def test_one_record_only(client, auth, trail):
    other = factories.make_issue(title="Lain")
    db.session.commit()
    auth.login(trail["admin"])
    page = client.get(f"/audit/?entity_type=issues&entity_id={trail['issue'].id}").get_data(as_text=True)
    assert _rows(page) == 3 and f'href="/issues/{other.id}"' not in page


def test_actor_filter_by_user(client, auth, trail):
    auth.login(trail["admin"])
    page = client.get(f"/audit/?actor={trail['sari'].id}&entity_type=issues").get_data(as_text=True)
    assert _rows(page) == 2  # created, then moved to in progress; the stakeholder's change is not hers
    assert "kontak@example.org" not in page.split("<tbody>")[1]


def test_date_range_uses_local_days(client, auth, trail):
    event = db.session.execute(db.select(AuditEvent).order_by(AuditEvent.id)).scalars().first()
    event.created_dt = datetime(2020, 10, 4, 18, 30, tzinfo=UTC)  # 5 Oct 01:30 in Jakarta
    db.session.commit()
    auth.login(trail["admin"])
    assert _rows(client.get("/audit/?date_from=2020-10-05&date_to=2020-10-05").get_data(as_text=True)) == 1
    assert _rows(client.get("/audit/?date_from=2020-10-04&date_to=2020-10-04").get_data(as_text=True)) == 0


@pytest.mark.parametrize(
    "query, field, message",
    [
        ("date_from=2020-10-05&date_to=2020-10-01", "date_to", "Tanggal selesai lebih awal dari tanggal mulai."),
        ("date_from=kemarin", "date_from", "Tanggal tidak valid."),
        ("action=drop", "action", "Pilih salah satu pilihan yang tersedia."),
        ("entity_id=-3", "entity_id", "Pilih salah satu pilihan yang tersedia."),
    ],
)
def test_bad_filters_are_explained_next_to_the_field(client, auth, trail, query, field, message):
    auth.login(trail["admin"])
    response = client.get(f"/audit/?{query}")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    at = page.index(f'id="{field}-error"')
    assert message in page[at : at + 200]


def test_pages_of_fifty_newest_first(client, auth, app):
    admin = factories.make_user("admin")
    issue = factories.make_issue()
    db.session.commit()
    for i in range(60):
        issue.title = f"Judul {i}"
        db.session.commit()
    auth.login(admin)
    first = client.get("/audit/?entity_type=issues").get_data(as_text=True)
    assert _rows(first) == 50 and "Judul 59" in first and 'rel="next"' in first
    link = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(link).get_data(as_text=True)
    assert _rows(second) == 11 and "Judul 0" in second and 'rel="prev"' in second
    back = second.split('rel="prev" href="')[1].split('"')[0].replace("&amp;", "&")
    assert _rows(client.get(back).get_data(as_text=True)) == 50


def test_newer_events_first_across_pages(app):
    issue = factories.make_issue()
    db.session.commit()
    for i in range(7):
        issue.title = f"T{i}"
        db.session.commit()
    page = fetch_events(AuditFilter(entity_type="issues"), size=3)
    ids = [e.id for e in page.rows]
    assert ids == sorted(ids, reverse=True)
    nxt = fetch_events(AuditFilter(entity_type="issues"), after=page.next_cursor, size=3)
    assert max(e.id for e in nxt.rows) < min(ids)
    assert timedelta(0) <= page.rows[0].created_dt - nxt.rows[0].created_dt
