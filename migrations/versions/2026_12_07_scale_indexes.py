"""scale: the nearest names walked in order, and the indexes flat pages need

Revision ID: 0025
Revises: 0018
Create Date: 2026-12-07 13:00:00.000000

A wide search (an auditor's: every case) asks for the names nearest to what was typed and stops
after a few hundred visible people (people/search.py). A GiST trigram index hands names over
nearest first (`<<->`, word distance); the GIN index of 0009 can only say which names are alike,
all of them, to be sorted afterwards. And the sounds of a name's words (metaphone codes, "KR
WLX") are indexed as words, so "every word sounds alike" is one GIN lookup a sound. PostgreSQL
only: SQLite searches its FTS5 table.

On both: users by team (the manager's team page and allocation read a team's workers), which
was a scan of every user in the council (pg_stat_user_tables after bench/scale.py's pages).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0025"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEAREST = "ix_people_search_name_gist"
SOUNDS = "ix_people_name_sounds_words"


def upgrade() -> None:
    op.create_index(op.f("ix_users_team_id"), "users", ["team_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX {NEAREST} ON people USING gist (search_name gist_trgm_ops)")
        op.execute(
            f"CREATE INDEX {SOUNDS} ON people "
            "USING gin (to_tsvector('simple'::regconfig, name_sounds))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {SOUNDS}")
        op.execute(f"DROP INDEX IF EXISTS {NEAREST}")
    op.drop_index(op.f("ix_users_team_id"), table_name="users")
