"""The migration that turns whole-copy revisions into changes keeps every earlier state readable,
and its downgrade gives the copies back."""

from pathlib import Path

from alembic import command
from sqlalchemy import text
from sqlalchemy.orm import Session

from app import migrate
from app.db import make_engine
from app.records import revisions


def test_whole_copies_become_changes_and_come_back(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    with engine.begin() as connection:
        migrate.upgrade(connection, "0006")
        connection.execute(
            text(
                "INSERT INTO people (id, given_names, family_name, address_confidential,"
                " created_at, updated_at) VALUES (1, 'Ruby', 'Marshall', false,"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO cases (id, case_number, child_id, legal_status, status, restricted,"
                " opened_on, created_at) VALUES (1, 'CN-1', 1, 'cin', 'open', false,"
                " CURRENT_DATE, CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO records (id, case_id, exemplar_id, exemplar_version, status, revision,"
                " answers, version, started_at) VALUES (1, 1, 'case_note', 1, 'draft', 3, '{}', 1,"
                " CURRENT_TIMESTAMP)"
            )
        )
        copies = ['{"a": 1}', '{"a": 1, "b": 2}', '{"b": 3}']
        for number, answers in enumerate(copies, start=1):
            connection.execute(
                text(
                    "INSERT INTO record_revisions (record_id, number, answers, changed, event,"
                    " created_at) VALUES (1, :n, :a, '{}', 'save', CURRENT_TIMESTAMP)"
                ),
                {"n": number, "a": answers},
            )
    with engine.begin() as connection:
        migrate.upgrade(connection)
    with engine.connect() as connection:
        stored = connection.execute(
            text("SELECT answers, removed FROM record_revisions ORDER BY number")
        ).all()
    assert [tuple(map(str, row)) for row in stored] == [
        ('{"a": 1}', "[]"),
        ('{"b": 2}', "[]"),
        ('{"b": 3}', '["a"]'),
    ]
    with Session(engine) as session:
        assert revisions.answers_at(session=session, record_id=1, number=2) == {"a": 1, "b": 2}
        assert revisions.answers_at(session=session, record_id=1, number=3) == {"b": 3}
    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
        back = connection.execute(text("SELECT answers FROM record_revisions ORDER BY number"))
        assert [str(row[0]) for row in back] == copies
