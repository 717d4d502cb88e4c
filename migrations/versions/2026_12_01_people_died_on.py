"""people: date of death, for the family diagram

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 17:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN of a nullable date: SQLite needs no table copy for it.
    op.add_column("people", sa.Column("died_on", sa.Date(), nullable=True))


def downgrade() -> None:
    # A plain DROP COLUMN too (SQLite 3.35+): copying `people` would break every key pointing at it.
    op.drop_column("people", "died_on")
