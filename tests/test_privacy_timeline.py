"""What staff write is internal unless they share it, the form says who will read it, and reminder entries
are written by the system (also for rows written before, through migration 0007)."""

import os
from datetime import date

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from coordapp import create_app
from coordapp.auth.models import User
from coordapp.core.visibility import INTERNAL, SHARED
from coordapp.elections.models import Election
from coordapp.extensions import db
from coordapp.issues import services
from coordapp.issues.models import FollowUp, Issue
from coordapp.reminders.outbox import add_reminder_entry
from coordapp.stakeholders.models import Contact, Organization
from tests.conftest import app_config, postgres_schema
from tests.issues_support import make_world
from tests.test_migrations import MIGRATIONS


def _entries(issue, kind):
    db.session.expire_all()
    return db.session.execute(db.select(FollowUp).filter_by(issue_id=issue.id, kind=kind)).scalars().all()


def test_the_form_says_who_will_read_an_entry_before_it_is_saved(client, auth):
    world = make_world()
    auth.login(world.other)
    page = client.get(f"/issues/{world.issue.id}").get_data(as_text=True)
    assert '<input checked id="visibility-0" name="visibility" type="radio" value="internal">' in page  # the default
    assert '<input id="visibility-1" name="visibility" type="radio" value="shared">' in page
    assert "Hanya staf KPU yang akan membacanya." in page
    assert "Rina Kusuma (Disdukcapil)" in page  # the responsible contact, named with the organisation


def test_an_issue_without_responsible_contacts_says_only_staff_will_read(client, auth):
    world = make_world()
    world.issue.contacts = []
    db.session.commit()
    auth.login(world.other)
    page = client.get(f"/issues/{world.issue.id}").get_data(as_text=True)
    assert "belum punya kontak penanggung jawab" in page


@pytest.mark.parametrize(("posted", "stored"), [({}, INTERNAL), ({"visibility": "shared"}, SHARED)])
def test_a_comment_is_internal_unless_shared(client, auth, posted, stored):
    world = make_world()
    auth.login(world.other)
    response = client.post(
        f"/issues/{world.issue.id}/follow-ups", data={"kind": "comment", "body": "Sudah dikoordinasikan.", **posted}
    )
    assert response.status_code == 302
    (comment,) = _entries(world.issue, "comment")
    assert comment.visibility == stored
    badge = "Dibagikan kepada kontak penanggung jawab" if stored == SHARED else ">Internal<"
    assert badge in client.get(f"/issues/{world.issue.id}").get_data(as_text=True)


@pytest.mark.parametrize("value", ["public", "everyone", ""])
def test_an_unknown_audience_is_refused_and_nothing_is_saved(client, auth, value):
    world = make_world()
    auth.login(world.other)
    response = client.post(
        f"/issues/{world.issue.id}/follow-ups", data={"kind": "comment", "body": "Coba.", "visibility": value}
    )
    assert response.status_code == 422 and "Pilih salah satu pilihan yang tersedia." in response.get_data(as_text=True)
    assert _entries(world.issue, "comment") == []


@pytest.mark.parametrize(("posted", "stored"), [({}, INTERNAL), ({"visibility": "shared"}, SHARED)])
def test_a_status_reason_is_internal_unless_shared(client, auth, posted, stored):
    world = make_world()
    auth.login(world.owner)
    page = client.get(f"/issues/{world.issue.id}").get_data(as_text=True)
    assert '<input checked id="status-visibility-0" name="visibility" type="radio" value="internal">' in page
    response = client.post(
        f"/issues/{world.issue.id}/status", data={"status": "waiting", "reason": "Menunggu data.", **posted}
    )
    assert response.status_code == 302
    (move,) = _entries(world.issue, "status_change")
    assert move.visibility == stored and move.body == "Menunggu data."


def test_a_bad_audience_on_a_status_move_changes_nothing(client, auth):
    world = make_world()
    auth.login(world.owner)
    response = client.post(f"/issues/{world.issue.id}/status", data={"status": "waiting", "visibility": "public"})
    assert response.status_code == 422
    assert _entries(world.issue, "status_change") == [] and world.issue.status == "open"


