"""chronology marks: the significance a worker gives each chronology entry, kept as history

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chronology_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("record_version", sa.Integer(), nullable=False),
        sa.Column("significance", sa.String(length=20), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_chronology_marks_record_id_records")
        ),
        sa.ForeignKeyConstraint(
            ["set_by_id"], ["users.id"], name=op.f("fk_chronology_marks_set_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chronology_marks")),
    )
    with op.batch_alter_table("chronology_marks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_chronology_marks_record_id"), ["record_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("chronology_marks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chronology_marks_record_id"))
    op.drop_table("chronology_marks")
