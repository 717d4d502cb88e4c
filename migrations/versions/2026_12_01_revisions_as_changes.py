"""revisions keep what they changed, not a copy of every answer

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

Each revision used to hold the whole answer set after it, so ten saves of a 10 MB narrative
stored 110 MB. Now a revision holds the answers it set and the ones it removed; replaying them in
order gives the set after any revision. Existing revisions are rewritten the same way.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REVISIONS = sa.table(
    "record_revisions",
    sa.column("id", sa.Integer()),
    sa.column("record_id", sa.Integer()),
    sa.column("number", sa.Integer()),
    sa.column("answers", app.db.JSONType),
    sa.column("removed", app.db.JSONType),
)


def upgrade() -> None:
    # ADD COLUMN with a default, not a batch copy of the table, on SQLite as on PostgreSQL.
    op.add_column(
        "record_revisions",
        sa.Column("removed", app.db.JSONType, nullable=False, server_default=sa.text("'[]'")),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(REVISIONS.c.id, REVISIONS.c.record_id, REVISIONS.c.answers).order_by(
            REVISIONS.c.record_id, REVISIONS.c.number
        )
    ).all()
    before: dict[int, dict[str, Any]] = {}
    for row_id, record_id, answers in rows:
        previous = before.get(record_id, {})
        changes = {k: v for k, v in (answers or {}).items() if previous.get(k) != v}
        removed = sorted(set(previous) - set(answers or {}))
        bind.execute(
            REVISIONS.update()
            .where(REVISIONS.c.id == row_id)
            .values(answers=changes, removed=removed)
        )
        before[record_id] = answers or {}


def downgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            REVISIONS.c.id, REVISIONS.c.record_id, REVISIONS.c.answers, REVISIONS.c.removed
        ).order_by(REVISIONS.c.record_id, REVISIONS.c.number)
    ).all()
    state: dict[int, dict[str, Any]] = {}
    for row_id, record_id, answers, removed in rows:
        whole = {**state.get(record_id, {}), **(answers or {})}
        for key in removed or []:
            whole.pop(key, None)
        bind.execute(REVISIONS.update().where(REVISIONS.c.id == row_id).values(answers=whole))
        state[record_id] = whole
    with op.batch_alter_table("record_revisions") as batch:
        batch.drop_column("removed")
