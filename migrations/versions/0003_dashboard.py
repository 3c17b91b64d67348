"""Dashboard: saved filters, accountability reports, and the issue indexes of the board and scorecard.

The median indexes are on a duration expression that each database spells its own way
(julianday on SQLite, epoch seconds on PostgreSQL; coordapp/dashboard/sql.duration_key).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 13:26:25.861222

"""

import sqlalchemy as sa
from alembic import op

DURATIONS = {  # coordapp.dashboard.sql.duration_key as each database spells it
    "sqlite": "(julianday({end}) - julianday(created_dt))",
    "postgresql": "EXTRACT(epoch FROM {end} - created_dt)",
}
ENDS = {"response": "first_response_dt", "resolution": "resolved_dt"}


def _median_indexes():
    """Yield (name, columns) of the expression indexes for the current database."""
    dialect = op.get_bind().dialect.name
    if dialect not in DURATIONS:
        return
    for name, end in ENDS.items():
        key = sa.text(DURATIONS[dialect].format(end=end))
        yield f"ix_issues_{name}_by_stage", ["election_id", "is_archived", "stage_id", key, "created_dt", end]
        yield f"ix_issues_{name}", ["election_id", "is_archived", key, "created_dt", end]


# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "saved_filters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("is_shared", sa.Boolean(), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_saved_filters_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_filters")),
        sa.UniqueConstraint("user_id", "name", name=op.f("uq_saved_filters_user_id_name")),
    )
    with op.batch_alter_table("saved_filters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_saved_filters_is_shared"), ["is_shared"], unique=False)
        batch_op.create_index(batch_op.f("ix_saved_filters_user_id"), ["user_id"], unique=False)

    op.create_table(
        "accountability_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("published_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["election_id"],
            ["elections.id"],
            name=op.f("fk_accountability_reports_election_id_elections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"], ["users.id"], name=op.f("fk_accountability_reports_published_by_id_users")
        ),
        sa.ForeignKeyConstraint(["stage_id"], ["stages.id"], name=op.f("fk_accountability_reports_stage_id_stages")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accountability_reports")),
    )
    with op.batch_alter_table("accountability_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_accountability_reports_election_id"), ["election_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_accountability_reports_published_dt"), ["published_dt"], unique=False)
        batch_op.create_index(batch_op.f("ix_accountability_reports_stage_id"), ["stage_id"], unique=False)

    with op.batch_alter_table("issues", schema=None) as batch_op:
        batch_op.create_index(
            "ix_issues_board",
            [
                "election_id",
                "is_archived",
                "stage_id",
                "status",
                "priority",
                "due_date",
                "created_dt",
                "first_response_dt",
                "resolved_dt",
                "is_public",
            ],
            unique=False,
        )
    with op.batch_alter_table("issues", schema=None) as batch_op:
        batch_op.create_index(
            "ix_issues_stage_created", ["election_id", "is_archived", "stage_id", "created_dt", "id"], unique=False
        )
    for name, columns in _median_indexes():
        op.create_index(name, "issues", columns, unique=False)
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.create_index(
            "ix_follow_ups_kind_contact", ["kind", "author_contact_id", "issue_id", "created_dt"], unique=False
        )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_meetings_board", ["election_id", "is_archived", "stage_id", "start_dt", "is_public"], unique=False
        )


def downgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_meetings_board")
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_ups_kind_contact")
    for name, _ in _median_indexes():
        op.drop_index(name, table_name="issues")
    with op.batch_alter_table("issues", schema=None) as batch_op:
        batch_op.drop_index("ix_issues_stage_created")
    with op.batch_alter_table("issues", schema=None) as batch_op:
        batch_op.drop_index("ix_issues_board")

    with op.batch_alter_table("accountability_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accountability_reports_stage_id"))
        batch_op.drop_index(batch_op.f("ix_accountability_reports_published_dt"))
        batch_op.drop_index(batch_op.f("ix_accountability_reports_election_id"))

    op.drop_table("accountability_reports")
    with op.batch_alter_table("saved_filters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saved_filters_user_id"))
        batch_op.drop_index(batch_op.f("ix_saved_filters_is_shared"))

    op.drop_table("saved_filters")
