"""people found by name in the database's own text index

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 18:00:00.000000

Each person keeps a folded name and the sounds of its words (people/names.py). PostgreSQL
indexes both with pg_trgm (GIN, trigram operators); SQLite keeps an FTS5 table with the trigram
tokenizer, in step with `people` through triggers. A later migration that rebuilds `people` on
SQLite (batch mode copies the table) drops those triggers and must make them again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.people.names import search_name, sounds

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = "search_name, name_sounds"
ADD = "INSERT INTO people_names (rowid, search_name, name_sounds) VALUES (new.id, new.search_name, new.name_sounds)"
REMOVE = (
    "INSERT INTO people_names (people_names, rowid, search_name, name_sounds) "
    "VALUES ('delete', old.id, old.search_name, old.name_sounds)"
)
TRIGGERS = {
    "people_names_insert": f"AFTER INSERT ON people BEGIN {ADD}; END",
    "people_names_delete": f"AFTER DELETE ON people BEGIN {REMOVE}; END",
    "people_names_update": f"AFTER UPDATE OF {COLUMNS} ON people BEGIN {REMOVE}; {ADD}; END",
}


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(
            sa.Column("search_name", sa.String(700), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("name_sounds", sa.String(400), nullable=False, server_default="")
        )
    _fill()
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name in ("search_name", "name_sounds"):
            op.execute(
                f"CREATE INDEX ix_people_{name}_trgm ON people USING gin ({name} gin_trgm_ops)"
            )
        return
    op.execute(
        f"CREATE VIRTUAL TABLE people_names USING fts5({COLUMNS}, content='people', "
        "content_rowid='id', tokenize='trigram')"
    )
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute("INSERT INTO people_names (people_names) VALUES ('rebuild')")


def _fill() -> None:
    """Every person's folded name and sounds, as the app keeps them from now on."""
    people = sa.table(
        "people",
        sa.column("id"),
        sa.column("given_names"),
        sa.column("family_name"),
        sa.column("known_as"),
        sa.column("search_name"),
        sa.column("name_sounds"),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(people.c.id, people.c.given_names, people.c.family_name, people.c.known_as)
    )
    for person_id, given, family, known in rows.all():
        folded = search_name(given, family, known)
        bind.execute(
            people.update()
            .where(people.c.id == person_id)
            .values(search_name=folded, name_sounds=sounds(folded))
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in ("search_name", "name_sounds"):
            op.execute(f"DROP INDEX IF EXISTS ix_people_{name}_trgm")
    else:
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS people_names")
    for name in ("name_sounds", "search_name"):  # SQLite 3.35+ drops a column in place
        op.execute(f"ALTER TABLE people DROP COLUMN {name}")
