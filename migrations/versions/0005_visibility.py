"""Visibility: every timeline entry says who may read it besides staff; existing entries are internal.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 16:50:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("visibility", sa.String(length=10), server_default="internal", nullable=False))


def downgrade():
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_column("visibility")
