"""printouts: court statements compiled from several records, and what a reprint keeps

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 21:00:00.000000

A statement about the child is made from the finalised records the worker picks, so a printout
may name a case and a list of record versions instead of one record. And a statement is signed
when it is printed: the witness as they were then, its number and date, are kept with it, so a
reprint after the worker edits their profile is the same bytes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A compiled statement has no one record (record_id and its version are optional since
    # 0016, for meeting letters): it names its case (a table copy on SQLite; env.py turns
    # foreign keys off for it and checks them after).
    with op.batch_alter_table("printouts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("case_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("sources", app.db.JSONType, nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.add_column(sa.Column("frozen", app.db.JSONType, nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_printouts_case_id_cases"), "cases", ["case_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_printouts_case_id"), ["case_id"], unique=False)
    with op.batch_alter_table("printouts", schema=None) as batch_op:
        batch_op.alter_column("sources", server_default=None)


def downgrade() -> None:
    op.execute(
        "DELETE FROM printout_deliveries WHERE printout_id IN "
        "(SELECT id FROM printouts WHERE case_id IS NOT NULL)"
    )
    op.execute("DELETE FROM printouts WHERE case_id IS NOT NULL")
    with op.batch_alter_table("printouts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_printouts_case_id"))
        batch_op.drop_constraint(batch_op.f("fk_printouts_case_id_cases"), type_="foreignkey")
        batch_op.drop_column("frozen")
        batch_op.drop_column("sources")
        batch_op.drop_column("case_id")
