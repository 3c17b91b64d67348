"""The flush listener: one event per entity and transaction, with the real old values and the actor."""

from coordapp.audit.models import AuditEvent
from coordapp.audit.services import acting_as
from coordapp.extensions import db
from tests import factories


def _events(entity_type: str, entity_id: int) -> list[AuditEvent]:
    return (
        db.session.execute(
            db.select(AuditEvent)
            .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
            .order_by(AuditEvent.id)
        )
        .scalars()
        .all()
    )


def test_old_values_survive_a_commit(app):
    first, second = factories.make_user("staff"), factories.make_user("staff")
    issue = factories.make_issue(title="Izin tempat kampanye", owner=first)
    db.session.commit()  # expires everything: the listener must still see the old values
    issue.title = "Izin tempat kampanye di Pamulang"
    issue.owner = second
    db.session.commit()
    assert _events("issues", issue.id)[-1].changes == {
        "title": ["Izin tempat kampanye", "Izin tempat kampanye di Pamulang"],
        "owner_id": [first.id, second.id],
    }


def test_one_event_per_entity_per_transaction_despite_autoflush(app):
    org_a, org_b = factories.make_organization(), factories.make_organization()
    contact = factories.make_contact(org_b)
    issue = factories.make_issue(organizations=[org_a])
    db.session.commit()
    issue.title = "Judul baru"
    issue.organizations = [org_a, org_b]  # loading the old collection autoflushes the title first
    issue.contacts = [contact]
    db.session.commit()
    update = _events("issues", issue.id)[-1]
    assert len(_events("issues", issue.id)) == 2
    assert update.action == "update"
    assert set(update.changes) == {"title", "organizations", "contacts"}
    assert update.changes["organizations"] == [[org_a.id], sorted([org_a.id, org_b.id])]
    assert update.changes["contacts"] == [[], [contact.id]]


def test_create_then_change_in_one_transaction_is_one_create(app):
    issue = factories.make_issue(title="Draf")
    issue.title = "Final"
    issue.status = "in_progress"
    db.session.flush()
    db.session.commit()
    [event] = _events("issues", issue.id)
    assert event.action == "create"
    assert event.changes["title"] == [None, "Final"]
    assert event.changes["status"] == [None, "in_progress"]


def test_status_change_and_archive_actions(app):
    issue = factories.make_issue()
    db.session.commit()
    issue.status = "waiting"
    db.session.commit()
    issue.is_archived = True
    db.session.commit()
    assert [e.action for e in _events("issues", issue.id)] == ["create", "status_change", "archive"]


def test_a_rolled_back_change_leaves_no_event(app):
    issue = factories.make_issue()
    db.session.commit()
    issue.title = "Tidak jadi"
    db.session.flush()
    db.session.rollback()
    assert len(_events("issues", issue.id)) == 1
    issue.title = "Jadi"
    db.session.commit()
    assert _events("issues", issue.id)[-1].changes["title"][1] == "Jadi"


def test_actor_is_recorded(app):
    actor = factories.make_user("manager")
    issue = factories.make_issue()
    db.session.commit()
    with acting_as(actor):
        issue.priority = "critical"
        db.session.commit()
    with acting_as(None, label="kontak@example.org"):
        issue.priority = "high"
        db.session.commit()
    by_actor, by_label = _events("issues", issue.id)[-2:]
    assert (by_actor.actor_user_id, by_actor.actor_label) == (actor.id, actor.email)
    assert (by_label.actor_user_id, by_label.actor_label) == (None, "kontak@example.org")
