"""The register's pages run the same number of queries with 5 rows as with 50."""

import pytest

from coordapp.extensions import db
from tests.factories import make_contact, make_election, make_issue, make_meeting, make_organization, make_user
from tests.querycount import count_queries


def _register(n: int, start: int = 0) -> None:
    """n organizations, each with two contacts and an open issue."""
    election = make_election(with_stages=False)
    owner = make_user("staff")
    for i in range(start, start + n):
        org = make_organization(name=f"Organisasi {i:03d}", influence=1 + i % 5, interest=1 + (i // 5) % 5)
        make_contact(org)
        make_contact(org)
        make_issue(election, owner=owner, organizations=[org])
    db.session.commit()


def _busy_organization(n: int) -> int:
    """One organization with n contacts, meetings, open issues and history entries."""
    org = make_organization()
    election = make_election()
    for i in range(n):
        make_contact(org)
        make_meeting(election, stage=election.stages[i % 20], organizations=[org])
        make_issue(election, stage=election.stages[i % 20], owner=make_user("staff"), organizations=[org])
    db.session.commit()
    for i in range(n):
        org.notes = f"Catatan {i}"
        db.session.commit()
    return org.id


def _queries(client, url: str) -> int:
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter.count


@pytest.mark.parametrize("url", ["/stakeholders/", "/stakeholders/grid", "/stakeholders/export.csv?active=all"])
def test_register_pages_do_not_grow_with_rows(client, auth, url):
    auth.as_role("manager")
    _register(5)
    few = _queries(client, url)
    _register(45, start=5)
    many = _queries(client, url)
    print(f"{url}: {few} queries with 5 organizations, {many} with 50")
    assert few == many


def test_organization_page_does_not_grow_with_its_contacts_meetings_issues_and_history(client, auth):
    auth.as_role("staff")
    small = _busy_organization(5)
    few = _queries(client, f"/stakeholders/{small}")
    big = _busy_organization(50)
    many = _queries(client, f"/stakeholders/{big}")
    print(f"organization page: {few} queries with 5 rows each, {many} with 50")
    assert few == many


def test_contact_page_does_not_grow_with_its_issues(client, auth):
    auth.as_role("staff")
    counts = []
    for n in (5, 50):
        contact = make_contact()
        election = make_election(with_stages=False)
        for _ in range(n):
            make_issue(election, owner=make_user("staff"), contacts=[contact])
        db.session.commit()
        counts.append(_queries(client, f"/stakeholders/contacts/{contact.id}"))
    print(f"contact page: {counts[0]} queries with 5 issues, {counts[1]} with 50")
    assert counts[0] == counts[1]
