"""search: drop the trigram indexes over whole names that no query reads any more

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 17:00:00.000000

Since 0025 a wide name search finds the words like each word typed in `name_words` (its own
trigram index) and then people by those words (GIN over names as words); nothing compares a
typed name with `people.search_name` or `people.name_sounds` by trigrams. Their GIN indexes
(0009) were read by no query at 100,000 children (`pg_stat_user_indexes`: 0 scans after every
page and search of bench/scale.py) and cost every new or renamed person two index updates.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("search_name", "name_sounds")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in COLUMNS:
            op.execute(f"DROP INDEX IF EXISTS ix_people_{name}_trgm")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in COLUMNS:
            op.execute(
                f"CREATE INDEX ix_people_{name}_trgm ON people USING gin ({name} gin_trgm_ops)"
            )
