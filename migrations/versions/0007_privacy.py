"""Privacy: revocable reply links, opaque unsubscribe tokens, reminder entries written by the system.

Reply tokens get ``revoked_dt`` and contacts ``links_revoked_dt`` (when staff last withdrew their
links, kept on the audited contact). Unsubscribe links become random tokens stored hashed, with an
expiry. "Reminder sent" entries that carried their recipient as author (so they read as if the
stakeholder had written them, and the visibility rule treated them as the organisation's own words)
lose that author: the contact moves to ``recipient_contact_id`` (the scorecard counts who was
reminded from it) and the body becomes the recipient's name and organisation.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-02 17:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

RECIPIENT_OF_CONTACT = sa.text(
    "UPDATE follow_ups SET body = ("
    " SELECT contacts.name || ' (' || COALESCE(NULLIF(organizations.short_name, ''), organizations.name) || ')'"
    " FROM contacts JOIN organizations ON organizations.id = contacts.organization_id"
    " WHERE contacts.id = follow_ups.author_contact_id),"
    " recipient_contact_id = author_contact_id,"
    " author_contact_id = NULL"
    " WHERE kind = 'reminder' AND author_contact_id IS NOT NULL"
)
RECIPIENT_OF_USER = sa.text(
    "UPDATE follow_ups SET body = (SELECT users.name FROM users WHERE users.id = follow_ups.author_user_id),"
    " author_user_id = NULL"
    " WHERE kind = 'reminder' AND author_user_id IS NOT NULL"
)


def upgrade():
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recipient_contact_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_follow_ups_recipient_contact_id_contacts"), "contacts", ["recipient_contact_id"], ["id"]
        )
        batch_op.create_index(
            "ix_follow_ups_kind_recipient",
            ["kind", "recipient_contact_id", "author_contact_id", "issue_id", "created_dt"],
            unique=False,
        )
    with op.batch_alter_table("reply_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revoked_dt", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("links_revoked_dt", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "unsubscribe_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_unsubscribe_tokens_contact_id_contacts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unsubscribe_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_unsubscribe_tokens_token_hash")),
    )
    with op.batch_alter_table("unsubscribe_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unsubscribe_tokens_contact_id"), ["contact_id"], unique=False)
    op.execute(RECIPIENT_OF_CONTACT)
    op.execute(RECIPIENT_OF_USER)


def downgrade():
    # The reminder entries keep their system author: who received them stays in their body.
    with op.batch_alter_table("unsubscribe_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unsubscribe_tokens_contact_id"))
    op.drop_table("unsubscribe_tokens")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("links_revoked_dt")
    with op.batch_alter_table("reply_tokens", schema=None) as batch_op:
        batch_op.drop_column("revoked_dt")
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_ups_kind_recipient")
        batch_op.drop_constraint(batch_op.f("fk_follow_ups_recipient_contact_id_contacts"), type_="foreignkey")
        batch_op.drop_column("recipient_contact_id")
