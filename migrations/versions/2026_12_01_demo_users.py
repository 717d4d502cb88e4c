"""demo users, sign-in failures

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The demo's users as app/demo/family.yaml had them when this migration was written: a database
# that loaded the demo before the flag existed still has them, and production must refuse them.
# Name and username must both match, so a real "admin" is never taken for the demo's.
DEMO_USERS = [
    ("worker", "Sam Okafor"),
    ("manager", "Priya Shah"),
    ("support", "Gareth Evans"),
    ("chair", "Helen Brooks"),
    ("auditor", "Tom Reid"),
    ("admin", "Alex Morgan"),
]


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite has it): no copy of a table every other table points at.
    op.add_column(
        "users", sa.Column("demo", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    users = sa.table("users", sa.column("username"), sa.column("full_name"), sa.column("demo"))
    for username, full_name in DEMO_USERS:
        op.execute(
            users.update()
            .where(users.c.username == username, users.c.full_name == full_name)
            .values(demo=True)
        )
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("client", sa.String(length=100), nullable=False),
        sa.Column("account", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_failures")),
    )
    with op.batch_alter_table("sign_in_failures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_failures_at"), ["at"], unique=False)
        batch_op.create_index(
            "ix_sign_in_failures_client_account", ["client", "account", "at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sign_in_failures", schema=None) as batch_op:
        batch_op.drop_index("ix_sign_in_failures_client_account")
        batch_op.drop_index(batch_op.f("ix_sign_in_failures_at"))
    op.drop_table("sign_in_failures")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("demo")
