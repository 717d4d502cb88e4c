"""printout replies: what a family said back about a printout, and what came of a correction

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 12:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "printout_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("printout_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("from_whom", sa.String(length=200), nullable=False),
        sa.Column("received_by", sa.String(length=20), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["printout_id"],
            ["printouts.id"],
            name=op.f("fk_printout_replies_printout_id_printouts"),
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_printout_replies_record_id_records")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_printout_replies_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_printout_replies_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_printout_replies")),
    )
    for column in ("printout_id", "record_id", "case_id"):
        op.create_index(
            op.f(f"ix_printout_replies_{column}"), "printout_replies", [column], unique=False
        )
    op.create_table(
        "reply_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reply_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("record_version", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["reply_id"],
            ["printout_replies.id"],
            name=op.f("fk_reply_outcomes_reply_id_printout_replies"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_reply_outcomes_decided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reply_outcomes")),
    )
    op.create_index(
        op.f("ix_reply_outcomes_reply_id"), "reply_outcomes", ["reply_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_reply_outcomes_reply_id"), table_name="reply_outcomes")
    op.drop_table("reply_outcomes")
    for column in ("printout_id", "record_id", "case_id"):
        op.drop_index(op.f(f"ix_printout_replies_{column}"), table_name="printout_replies")
    op.drop_table("printout_replies")
