"""The issue list, "my issues", the issue page and the audit page run as many queries for 5 rows as for 50."""

from datetime import timedelta

import pytest

from coordapp.audit.services import acting_as
from coordapp.core.time import local_today
from coordapp.extensions import db
from coordapp.issues import services
from tests import factories
from tests.querycount import count_queries


def _issues(n: int, owner, election, orgs, contacts):
    stages = election.stages
    for i in range(n):
        factories.make_issue(
            election,
            title=f"Kendala {i}",
            owner=owner,
            created_by=owner,
            stage=stages[i % 20],
            due_date=local_today() + timedelta(days=i % 9 - 4),
            priority=("low", "high")[i % 2],
            organizations=orgs[i % 3 : i % 3 + 2],
            contacts=contacts[i % 2 : i % 2 + 1],
        )


def _world(n: int):
    election = factories.make_election()
    owner = factories.make_user("staff")
    orgs = [factories.make_organization(category=c) for c in ("media", "security", "government", "party")]
    contacts = [factories.make_contact(org) for org in orgs]
    _issues(n, owner, election, orgs, contacts)
    db.session.commit()
    return owner, election, orgs, contacts


def _issue_with_timeline(n: int):
    owner, election, orgs, contacts = _world(1)
    issue = factories.make_issue(
        election,
        title="Sorotan",
        owner=owner,
        created_by=owner,
        meeting=factories.make_meeting(election),
        organizations=orgs,
        contacts=contacts,
    )
    db.session.commit()
    for i in range(n):
        with acting_as(owner):
            kind = ("comment", "action", "stakeholder_reply", "status_change", "reminder")[i % 5]
            if kind == "status_change":
                services.change_status(issue, services.allowed_moves(issue)[0], author_user=owner, reason="alasan")
            elif kind == "stakeholder_reply":
                services.add_follow_up(issue, kind=kind, body=f"Balasan {i}", author_contact=contacts[i % 4])
            else:
                services.add_follow_up(
                    issue,
                    kind=kind,
                    body=f"Catatan **{i}**, lihat #{issue.id} dan #{1000 + i}",  # references: one lookup for the page
                    author_user=owner,
                    action_due_date=local_today() if kind == "action" else None,
                )
            issue.title = f"Sorotan {i}"  # one more history row per step
            issue.organizations = orgs[: 1 + i % 4]
            db.session.commit()
    return owner, issue


def _count(client, url: str) -> int:
    db.session.expire_all()
    client.get(url)  # warm up: compile statements, load the catalogs
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200
    return q.count


def _compare(app, client, auth, build, url_of) -> dict[int, int]:
    """Count the queries of a page built with 5 rows and with 50 (a fresh database each time)."""
    from tests.conftest import _empty_tables

    counts = {}
    for n in (5, 50):
        viewer, target = build(n)
        auth.login(viewer)
        counts[n] = _count(client, url_of(target))
        auth.logout()
        _empty_tables()
    return counts


def _admin_and_timeline(n: int):
    _issue_with_timeline(n)
    admin = factories.make_user("admin")
    db.session.commit()
    return admin, None


@pytest.mark.parametrize(
    "url",
    [
        "/issues/",
        "/issues/?sort=priority&status=open&status=in_progress",
        "/issues/?sort=due&overdue=1",
        "/issues/?status=all&stage=1&stage=2&priority=high&q=e",  # chips naming stages: one query for all of them
        "/issues/print?status=all",
        "/issues/mine",
    ],
)
def test_issue_lists_do_not_grow_with_rows(app, client, auth, url):
    counts = _compare(app, client, auth, lambda n: (_world(n)[0], None), lambda _: url)
    print(f"\nqueries {url}: {counts}")
    assert counts[5] == counts[50]


def test_issue_page_does_not_grow_with_the_timeline(app, client, auth):
    counts = _compare(app, client, auth, _issue_with_timeline, lambda issue: f"/issues/{issue.id}")
    print(f"\nqueries /issues/<id>: {counts}")
    assert counts[5] == counts[50]


def test_audit_page_does_not_grow_with_events(app, client, auth):
    # Names of referenced records load with one query per kind of record (user, stage, organization ...),
    # so compare pages whose events mention the same kinds.
    counts = _compare(app, client, auth, _admin_and_timeline, lambda _: "/audit/?entity_type=issues&action=update")
    print(f"\nqueries /audit/: {counts}")
    assert counts[5] == counts[50]