def test_a_stakeholders_reply_shows_who_reads_it(client, auth):
    world = make_world()
    services.add_follow_up(
        world.issue, kind="stakeholder_reply", body="Data dikirim.", author_contact=world.contact, visibility=SHARED
    )
    db.session.commit()
    auth.login(world.other)
    assert "Staf dan Disdukcapil" in client.get(f"/issues/{world.issue.id}").get_data(as_text=True)


def test_a_reminder_entry_is_written_by_the_system_and_names_its_recipient(client, auth):
    world = make_world()
    entry = add_reminder_entry(world.issue, world.contact)
    db.session.commit()
    assert entry.author_contact_id is None and entry.author_user_id is None and entry.visibility == INTERNAL
    assert entry.recipient_contact_id == world.contact.id
    auth.login(world.other)
    page = client.get(f"/issues/{world.issue.id}").get_data(as_text=True)
    assert "Pengingat dikirim kepada Rina Kusuma (Disdukcapil)" in page
    html = page[page.index(f'id="entry-{entry.id}"') :]
    assert html.index("CoordApp") < html.index("Pengingat dikirim kepada")


@pytest.fixture(params=["sqlite", "postgresql"] if os.environ.get("DATABASE_URL") else ["sqlite"])
def app_at_0005(request, tmp_path):
    """A fresh database migrated up to 0005 (before this work)."""
    if request.param == "sqlite":
        yield from _migrated(f"sqlite:///{tmp_path / 'privacy.db'}")
        return
    with postgres_schema(os.environ["DATABASE_URL"], "privacy") as url:
        yield from _migrated(url)


def _migrated(url):
    app = create_app(app_config(url), testing=True)
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="0005")
        yield app
        db.session.remove()
        db.engine.dispose()


def _insert(conn, model, **values) -> int:
    """Insert a row into the table as the database has it now (later migrations' columns left out)."""
    actual = sa.Table(model.__tablename__, sa.MetaData(), autoload_with=conn)
    for column in model.__table__.columns:
        if column.name in actual.c and column.name not in values and column.default is not None:
            arg = column.default.arg
            values[column.name] = arg(None) if callable(arg) else arg
    return conn.execute(actual.insert().values(**values)).inserted_primary_key[0]


def test_migration_0007_gives_old_reminder_entries_the_system_as_author(app_at_0005):
    with db.engine.begin() as conn:
        org = _insert(conn, Organization, name="Polres Tangerang Selatan", short_name="Polres", category="security")
        contact = _insert(conn, Contact, organization_id=org, name="Joko Polisi", email="joko@polres.example.org")
        owner = _insert(conn, User, email="rina@kpu.example.org", name="Rina Staf", role="staff", password_hash="x")
        election = _insert(conn, Election, name="Pilkada", slug="pilkada", voting_date=date(2020, 12, 9))
        issue = _insert(conn, Issue, election_id=election, title="Pengamanan gudang")
        old_way = [  # (kind, body, author contact, author user), oldest first
            ("reminder", "joko@polres.example.org: 1 kendala menunggu", contact, None),
            ("reminder", "rina@kpu.example.org: 1 kendala jatuh tempo", None, owner),
            ("stakeholder_reply", "Siap.", contact, None),
        ]
        for kind, body, by_contact, by_user in old_way:
            _insert(
                conn,
                FollowUp,
                issue_id=issue,
                kind=kind,
                body=body,
                author_contact_id=by_contact,
                author_user_id=by_user,
            )
    upgrade(directory=MIGRATIONS)
    with db.engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT kind, body, author_contact_id, author_user_id, recipient_contact_id FROM follow_ups ORDER BY id"
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("reminder", "Joko Polisi (Polres)", None, None, contact),  # the scorecard still knows who was reminded
        ("reminder", "Rina Staf", None, None, None),
        ("stakeholder_reply", "Siap.", contact, None, None),  # a real reply keeps its author
    ]
