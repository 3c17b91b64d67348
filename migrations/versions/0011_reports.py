"""Reports: accountability reports in versions (text, frozen figures, PDF), budget lines, channel log.

The report keeps its id, stage, title and first publication; its text and figures move to its versions.

Revision ID: 0011
Revises: 0005
Create Date: 2026-12-02 17:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("accountability_reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_accountability_reports_created_by_id_users"), "users", ["created_by_id"], ["id"]
        )
        batch_op.drop_column("body")
        batch_op.drop_column("metrics")

    op.create_table(
        "report_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("change_note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("registered_voters", sa.BigInteger(), nullable=True),
        sa.Column("voters_turnout", sa.BigInteger(), nullable=True),
        sa.Column("previous_registered_voters", sa.BigInteger(), nullable=True),
        sa.Column("previous_turnout", sa.BigInteger(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("submitted_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("published_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=True),
        sa.Column("pdf_size", sa.Integer(), nullable=True),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["accountability_reports.id"],
            name=op.f("fk_report_versions_report_id_accountability_reports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_report_versions_author_id_users")),
        sa.ForeignKeyConstraint(["approved_by_id"], ["users.id"], name=op.f("fk_report_versions_approved_by_id_users")),
        sa.ForeignKeyConstraint(
            ["published_by_id"], ["users.id"], name=op.f("fk_report_versions_published_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_versions")),
        sa.UniqueConstraint("report_id", "number", name=op.f("uq_report_versions_report_id_number")),
    )
    with op.batch_alter_table("report_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_versions_report_id"), ["report_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_report_versions_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_report_versions_published_dt"), ["published_dt"], unique=False)

    op.create_table(
        "budget_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("account_code", sa.String(length=40), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=True),
        sa.Column("allocated", sa.BigInteger(), nullable=False),
        sa.Column("realised", sa.BigInteger(), nullable=False),
        sa.Column("variance_note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["report_versions.id"],
            name=op.f("fk_budget_lines_version_id_report_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["stage_id"], ["stages.id"], name=op.f("fk_budget_lines_stage_id_stages")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_lines")),
    )
    with op.batch_alter_table("budget_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_lines_version_id"), ["version_id"], unique=False)

    op.create_table(
        "channel_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("posted_date", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["accountability_reports.id"],
            name=op.f("fk_channel_posts_report_id_accountability_reports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], name=op.f("fk_channel_posts_recorded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_posts")),
    )
    with op.batch_alter_table("channel_posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_channel_posts_report_id"), ["report_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_channel_posts_channel"), ["channel"], unique=False)


def downgrade():
    op.drop_table("channel_posts")
    op.drop_table("budget_lines")
    op.drop_table("report_versions")
    with op.batch_alter_table("accountability_reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("metrics", sa.JSON(), server_default="{}", nullable=False))
        batch_op.add_column(sa.Column("body", sa.Text(), server_default="", nullable=False))
        batch_op.drop_constraint(batch_op.f("fk_accountability_reports_created_by_id_users"), type_="foreignkey")
        batch_op.drop_column("created_by_id")
