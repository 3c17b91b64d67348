"""Mail-in: staff's decision on a held message (audited), and the timeline entries that came by email.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 16:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision", sa.String(length=20), server_default="", nullable=False))
        batch_op.add_column(sa.Column("assigned_issue_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_inbound_messages_assigned_issue_id_issues"),
            "issues",
            ["assigned_issue_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "email_replies",
        sa.Column("follow_up_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("refused", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["follow_up_id"],
            ["follow_ups.id"],
            name=op.f("fk_email_replies_follow_up_id_follow_ups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["inbound_messages.id"],
            name=op.f("fk_email_replies_message_id_inbound_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("follow_up_id", name=op.f("pk_email_replies")),
    )
    with op.batch_alter_table("email_replies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_email_replies_message_id"), ["message_id"], unique=False)


def downgrade():
    with op.batch_alter_table("email_replies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_replies_message_id"))
    op.drop_table("email_replies")
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_inbound_messages_assigned_issue_id_issues"), type_="foreignkey")
        batch_op.drop_column("assigned_issue_id")
        batch_op.drop_column("decision")
