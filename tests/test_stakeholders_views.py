"""The register's pages through the client: list, organization, contact, grid, forms, export."""

import csv
import io
from datetime import UTC, datetime

from flask_babel import force_locale

from coordapp.extensions import db
from coordapp.stakeholders import importer
from coordapp.stakeholders.models import Contact, Organization
from tests.factories import make_contact, make_election, make_issue, make_meeting, make_organization

ORG_FORM = {
    "name": "Polres Tangerang Selatan",
    "short_name": "Polres",
    "category": "security",
    "influence": "5",
    "interest": "3",
    "notes": "Pengamanan TPS dan kampanye.",
}
CONTACT_FORM = {
    "name": "AKP Dedi Kurniawan",
    "position": "Kasat Intelkam",
    "email": "Dedi@Polres.example.org",
    "phone": "+62 21 555 0199",
    "language": "id",
    "reminder_mode": "immediate",
}


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_list_searches_filters_and_counts(client, auth):
    auth.as_role("staff", language="en")
    make_organization(name="Bawaslu Kota Tangerang Selatan", category="supervisory")
    media = make_organization(name="Tangsel Pos", category="media")
    make_contact(media, name="Sari Redaktur", email="sari@tangselpos.example.org")
    make_organization(name="Radio Lama", category="media", is_active=False)
    db.session.commit()
    page = _text(client.get("/stakeholders/"))
    assert "Organizations found: 2" in page and "Radio Lama" not in page
    assert ">Media (1)</option>" in page and "All categories (2)" in page
    page = _text(client.get("/stakeholders/?q=SARI"))
    assert "Tangsel Pos" in page and "Bawaslu" not in page
    page = _text(client.get("/stakeholders/?category=media&active=all"))
    assert "Organizations found: 2" in page and "Radio Lama" in page and "Bawaslu" not in page


def test_list_shows_open_issue_counts(client, auth):
    auth.as_role("staff", language="en")
    org = make_organization(name="Disdukcapil")
    election = make_election(with_stages=False)
    for status in ("open", "in_progress", "resolved"):
        make_issue(election, status=status, organizations=[org])
    db.session.commit()
    page = _text(client.get("/stakeholders/"))
    assert f'<a href="/issues/?organization={org.id}">2</a>' in page


def test_staff_create_an_organization(client, auth):
    auth.as_role("staff", language="en")
    response = client.post("/stakeholders/new", data=ORG_FORM)
    org = db.session.execute(db.select(Organization)).scalar_one()
    assert response.headers["Location"].endswith(f"/stakeholders/{org.id}")
    assert (org.short_name, org.category, org.influence, org.interest, org.is_active) == (
        "Polres",
        "security",
        5,
        3,
        True,
    )
    assert "Organization Polres Tangerang Selatan saved." in _text(client.get(f"/stakeholders/{org.id}"))


def test_bad_organization_input_shows_errors_next_to_the_fields_and_keeps_what_was_typed(client, auth):
    auth.as_role("staff", language="en")
    make_organization(name="Polres Tangerang Selatan")
    db.session.commit()
    response = client.post(
        "/stakeholders/new",
        data=ORG_FORM
        | {"name": "polres tangerang selatan", "influence": "9", "category": "aliens", "short_name": "P" * 61},
    )
    page = _text(response)
    assert response.status_code == 422
    assert '<p class="error" id="name-error">Another organization already has this name.</p>' in page
    assert '<p class="error" id="influence-error">Not a valid choice.</p>' in page
    assert '<p class="error" id="category-error">Not a valid choice.</p>' in page
    assert '<p class="error" id="short_name-error">Use at most 60 characters.</p>' in page
    assert 'value="polres tangerang selatan"' in page and "Pengamanan TPS dan kampanye." in page
    assert db.session.scalar(db.select(db.func.count(Organization.id))) == 1


def test_errors_are_translated(client, auth):
    auth.as_role("staff")
    page = _text(client.post("/stakeholders/new", data=ORG_FORM | {"name": ""}))
    assert "Kolom ini wajib diisi." in page


def test_staff_cannot_deactivate_through_the_edit_form(client, auth):
    auth.as_role("staff", language="en")
    org = make_organization()
    db.session.commit()
    assert 'name="is_active"' not in _text(client.get(f"/stakeholders/{org.id}/edit"))
    client.post(f"/stakeholders/{org.id}/edit", data=ORG_FORM | {"is_active": ""})
    db.session.expire_all()
    assert (
        db.session.get(Organization, org.id).is_active and db.session.get(Organization, org.id).name == ORG_FORM["name"]
    )


