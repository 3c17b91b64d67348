"""Publishing: meetings and issues get a public title (and meetings a public summary), who published them
and when, and a staff proposal flag. Nothing is public by default.

Revision ID: 0010
Revises: 0005
Create Date: 2026-12-02 17:00:00

"""

from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TABLES = ("meetings", "issues")


@contextmanager
def _keeping_indexes(table: str):
    """Put back the indexes SQLite's batch copy of table drops (expression indexes are not reflected)."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    query = sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t AND sql IS NOT NULL")
    before = dict(bind.execute(query, {"t": table}).all())
    yield
    after = {name for name, _sql in bind.execute(query, {"t": table}).all()}
    for name, sql in before.items():
        if name not in after and "published" not in name:
            bind.execute(sa.text(sql))


def upgrade():
    for table in TABLES:
        with _keeping_indexes(table), op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("public_title", sa.String(length=200), server_default="", nullable=False))
            if table == "meetings":
                batch_op.add_column(sa.Column("public_summary", sa.Text(), server_default="", nullable=False))
            batch_op.add_column(sa.Column("published_dt", sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column("published_by_id", sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column("publish_proposed", sa.Boolean(), server_default=sa.false(), nullable=False))
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_published_by_id_users"), "users", ["published_by_id"], ["id"]
            )
            batch_op.create_index(batch_op.f(f"ix_{table}_published_dt"), ["published_dt"], unique=False)


def downgrade():
    for table in TABLES:
        with _keeping_indexes(table), op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_published_dt"))
            batch_op.drop_constraint(batch_op.f(f"fk_{table}_published_by_id_users"), type_="foreignkey")
            batch_op.drop_column("publish_proposed")
            batch_op.drop_column("published_by_id")
            batch_op.drop_column("published_dt")
            if table == "meetings":
                batch_op.drop_column("public_summary")
            batch_op.drop_column("public_title")
