"""Organizations have a website (optional; the public portal links to it).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 17:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("website", sa.String(length=300), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_column("website")
