"""Upgrades keep the data: the demo, taken down to the oldest supported revision, comes back whole at head.

Runs on SQLite, and on PostgreSQL (a schema of its own) when DATABASE_URL is set.
"""

import os

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from coordapp import create_app
from coordapp.core import backup
from coordapp.extensions import db
from coordapp.issues.models import Issue
from coordapp.meetings.models import Meeting
from coordapp.stakeholders.models import Organization
from tests import factories
from tests.conftest import FreshContextClient, app_config, postgres_schema

OLDEST_SUPPORTED = "0001"
MIGRATIONS = str(backup.MIGRATIONS)
KEPT = (
    *("elections", "stages", "organizations", "contacts", "users", "audit_events"),
    *("meetings", "meeting_attendees", "meeting_organizations", "minutes_revisions"),
    *("issues", "issue_contacts", "issue_organizations", "follow_ups"),
)


@pytest.fixture(params=["sqlite", "postgresql"] if os.environ.get("DATABASE_URL") else ["sqlite"])
def demo_app(request, tmp_path):
    """An app on a migrated database holding the demo and a staff login."""

    def build(url):
        app = create_app(app_config(url), testing=True)
        app.test_client_class = FreshContextClient
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            result = app.test_cli_runner().invoke(args=["seed-demo"])
            assert result.exit_code == 0, result.output
            factories.make_user("staff", email="upgrade.staff@example.org")
            db.session.commit()
            yield app
            db.session.remove()
            db.engine.dispose()

    if request.param == "sqlite":
        yield from build(f"sqlite:///{tmp_path / 'upgrade.db'}")
        return
    with postgres_schema(os.environ["DATABASE_URL"], "upg") as url:
        yield from build(url)


def _counts() -> dict[str, int]:
    counts = backup.table_counts(db.session.connection())
    db.session.remove()  # end the read: PostgreSQL's migrations wait for its locks otherwise
    return {table: n for table, n in counts.items() if table in KEPT}


def _titles() -> set[str]:
    titles = set(db.session.execute(db.select(Issue.title)).scalars())
    db.session.remove()
    return titles


def _revision() -> str:
    revision = db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    db.session.remove()
    return revision


def _every_page_opens(app) -> None:
    client = app.test_client()
    client.post("/auth/login", data={"email": "upgrade.staff@example.org", "password": factories.PASSWORD})
    for model, prefix in ((Issue, "/issues"), (Meeting, "/meetings"), (Organization, "/stakeholders")):
        rows = db.session.execute(db.select(model.id)).scalars().all()
        assert rows
        for row_id in rows:
            response = client.get(f"{prefix}/{row_id}")
            assert response.status_code == 200, f"{prefix}/{row_id}: {response.status_code}"


def test_the_demo_survives_downgrade_to_the_oldest_revision_and_upgrade_to_head(demo_app):
    before = _counts()
    titles = _titles()
    downgrade(directory=MIGRATIONS, revision=OLDEST_SUPPORTED)
    assert _revision() == OLDEST_SUPPORTED
    upgrade(directory=MIGRATIONS)
    assert _revision() == backup.head_revision()
    assert _counts() == before
    assert before["follow_ups"] > 0 and before["minutes_revisions"] > 0
    assert _titles() == titles
    _every_page_opens(demo_app)


def test_the_latest_migration_round_trips_with_data(demo_app):
    before = _counts()
    downgrade(directory=MIGRATIONS, revision="-1")
    assert _revision() != backup.head_revision()
    upgrade(directory=MIGRATIONS)
    assert _revision() == backup.head_revision()
    assert _counts() == before
