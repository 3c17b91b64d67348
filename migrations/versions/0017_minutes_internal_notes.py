"""Minutes: a revision's internal notes, kept apart from the shared text (never sent or published).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 15:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("minutes_revisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("internal_notes", sa.Text(), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("minutes_revisions", schema=None) as batch_op:
        batch_op.drop_column("internal_notes")
