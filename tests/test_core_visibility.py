"""The visibility rule: who reads which timeline entry (staff, the same organisation, another, the public)."""

import pytest

from coordapp.core import visibility
from coordapp.core.visibility import INTERNAL, PUBLIC_READER, SHARED, STAFF, contact_reader
from coordapp.extensions import db
from coordapp.issues.models import FollowUp, issue_contacts
from coordapp.stakeholders.models import Contact
from tests import factories


@pytest.fixture
def world(app):
    election = factories.make_election(with_stages=False)
    bawaslu, polres = factories.make_organization(name="Bawaslu"), factories.make_organization(name="Polres")
    responsible = factories.make_contact(bawaslu)
    colleague = factories.make_contact(bawaslu)  # same organisation, not responsible for the issue
    outsider = factories.make_contact(polres)  # responsible too, but of another organisation
    issue = factories.make_issue(election)
    issue.contacts.extend([responsible, outsider])
    staff = factories.make_user()
    entries = {
        "staff_note": FollowUp(issue=issue, kind="comment", body="internal note", author_user=staff),
        "shared_update": FollowUp(
            issue=issue, kind="comment", body="shared update", author_user=staff, visibility=SHARED
        ),
        "bawaslu_reply": FollowUp(
            issue=issue, kind="stakeholder_reply", body="reply", author_contact=responsible, visibility=SHARED
        ),
        "polres_reply": FollowUp(
            issue=issue, kind="stakeholder_reply", body="reply", author_contact=outsider, visibility=SHARED
        ),
    }
    db.session.add_all(entries.values())
    db.session.commit()
    return issue, {"responsible": responsible, "colleague": colleague, "outsider": outsider}, entries


EXPECTED = {  # reader -> the entries it reads
    "staff": {"staff_note", "shared_update", "bawaslu_reply", "polres_reply"},
    "responsible": {"shared_update", "bawaslu_reply"},
    "colleague": {"bawaslu_reply"},
    "outsider": {"shared_update", "polres_reply"},
    "public": set(),
}


def _reader(name, contacts):
    return {"staff": STAFF, "public": PUBLIC_READER}.get(name) or contact_reader(contacts[name])


@pytest.mark.parametrize("who", EXPECTED)
def test_each_reader_reads_only_what_is_meant_for_them(world, who):
    issue, contacts, entries = world
    reader = _reader(who, contacts)
    names = {name for name, entry in entries.items() if entry in visibility.visible_entries(reader, issue)}
    assert names == EXPECTED[who]


@pytest.mark.parametrize("who", EXPECTED)
def test_the_sql_clause_agrees_with_the_rule(world, who):
    issue, contacts, entries = world
    clause = visibility.entry_clause(_reader(who, contacts), FollowUp, issue_contacts, Contact)
    ids = set(db.session.execute(db.select(FollowUp.id).where(FollowUp.issue_id == issue.id, clause)).scalars())
    assert ids == {entries[name].id for name in EXPECTED[who]}


def test_new_entries_are_internal(world):
    issue, _, entries = world
    assert entries["staff_note"].visibility == INTERNAL
