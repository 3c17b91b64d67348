"""Locking: versions on issues, meetings, organizations, contacts (and audit events); numbered minutes; form tokens.

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-02 17:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

VERSIONED = ("issues", "meetings", "organizations", "contacts")


def upgrade():
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("minutes_revisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    # Existing revisions are numbered 1, 2, 3 ... per meeting, oldest first.
    op.execute(
        "UPDATE minutes_revisions SET version = (SELECT count(*) FROM minutes_revisions AS earlier "
        "WHERE earlier.meeting_id = minutes_revisions.meeting_id AND earlier.id <= minutes_revisions.id)"
    )
    with op.batch_alter_table("minutes_revisions", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_minutes_revisions_meeting_id_version", ["meeting_id", "version"])
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("entity_version", sa.Integer(), nullable=True))
    op.create_table(
        "form_submissions",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("result_url", sa.String(length=500), server_default="", nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_form_submissions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_form_submissions")),
    )
    with op.batch_alter_table("form_submissions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_form_submissions_created_dt"), ["created_dt"], unique=False)


def downgrade():
    with op.batch_alter_table("form_submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_submissions_created_dt"))
    op.drop_table("form_submissions")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("entity_version")
    with op.batch_alter_table("minutes_revisions", schema=None) as batch_op:
        batch_op.drop_constraint("uq_minutes_revisions_meeting_id_version", type_="unique")
        batch_op.drop_column("version")
    for table in reversed(VERSIONED):
        # A plain DROP COLUMN (SQLite 3.35+): a batch copy of issues would lose its expression indexes.
        op.drop_column(table, "version")
