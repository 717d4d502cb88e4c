"""sections the worker has marked complete

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN with a default: existing records have no section marked yet.
    op.add_column(
        "records",
        sa.Column(
            "completed_sections", app.db.JSONType, nullable=False, server_default=sa.text("'[]'")
        ),
    )


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite has it since 3.35): a batch copy of `records` would break the
    # tables that point at it.
    op.drop_column("records", "completed_sections")
