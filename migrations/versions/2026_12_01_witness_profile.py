"""users: the witness's profile for court statements

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 18:40:00.000000

A court statement names its witness with their role, employer, work address, qualifications and
Social Work England registration number; these were nowhere in the record.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("job_title", sa.String(200)),
    ("employer", sa.String(200)),
    ("work_address", sa.Text()),
    ("qualifications", sa.Text()),
    ("registration_number", sa.String(20)),
)


def upgrade() -> None:
    # Plain ADD COLUMNs of nullable values: SQLite needs no table copy for them.
    for name, kind in COLUMNS:
        op.add_column("users", sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMNs too (SQLite 3.35+): copying `users` would break every key pointing at it.
    for name, _ in reversed(COLUMNS):
        op.drop_column("users", name)
