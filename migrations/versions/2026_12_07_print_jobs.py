"""print jobs: prints made by print workers off the request, the queue kept in the database

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 13:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import app.db

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "print_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("request", JSON, nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("retry_of_id", sa.Integer(), nullable=True),
        sa.Column("printout_id", sa.Integer(), nullable=True),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_print_jobs_record_id_records")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_print_jobs_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_print_jobs_requested_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["retry_of_id"], ["print_jobs.id"], name=op.f("fk_print_jobs_retry_of_id_print_jobs")
        ),
        sa.ForeignKeyConstraint(
            ["printout_id"], ["printouts.id"], name=op.f("fk_print_jobs_printout_id_printouts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_print_jobs")),
    )
    op.create_index(op.f("ix_print_jobs_record_id"), "print_jobs", ["record_id"], unique=False)
    op.create_index(op.f("ix_print_jobs_state"), "print_jobs", ["state"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_print_jobs_state"), table_name="print_jobs")
    op.drop_index(op.f("ix_print_jobs_record_id"), table_name="print_jobs")
    op.drop_table("print_jobs")
