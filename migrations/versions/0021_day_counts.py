"""The charts' roll-ups: issues counted per election, stage, measure and day (coordapp.rollups.day_counts);
two indexes for a stage's issue list in created and due order.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-08 03:30:00

The upgrade counts the issues already there, so the charts read right at once.
"""

from collections import Counter
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

FIELDS = ("election_id", "stage_id", "status", "is_archived", "created_dt", "first_response_dt", "resolved_dt")


def upgrade():
    table = op.create_table(
        "issue_day_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("stage_key", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=12), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["election_id"],
            ["elections.id"],
            name=op.f("fk_issue_day_counts_election_id_elections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issue_day_counts")),
        sa.UniqueConstraint(
            "election_id",
            "stage_key",
            "measure",
            "day",
            name=op.f("uq_issue_day_counts_election_id_stage_key_measure_day"),
        ),
    )
    _count_existing(table)
    with op.batch_alter_table("issues", schema=None) as batch_op:
        batch_op.create_index(
            "ix_issues_stage_archived_created", ["stage_id", "is_archived", "created_dt", "id"], unique=False
        )
        batch_op.create_index(
            "ix_issues_stage_archived_due", ["stage_id", "is_archived", "due_date", "id"], unique=False
        )


def _count_existing(table) -> None:
    from coordapp.rollups.day_counts import issue_keys  # the same rule the app keeps them by

    bind = op.get_bind()
    zones = {i: ZoneInfo(tz or "Asia/Jakarta") for i, tz in bind.execute(sa.text("SELECT id, timezone FROM elections"))}
    issues = sa.table("issues", *[sa.column(name) for name in FIELDS])
    counts: Counter = Counter()
    for row in bind.execute(sa.select(*issues.c).where(issues.c.is_archived == sa.false())):
        values = dict(zip(FIELDS, row, strict=True))
        for name in ("created_dt", "first_response_dt", "resolved_dt"):
            values[name] = _datetime(values[name])
        counts.update(issue_keys(values, zones[values["election_id"]]))
    rows = [{"election_id": e, "stage_key": s, "measure": m, "day": d, "n": n} for (e, s, m, d), n in counts.items()]
    for start in range(0, len(rows), 1000):
        op.bulk_insert(table, rows[start : start + 1000])


def _datetime(value):
    """Read a timestamp SQLite returns as text through a plain column."""
    from datetime import datetime

    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def downgrade():
    with op.batch_alter_table("issues", schema=None) as batch_op:
        batch_op.drop_index("ix_issues_stage_archived_due")
        batch_op.drop_index("ix_issues_stage_archived_created")
    op.drop_table("issue_day_counts")
