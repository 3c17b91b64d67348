"""The audit trail of an entity: recorded by the flush listener, read by history_for, shown as Riwayat."""

from datetime import date

from flask import render_template

from coordapp.audit.services import acting_as, history_for
from coordapp.extensions import db
from tests import factories
from tests.querycount import count_queries


def _issue_with_history(actor, n_changes: int = 1):
    election = factories.make_election()
    org_a, org_b = (
        factories.make_organization(short_name="Bawaslu"),
        factories.make_organization(short_name="Disdukcapil"),
    )
    contact = factories.make_contact(org_b, name="Rina Lestari")
    owner = factories.make_user("staff", name="Budi Santoso")
    db.session.commit()
    with acting_as(actor):
        issue = factories.make_issue(election, title="Warga tanpa e-KTP", organizations=[org_a])
        db.session.commit()
        for i in range(n_changes):
            issue.title = f"Warga tanpa e-KTP ({i})"
            issue.owner = owner
            issue.organizations = [org_a, org_b]
            issue.contacts = [contact]
            db.session.commit()
    return issue


def test_history_is_newest_first_with_actor_and_relationship_changes(app):
    actor = factories.make_user("staff", name="Sari Wulandari")
    issue = _issue_with_history(actor)
    with app.test_request_context():
        events = history_for("issues", issue.id)
    assert [e.action for e in events] == ["update", "create"]
    update, create = events
    assert update.actor.name == "Sari Wulandari" and update.actor_user_id == actor.id
    assert update.changes["organizations"][1] == sorted(o.id for o in issue.organizations)
    assert update.changes["contacts"] == [[], [issue.contacts[0].id]]
    assert create.changes["organizations"] == [[], [issue.organizations[0].id]]
    fields = {line.field: (line.old, line.new) for line in update.lines}
    assert fields["Penanggung jawab"] == ("—", "Budi Santoso")
    assert fields["Kontak penanggung jawab"] == ("—", "Rina Lestari")
    assert fields["Organisasi"] == ("Bawaslu", "Bawaslu, Disdukcapil")


def test_history_holds_only_that_entity(app):
    actor = factories.make_user("staff")
    first = _issue_with_history(actor)
    second = _issue_with_history(actor)
    with app.test_request_context():
        assert {e.entity_id for e in history_for("issues", first.id)} == {first.id}
        assert history_for("meetings", second.id) == []


def test_status_change_and_archive_are_named(app):
    issue = factories.make_issue(title="Logistik terlambat")
    db.session.commit()
    issue.status = "resolved"
    db.session.commit()
    issue.is_archived = True
    db.session.commit()
    issue.is_archived = False
    db.session.commit()
    with app.test_request_context():
        events = history_for("issues", issue.id)
    assert [e.action for e in events] == ["restore", "archive", "status_change", "create"]
    assert events[2].actor is None and events[2].actor_label == "system"
    assert [(line.field, line.old, line.new) for line in events[2].lines] == [("Status", "Terbuka", "Selesai")]
    created = {line.field for line in events[3].lines}
    assert {"Judul", "Status", "Tenggat"} <= created and not {"Diarsipkan", "Publik"} & created  # no "no" at birth


def test_history_partial_shows_when_who_what(app):
    actor = factories.make_user("staff", name="Sari Wulandari")
    issue = _issue_with_history(actor)
    with app.test_request_context():
        html = render_template("audit/_history.html", history=history_for("issues", issue.id))
    assert "Riwayat" in html
    assert "Sari Wulandari" in html
    assert "Dibuat" in html and "Diubah" in html
    assert "Budi Santoso" in html


def test_history_partial_in_english(app):
    issue = _issue_with_history(factories.make_user("staff"))
    with app.test_request_context(headers={"Accept-Language": "en"}):
        html = render_template("audit/_history.html", history=history_for("issues", issue.id))
    assert "History" in html and "Owner" in html and "Created" in html


def test_history_queries_do_not_grow_with_events(app):
    actor = factories.make_user("staff")
    few = _issue_with_history(actor, n_changes=1)
    many = _issue_with_history(actor, n_changes=12)
    with app.test_request_context():
        db.session.expire_all()
        with count_queries() as q_few:
            render_template("audit/_history.html", history=history_for("issues", few.id))
        db.session.expire_all()
        with count_queries() as q_many:
            events = history_for("issues", many.id)
            render_template("audit/_history.html", history=events)
    assert len(events) == 13
    assert q_few.count == q_many.count


def test_dates_and_flags_are_readable(app):
    issue = factories.make_issue(due_date=date(2020, 10, 1))
    db.session.commit()
    issue.due_date = date(2020, 10, 15)
    issue.is_public = True
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        lines = {line.field: (line.old, line.new) for line in history_for("issues", issue.id)[0].lines}
    assert lines["Due date"] == ("Oct 1, 2020", "Oct 15, 2020")
    assert lines["Public"] == ("No", "Yes")