def test_manager_deactivates_and_reactivates_an_organization(client, auth):
    auth.as_role("manager", language="en")
    org = make_organization(name="Radio Suara Tangsel")
    db.session.commit()
    assert client.post(f"/stakeholders/{org.id}/deactivate").status_code == 302
    page = _text(client.get(f"/stakeholders/{org.id}"))
    assert "deactivated. A manager can reactivate it." in page and "Reactivate" in page
    assert "Radio Suara Tangsel" not in _text(client.get("/stakeholders/"))
    assert "Radio Suara Tangsel" not in _text(client.get("/stakeholders/grid"))
    client.post(f"/stakeholders/{org.id}/reactivate")
    db.session.expire_all()
    assert db.session.get(Organization, org.id).is_active
    history = _text(client.get(f"/stakeholders/{org.id}"))
    change = (
        '<span class="change-field">Active</span>: '
        '<span class="change-old">{}</span> → <span class="change-new">{}</span>'
    )
    assert history.index(change.format("Yes", "No")) > history.index(change.format("No", "Yes"))  # newest first


def test_organization_page_shows_contacts_meetings_open_issues_and_history(client, auth):
    user = auth.as_role("staff", language="en")
    org = make_organization(name="Dinas Kependudukan dan Pencatatan Sipil", influence=4, interest=5)
    make_contact(org, name="Budi Santoso", email="budi@tangsel.example.org")
    election = make_election()
    meeting = make_meeting(election, title="Rakor pemutakhiran DPT")
    meeting.organizations.append(org)
    open_issue = make_issue(election, title="1.200 warga belum punya e-KTP", owner=user)
    open_issue.organizations.append(org)
    make_issue(election, title="Sudah selesai", status="resolved", organizations=[org])
    db.session.commit()
    client.post(f"/stakeholders/{org.id}/edit", data=ORG_FORM | {"name": org.name, "interest": "4"})
    page = _text(client.get(f"/stakeholders/{org.id}"))
    assert "Budi Santoso" in page and "Rakor pemutakhiran DPT" in page
    assert f'href="/meetings/{meeting.id}"' in page
    assert "1.200 warga belum punya e-KTP" in page and "Sudah selesai" not in page
    assert "Open issues</h2>" in page or "Open issues (1)" in page
    assert "Manage closely" in page
    assert (
        '<span class="change-field">Interest</span>: '
        '<span class="change-old">5</span> → <span class="change-new">4</span>' in page
    )
    assert user.name in page


def test_contact_create_edit_and_page(client, auth):
    auth.as_role("staff", language="en")
    org = make_organization(name="Polres Tangerang Selatan")
    db.session.commit()
    response = client.post(f"/stakeholders/{org.id}/contacts/new", data=CONTACT_FORM | {"organization_id": org.id})
    contact = db.session.execute(db.select(Contact)).scalar_one()
    assert response.headers["Location"].endswith(f"/stakeholders/contacts/{contact.id}")
    assert (contact.email, contact.reminder_mode, contact.organization_id) == (
        "dedi@polres.example.org",
        "immediate",
        org.id,
    )
    page = _text(client.get(f"/stakeholders/contacts/{contact.id}"))
    assert "dedi@polres.example.org" in page and "This contact gets reminders" in page
    other = make_organization(name="Kodim 0506")
    db.session.commit()
    client.post(
        f"/stakeholders/contacts/{contact.id}/edit",
        data=CONTACT_FORM | {"organization_id": other.id, "position": "Pasi Intel"},
    )
    db.session.expire_all()
    contact = db.session.get(Contact, contact.id)
    assert (contact.position, contact.organization_id) == ("Pasi Intel", other.id)


def test_duplicate_contact_email_is_refused_whatever_the_case(client, auth):
    auth.as_role("staff", language="en")
    org = make_organization()
    make_contact(org, name="Rina Wulandari", email="dedi@polres.example.org")
    db.session.commit()
    response = client.post(
        f"/stakeholders/{org.id}/contacts/new",
        data=CONTACT_FORM | {"organization_id": org.id, "email": "DEDI@polres.example.org "},
    )
    page = _text(response)
    assert response.status_code == 422
    assert (
        f'<p class="error" id="email-error">This email is already used by Rina Wulandari ({org.label}).</p>'
    ) in page
    assert 'value="AKP Dedi Kurniawan"' in page
    assert db.session.scalar(db.select(db.func.count(Contact.id))) == 1


def test_invalid_contact_input(client, auth):
    auth.as_role("staff", language="en")
    org = make_organization()
    db.session.commit()
    response = client.post(
        f"/stakeholders/{org.id}/contacts/new",
        data=CONTACT_FORM
        | {
            "organization_id": org.id,
            "email": "dedi@",
            "phone": "call me",
            "language": "fr",
            "reminder_mode": "hourly",
        },
    )
    page = _text(response)
    assert response.status_code == 422
    assert '<p class="error" id="email-error">This is not a valid email address.</p>' in page
    assert '<p class="error" id="phone-error">Use digits, spaces and + - ( ) only' in page
    assert '<p class="error" id="language-error">Not a valid choice.</p>' in page
    assert '<p class="error" id="reminder_mode-error">Not a valid choice.</p>' in page
    assert db.session.scalar(db.select(db.func.count(Contact.id))) == 0


