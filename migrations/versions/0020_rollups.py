"""Issue roll-ups: per-group counts of each election's live issues (the stage board reads them), filled from the issues.

The group key reads the nullable stage and owner as 0, so a group without either is one row too
(coordapp/rollups/models.py). An index for the board's overdue count comes with it.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-08 03:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

GROUP = "election_id, stage_id, status, priority, owner_id"


def upgrade():
    op.create_table(
        "issue_rollups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("n", sa.Integer(), server_default="0", nullable=False),
        sa.Column("responded", sa.Integer(), server_default="0", nullable=False),
        sa.Column("resolved", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["election_id"], ["elections.id"], name=op.f("fk_issue_rollups_election_id_elections"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_issue_rollups_owner_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["stage_id"], ["stages.id"], name=op.f("fk_issue_rollups_stage_id_stages"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issue_rollups")),
    )
    op.create_index(
        "ux_issue_rollups_group",
        "issue_rollups",
        [
            "election_id",
            sa.text("coalesce(stage_id, 0)"),
            "status",
            "priority",
            sa.text("coalesce(owner_id, 0)"),
        ],
        unique=True,
    )
    op.create_index(
        "ix_issue_rollups_board",
        "issue_rollups",
        ["election_id", "stage_id", "status", "priority", "n", "responded", "resolved"],
        unique=False,
    )
    with op.batch_alter_table("issues", schema=None) as batch_op:
        batch_op.create_index(
            "ix_issues_overdue", ["election_id", "is_archived", "status", "due_date", "stage_id"], unique=False
        )
    op.execute(
        f"INSERT INTO issue_rollups ({GROUP}, n, responded, resolved) "
        f"SELECT {GROUP}, count(*), count(first_response_dt), count(resolved_dt) FROM issues "
        f"WHERE is_archived = {'false' if op.get_bind().dialect.name == 'postgresql' else '0'} GROUP BY {GROUP}"
    )


def downgrade():
    with op.batch_alter_table("issues", schema=None) as batch_op:
        batch_op.drop_index("ix_issues_overdue")
    op.drop_index("ix_issue_rollups_board", table_name="issue_rollups")
    op.drop_index("ux_issue_rollups_group", table_name="issue_rollups")
    op.drop_table("issue_rollups")
