"""Who may open each route of the stakeholder register (every route, every role)."""

import pytest

from coordapp.extensions import db
from tests.factories import make_contact

OK, REDIRECT, FORBIDDEN = 200, 302, 403
# (method, url template, expected for staff, manager, admin); anonymous users are always sent to the login page.
ROUTES = [
    ("stakeholders.index", "GET", "/stakeholders/", (OK, OK, OK)),
    ("stakeholders.organization", "GET", "/stakeholders/{org}", (OK, OK, OK)),
    ("stakeholders.create_organization", "GET", "/stakeholders/new", (OK, OK, OK)),
    ("stakeholders.create_organization", "POST", "/stakeholders/new", (REDIRECT, REDIRECT, REDIRECT)),
    ("stakeholders.edit_organization", "GET", "/stakeholders/{org}/edit", (OK, OK, OK)),
    ("stakeholders.edit_organization", "POST", "/stakeholders/{org}/edit", (REDIRECT, REDIRECT, REDIRECT)),
    ("stakeholders.deactivate_organization", "POST", "/stakeholders/{org}/deactivate", (FORBIDDEN, REDIRECT, REDIRECT)),
    ("stakeholders.reactivate_organization", "POST", "/stakeholders/{org}/reactivate", (FORBIDDEN, REDIRECT, REDIRECT)),
    ("stakeholders.contact", "GET", "/stakeholders/contacts/{contact}", (OK, OK, OK)),
    ("stakeholders.create_contact", "GET", "/stakeholders/{org}/contacts/new", (OK, OK, OK)),
    ("stakeholders.create_contact", "POST", "/stakeholders/{org}/contacts/new", (REDIRECT, REDIRECT, REDIRECT)),
    ("stakeholders.edit_contact", "GET", "/stakeholders/contacts/{contact}/edit", (OK, OK, OK)),
    ("stakeholders.edit_contact", "POST", "/stakeholders/contacts/{contact}/edit", (REDIRECT, REDIRECT, REDIRECT)),
    (
        "stakeholders.deactivate_contact",
        "POST",
        "/stakeholders/contacts/{contact}/deactivate",
        (FORBIDDEN, REDIRECT, REDIRECT),
    ),
    (
        "stakeholders.reactivate_contact",
        "POST",
        "/stakeholders/contacts/{contact}/reactivate",
        (FORBIDDEN, REDIRECT, REDIRECT),
    ),
    ("stakeholders.grid", "GET", "/stakeholders/grid", (OK, OK, OK)),
    ("stakeholders.import_csv", "GET", "/stakeholders/import", (FORBIDDEN, FORBIDDEN, OK)),
    ("stakeholders.import_csv", "POST", "/stakeholders/import", (FORBIDDEN, FORBIDDEN, REDIRECT)),
    # without a kept file's ticket: back to the import page (test_stakeholders_import covers the ticket)
    ("stakeholders.import_checked", "POST", "/stakeholders/import/checked", (FORBIDDEN, FORBIDDEN, REDIRECT)),
    ("stakeholders.import_template", "GET", "/stakeholders/import/template.csv", (FORBIDDEN, FORBIDDEN, OK)),
    ("stakeholders.export_csv", "GET", "/stakeholders/export.csv", (FORBIDDEN, OK, OK)),
    (
        "stakeholders.export_personal_data",
        "GET",
        "/stakeholders/contacts/{contact}/personal-data.json",
        (FORBIDDEN, FORBIDDEN, OK),
    ),
    (
        "stakeholders.anonymise_contact",
        "POST",
        "/stakeholders/contacts/{contact}/anonymise",
        (FORBIDDEN, FORBIDDEN, REDIRECT),
    ),
]
ROLES = ("staff", "manager", "admin")
CSV = (
    b"organization_name,category,contact_name,contact_email\n"
    b"Kesbangpol Kota Tangerang Selatan,government,Dewi,dewi@kesbangpol.example.org\n"
)


def _form(endpoint: str, org_id: int) -> dict:
    """Return valid data for a POST, so a permitted request succeeds (302) rather than failing validation."""
    if endpoint.endswith("_organization") and endpoint.split(".")[1].startswith(("create", "edit")):
        return {"name": "Kodim 0506 Tangerang", "category": "security", "influence": "4", "interest": "3"}
    if endpoint.endswith("_contact") and endpoint.split(".")[1].startswith(("create", "edit")):
        return {
            "organization_id": str(org_id),
            "name": "Letda Yusuf",
            "email": "yusuf@kodim.example.org",
            "language": "id",
            "reminder_mode": "daily",
        }
    return {}


def _request(client, method: str, endpoint: str, url: str, org_id: int):
    if method == "GET":
        return client.get(url)
    if endpoint == "stakeholders.import_csv":
        import io

        return client.post(url, data={"file": (io.BytesIO(CSV), "register.csv")}, content_type="multipart/form-data")
    return client.post(url, data=_form(endpoint, org_id))


@pytest.mark.parametrize("role", (None,) + ROLES)
@pytest.mark.parametrize("endpoint, method, url, expected", ROUTES, ids=[f"{m} {e}" for e, m, _, _ in ROUTES])
def test_access_matrix(client, auth, role, endpoint, method, url, expected):
    contact = make_contact()
    db.session.commit()
    if role:
        auth.as_role(role)
    response = _request(
        client, method, endpoint, url.format(org=contact.organization_id, contact=contact.id), contact.organization_id
    )
    if role is None:
        assert response.status_code == REDIRECT and "/auth/login" in response.headers["Location"]
    else:
        assert response.status_code == expected[ROLES.index(role)], response.get_data(as_text=True)[:300]


def test_matrix_covers_every_route_of_the_register(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("stakeholders.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes == {(endpoint, method) for endpoint, method, _, _ in ROUTES}


def test_missing_things_are_404(client, auth):
    auth.as_role("admin")
    for url in (
        "/stakeholders/999999",
        "/stakeholders/999999/edit",
        "/stakeholders/contacts/999999",
        "/stakeholders/999999/contacts/new",
        "/stakeholders/contacts/999999/edit",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post("/stakeholders/999999/deactivate").status_code == 404