def test_contact_page_shows_an_unsubscribe_and_the_responsible_issues(client, auth):
    auth.as_role("staff", language="en")
    contact = make_contact(name="Sari", unsubscribed_dt=datetime(2020, 10, 1, 3, 30, tzinfo=UTC))
    issue = make_issue(title="Izin lokasi kampanye di Pamulang")
    issue.contacts.append(contact)
    db.session.commit()
    page = _text(client.get(f"/stakeholders/contacts/{contact.id}"))
    assert 'datetime="2020-10-01T03:30:00+00:00"' in page and "10:30" in page  # shown in WIB
    assert "stopped reminders with the link in an email" in page
    assert "Izin lokasi kampanye di Pamulang" in page


def test_manager_deactivates_a_contact(client, auth):
    auth.as_role("manager", language="en")
    contact = make_contact()
    db.session.commit()
    client.post(f"/stakeholders/contacts/{contact.id}/deactivate")
    db.session.expire_all()
    assert not db.session.get(Contact, contact.id).is_active
    assert "deactivated and gets no reminders" in _text(client.get(f"/stakeholders/contacts/{contact.id}"))
    client.post(f"/stakeholders/contacts/{contact.id}/reactivate")
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).is_active


def _cell(page: str, influence: int, interest: int) -> str:
    """Return the opening tag and content of one grid cell."""
    return page.split(f'<td id="cell-{influence}-{interest}"')[1].split("</td>")[0]


def test_grid_places_each_organization_in_its_cell_as_a_link(client, auth):
    auth.as_role("staff", language="en")
    bawaslu = make_organization(name="Bawaslu Kota Tangerang Selatan", short_name="Bawaslu", influence=5, interest=5)
    media = make_organization(name="Tangsel Pos", short_name="", category="media", influence=2, interest=4)
    db.session.commit()
    page = _text(client.get("/stakeholders/grid"))
    assert page.count('class="si-cell ') == 25
    top_right = _cell(page, 5, 5)
    assert 'class="si-cell si-manage_closely"' in top_right
    assert (
        f'<a class="si-org" href="/stakeholders/{bawaslu.id}" title="Bawaslu Kota Tangerang Selatan">Bawaslu</a>'
        in top_right
    )
    informed = _cell(page, 2, 4)
    assert (
        "si-keep_informed" in informed
        and f'href="/stakeholders/{media.id}"' in informed
        and ">Tangsel Pos</a>" in informed
    )
    assert "/stakeholders/" not in _cell(page, 3, 3).split(">", 1)[1].split("</span>", 1)[1]
    for name in ("Manage closely", "Keep satisfied", "Keep informed", "Monitor"):
        assert name in page
    assert "Tangsel Pos" not in _text(client.get("/stakeholders/grid?category=supervisory"))


def test_grid_quadrant_names_in_indonesian(client, auth):
    auth.as_role("staff")
    page = _text(client.get("/stakeholders/grid"))
    assert "Kelola secara dekat" in page and "Pantau" in page


def test_export_has_the_import_columns_and_neutralises_formulas(client, auth):
    auth.as_role("manager", language="en")
    org = make_organization(name='=HYPERLINK("http://evil.example")', category="media", notes="@SUM(1)")
    make_contact(org, name="Ani", email="ani@example.org", phone="+62 21 555")
    make_organization(name="Tanpa Kontak", category="community")
    db.session.commit()
    response = client.get("/stakeholders/export.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert list(rows[0]) == list(importer.COLUMNS)
    assert rows[0]["organization_name"] == '\'=HYPERLINK("http://evil.example")'
    assert rows[0]["organization_notes"] == "'@SUM(1)" and rows[0]["contact_phone"] == "'+62 21 555"
    assert rows[1]["organization_name"] == "Tanpa Kontak" and rows[1]["contact_email"] == ""
    with force_locale("en"):  # the export imports again unchanged
        result = importer.import_file(response.data)
    assert (result.organizations_created, result.organizations_updated, result.contacts_updated) == (0, 0, 0)


def test_export_follows_the_list_filter(client, auth):
    auth.as_role("manager", language="en")
    make_organization(name="Tangsel Pos", category="media")
    make_organization(name="Pemkot", category="government")
    db.session.commit()
    data = client.get("/stakeholders/export.csv?category=media").data.decode("utf-8-sig")
    assert "Tangsel Pos" in data and "Pemkot" not in data


def test_menu_has_the_register(client, auth):
    auth.as_role("staff")
    page = _text(client.get("/stakeholders/"))
    assert '<a href="/stakeholders/">Pemangku kepentingan</a>' in page


def test_forms_refuse_a_post_without_csrf_token(csrf_app):
    from tests.conftest import AuthActions
    from tests.factories import make_user

    client = csrf_app.test_client()
    user = make_user("manager")
    org = make_organization()
    db.session.commit()
    import re

    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', _text(client.get("/auth/login"))).group(1)
    AuthActions(client).login(user, csrf_token=token)
    assert client.post("/stakeholders/new", data=ORG_FORM).status_code == 400
    assert client.post(f"/stakeholders/{org.id}/deactivate").status_code == 400
    assert (
        client.post(f"/stakeholders/{org.id}/contacts/new", data=CONTACT_FORM | {"organization_id": org.id}).status_code
        == 400
    )
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Organization.id))) == 1
    assert db.session.get(Organization, org.id).is_active
