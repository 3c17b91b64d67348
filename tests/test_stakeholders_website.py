"""An organization's website: edited on its form, shown (as a link) on its page and in its history."""

import pytest

from coordapp.extensions import db
from coordapp.stakeholders.models import Organization
from tests.factories import make_organization
from tests.test_stakeholders_views import ORG_FORM


def test_staff_add_a_website_shown_as_a_link_and_in_the_history(client, auth):
    auth.as_role("staff")
    org = make_organization(name=ORG_FORM["name"])
    db.session.commit()
    assert 'name="website"' in client.get(f"/stakeholders/{org.id}/edit").get_data(as_text=True)
    response = client.post(f"/stakeholders/{org.id}/edit", data=ORG_FORM | {"website": " https://polres.example.org "})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organization, org.id).website == "https://polres.example.org"
    page = client.get(f"/stakeholders/{org.id}").get_data(as_text=True)
    assert '<a href="https://polres.example.org" rel="noopener noreferrer nofollow">' in page
    assert "Situs web" in page  # the label on the page and in the history ("Riwayat")
    assert '<span class="change-field">Situs web</span>' in page


def test_a_website_is_optional(client, auth):
    auth.as_role("staff")
    assert client.post("/stakeholders/new", data=ORG_FORM).status_code == 302
    org = db.session.execute(db.select(Organization)).scalar_one()
    assert org.website == ""
    assert "Situs web" not in client.get(f"/stakeholders/{org.id}").get_data(as_text=True).split("Riwayat")[0]


@pytest.mark.parametrize(
    "website",
    ["javascript:alert(1)", "bawaslu.go.id", "https://localhost", "https://a b.org", "https://x.org/" + "a" * 300],
)
def test_a_bad_website_is_refused_next_to_the_field_and_changes_nothing(client, auth, website):
    auth.as_role("staff")
    org = make_organization(name=ORG_FORM["name"])
    db.session.commit()
    response = client.post(f"/stakeholders/{org.id}/edit", data=ORG_FORM | {"website": website})
    assert response.status_code == 422
    assert 'id="website-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Organization, org.id).website == ""
