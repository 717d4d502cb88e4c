"""printouts: whom a family copy was made for, and what the worker released to them

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    # Plain ADD COLUMNs: earlier printouts were made for no one in particular and released nothing.
    op.add_column("printouts", sa.Column("recipient", sa.String(length=200), nullable=True))
    op.add_column(
        "printouts", sa.Column("released", JSON, nullable=False, server_default=sa.text("'[]'"))
    )


def downgrade() -> None:
    op.drop_column("printouts", "released")
    op.drop_column("printouts", "recipient")
