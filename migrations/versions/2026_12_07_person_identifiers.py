"""people: NHS number, UPN, former UPN, why the UPN is unknown, and the council's child id

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-07 12:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("nhs_number", 10),
    ("upn", 13),
    ("former_upn", 13),
    ("upn_unknown_reason", 3),
    ("local_child_id", 20),
)
INDEXED = ("nhs_number", "upn", "local_child_id")


def upgrade() -> None:
    # Plain ADD COLUMNs of nullable strings: SQLite needs no copy of `people`, whose id many keys name.
    for name, length in COLUMNS:
        op.add_column("people", sa.Column(name, sa.String(length=length), nullable=True))
    for name in INDEXED:
        op.create_index(op.f(f"ix_people_{name}"), "people", [name], unique=False)


def downgrade() -> None:
    for name in INDEXED:
        op.drop_index(op.f(f"ix_people_{name}"), table_name="people")
    for name, _ in reversed(COLUMNS):
        op.drop_column("people", name)
