"""Inbox: notifications, issue watchers, and each user's email preference for them.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-08 00:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("email_notifications", sa.String(length=10), server_default="immediate", nullable=False)
        )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=True),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("commitment_id", sa.Integer(), nullable=True),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=300), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("event_key", sa.String(length=80), nullable=True),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("digest_delivery_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_user_id"], ["users.id"], name=op.f("fk_notifications_actor_user_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_notifications_commitment_id_commitments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["digest_delivery_id"],
            ["reminder_deliveries.id"],
            name=op.f("fk_notifications_digest_delivery_id_reminder_deliveries"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["follow_ups.id"], name=op.f("fk_notifications_entry_id_follow_ups"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["issue_id"], ["issues.id"], name=op.f("fk_notifications_issue_id_issues"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notifications_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("user_id", "event_key", name=op.f("uq_notifications_user_id_event_key")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index("ix_notifications_user_read", ["user_id", "read_dt"], unique=False)
        batch_op.create_index("ix_notifications_user_created", ["user_id", "created_dt"], unique=False)
        batch_op.create_index(batch_op.f("ix_notifications_issue_id"), ["issue_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notifications_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notifications_commitment_id"), ["commitment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notifications_digest_delivery_id"), ["digest_delivery_id"], unique=False)
    op.create_table(
        "issue_watches",
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("is_watching", sa.Boolean(), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["issue_id"], ["issues.id"], name=op.f("fk_issue_watches_issue_id_issues"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_issue_watches_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("issue_id", "user_id", name=op.f("pk_issue_watches")),
    )
    with op.batch_alter_table("issue_watches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issue_watches_user_id"), ["user_id"], unique=False)


def downgrade():
    op.drop_table("issue_watches")
    op.drop_table("notifications")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("email_notifications")
