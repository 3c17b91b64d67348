"""Board: an index to find each stage's oldest unresolved issue without scanning the election's issues.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 16:55:00

"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("issues", schema=None) as batch_op:
        batch_op.create_index(
            "ix_issues_open_age", ["election_id", "is_archived", "stage_id", "status", "created_dt"], unique=False
        )


def downgrade():
    with op.batch_alter_table("issues", schema=None) as batch_op:
        batch_op.drop_index("ix_issues_open_age")
