"""Organizations get name_key, their name folded (Unicode case folding, NFKC, single spaces), unique.

SQLite's lower() folds ASCII only, so "Örmas Ujicoba" imported twice was a second insert (500) and
"örmas ujicoba" a near-duplicate. Existing rows get their key here; when two existing names fold to
the same key, the later one's key gets " #<id>" so the unique index can be built (rename one of them).

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-02 17:20:00

"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _fold(name: str) -> str:
    # The same rule as coordapp.core.validation.fold_key, copied: a migration must not change with the code.
    return " ".join(unicodedata.normalize("NFKC", name or "").casefold().split())


def upgrade():
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_key", sa.String(length=200), nullable=True))
    organizations = sa.table("organizations", sa.column("id", sa.Integer), sa.column("name", sa.String))
    keyed = sa.table("organizations", sa.column("id", sa.Integer), sa.column("name_key", sa.String))
    connection = op.get_bind()
    taken = set()
    for org_id, name in connection.execute(sa.select(organizations.c.id, organizations.c.name).order_by("id")):
        key = _fold(name)[:200]
        if key in taken:
            key = f"{key[:180]} #{org_id}"
        taken.add(key)
        connection.execute(sa.update(keyed).where(keyed.c.id == org_id).values(name_key=key))
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.alter_column("name_key", existing_type=sa.String(length=200), nullable=False)
        batch_op.create_index(batch_op.f("ix_organizations_name_key"), ["name_key"], unique=True)


def downgrade():
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organizations_name_key"))
        batch_op.drop_column("name_key")
