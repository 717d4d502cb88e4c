"""scale: the words of people's names, their sounds as words, and users by team

Revision ID: 0025
Revises: 0023
Create Date: 2026-12-07 13:00:00.000000

A wide search (an auditor's: every case) must not compare what was typed with every person. On
PostgreSQL the words of everyone's folded names are kept once each in `name_words` (a trigger on
`people` adds new ones; a word is never removed, a word no one has any more finds no one), a
small table where a trigram index finds the words like each word typed; people are then found
by those words (GIN over the name as words), and by the sounds of their words (GIN over the
sounds as words, "KR WLX"), one index lookup a word. A GiST trigram index walking 140,000 names
nearest first took 90 ms before the first row: its signatures are too coarse for short names.
SQLite searches its FTS5 table (0009).

On both: users by team (the manager's team page and allocation read a team's workers), which
was a scan of every user in the council (pg_stat_user_tables after bench/scale.py's pages).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0025"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ADD_WORDS = """
CREATE FUNCTION people_name_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO name_words (word)
    SELECT DISTINCT w FROM unnest(string_to_array(NEW.search_name, ' ')) AS w WHERE w <> ''
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$
"""
INDEXES = {
    "ix_name_words_word_trgm": "name_words USING gin (word gin_trgm_ops)",
    "ix_people_search_name_words": "people USING gin (to_tsvector('simple'::regconfig, search_name))",
    "ix_people_name_sounds_words": "people USING gin (to_tsvector('simple'::regconfig, name_sounds))",
}


def upgrade() -> None:
    op.create_index(op.f("ix_users_team_id"), "users", ["team_id"], unique=False)
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE TABLE name_words (word varchar(700) PRIMARY KEY)")
    op.execute(ADD_WORDS)
    op.execute(
        "CREATE TRIGGER people_name_words AFTER INSERT OR UPDATE OF search_name ON people "
        "FOR EACH ROW EXECUTE FUNCTION people_name_words()"
    )
    op.execute(
        "INSERT INTO name_words (word) SELECT DISTINCT w FROM people, "
        "unnest(string_to_array(search_name, ' ')) AS w WHERE w <> '' ON CONFLICT DO NOTHING"
    )
    for name, target in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON {target}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
        op.execute("DROP TRIGGER IF EXISTS people_name_words ON people")
        op.execute("DROP FUNCTION IF EXISTS people_name_words()")
        op.execute("DROP TABLE IF EXISTS name_words")
    op.drop_index(op.f("ix_users_team_id"), table_name="users")
