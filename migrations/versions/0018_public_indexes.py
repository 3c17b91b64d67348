"""Public portal: indexes for the published issues and meetings (stage lists, newest publications, medians).

The median indexes are on the duration expression each database spells its own way
(julianday on SQLite, epoch seconds on PostgreSQL; coordapp/core/sql.duration_key), as in 0003.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 16:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

DURATIONS = {  # coordapp.core.sql.duration_key as each database spells it
    "sqlite": "(julianday(resolved_dt) - julianday(created_dt))",
    "postgresql": "EXTRACT(epoch FROM resolved_dt - created_dt)",
}
PLAIN = {
    "issues": {
        "ix_issues_public_stage_created": ["stage_id", "is_public", "is_archived", "created_dt", "id"],
        "ix_issues_public_published": ["election_id", "is_public", "is_archived", "published_dt", "id"],
    },
    "meetings": {
        "ix_meetings_public_stage_start": ["stage_id", "is_public", "is_archived", "start_dt", "id"],
        "ix_meetings_public_published": ["election_id", "is_public", "is_archived", "published_dt", "id"],
    },
}


def _median_indexes():
    """Yield (name, columns) of the expression indexes for the current database."""
    dialect = op.get_bind().dialect.name
    if dialect not in DURATIONS:
        return
    key = sa.text(DURATIONS[dialect])
    end = [key, "created_dt", "resolved_dt", "status"]
    yield "ix_issues_public_resolution_by_stage", ["election_id", "is_public", "is_archived", "stage_id", *end]
    yield "ix_issues_public_resolution", ["election_id", "is_public", "is_archived", *end]


def upgrade():
    for table, indexes in PLAIN.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, columns in indexes.items():
                batch_op.create_index(name, columns, unique=False)
    for name, columns in _median_indexes():
        op.create_index(name, "issues", columns, unique=False)


def downgrade():
    for name, _ in _median_indexes():
        op.drop_index(name, table_name="issues")
    for table, indexes in PLAIN.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in indexes:
                batch_op.drop_index(name)
