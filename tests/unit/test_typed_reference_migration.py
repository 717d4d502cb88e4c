"""The migration to typed references converts a populated database's answers by the field's kind,
flags what it cannot resolve (never guessing), leaves frozen snapshots alone, and goes back."""

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import text

from app import migrate
from app.db import make_engine
from tests.conftest import _postgres_database

PERSON = (
    "INSERT INTO people (id, given_names, family_name, address_confidential, created_at,"
    " updated_at) VALUES (:n, :given, 'X', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
)
MEMBER = (
    "INSERT INTO family_members (family_id, person_id, lives_here, created_at)"
    " VALUES (1, :n, true, CURRENT_TIMESTAMP)"
)
PROFESSIONAL = (
    "INSERT INTO professionals (id, name, agency_type, created_at)"
    " VALUES (:n, 'Pro', 'gp', CURRENT_TIMESTAMP)"
)
INVOLVED = (
    "INSERT INTO involvements (person_id, professional_id, created_at)"
    " VALUES (1, :n, CURRENT_TIMESTAMP)"
)
ROWS: list[tuple[str, dict[str, Any]]] = [
    # Jade (1) is the child; Kerry (2) lives with her; Lee (3) is her father, elsewhere;
    # Zara (4) is in another family. Professional 1 (the GP) and 7 (a therapist) work with Jade.
    *(
        (PERSON, {"n": n, "given": g})
        for n, g in ((1, "Jade"), (2, "Kerry"), (3, "Lee"), (4, "Zara"))
    ),
    (
        "INSERT INTO families (id, name, address_confidential, created_at)"
        " VALUES (1, 'H', false, CURRENT_TIMESTAMP)",
        {},
    ),
    *((MEMBER, {"n": n}) for n in (1, 2)),
    (
        "INSERT INTO relationships (person_id, other_person_id, type_code, created_at)"
        " VALUES (3, 1, 'father', CURRENT_TIMESTAMP)",
        {},
    ),
    *((PROFESSIONAL, {"n": n}) for n in (1, 7)),
    *((INVOLVED, {"n": n}) for n in (1, 7)),
    (
        "INSERT INTO cases (id, case_number, child_id, legal_status, status, restricted,"
        " opened_on, created_at) VALUES (1, 'CN-1', 1, 'cin', 'open', false, CURRENT_DATE,"
        " CURRENT_TIMESTAMP)",
        {},
    ),
]
OLD = {
    "people_seen": {
        "value": [
            {"person": 2, "where": "home"},  # Kerry: no professional 2, so a person, plainly
            {"person": 3},  # Lee, through his relationship to Jade
            {"person": 1},  # person 1 and professional 1 are both around Jade: ambiguous
            {"person": 4},  # Zara is nobody in Jade's world
        ]
    },
    "agencies_contacted": {"value": [{"professional": 7}]},
    "reason_for_assessment": {"value": "Referral"},
}


def _typed(kind: str, n: int, *, flagged: bool = False) -> dict[str, Any]:
    ref: dict[str, Any] = {"kind": kind, "id": n}
    return {**ref, "unresolved": True} if flagged else ref


NEW = {
    "people_seen": {
        "value": [
            {"person": _typed("person", 2), "where": "home"},
            {"person": _typed("person", 3)},
            {"person": _typed("person", 1, flagged=True)},
            {"person": _typed("person", 4, flagged=True)},
        ]
    },
    "agencies_contacted": {"value": [{"professional": _typed("professional", 7)}]},
    "reason_for_assessment": {"value": "Referral"},
}


@pytest.fixture()
def empty_url(tmp_path: Path) -> Iterator[str]:
    """A database of its own, empty: PostgreSQL when the run uses it, else a SQLite file."""
    admin_url = os.environ.get("ICS_TEST_DATABASE_URL")
    if admin_url:
        yield from _postgres_database(admin_url)
    else:
        yield f"sqlite:///{tmp_path / 'refs.sqlite3'}"


def test_a_populated_database_gets_typed_references_and_can_go_back(empty_url: str) -> None:
    engine = make_engine(empty_url)
    old = json.dumps(OLD)
    with engine.begin() as connection:
        migrate.upgrade(connection, "0012")
        for row, params in ROWS:
            connection.execute(text(row), params)
        connection.execute(
            text(
                "INSERT INTO records (id, case_id, exemplar_id, exemplar_version, status,"
                " revision, answers, version, started_at) VALUES (1, 1, 'initial_assessment', 1,"
                " 'finalised', 1, :a, 1, CURRENT_TIMESTAMP)"
            ),
            {"a": old},
        )
        connection.execute(
            text(
                "INSERT INTO record_revisions (record_id, number, answers, changed, removed,"
                " event, created_at) VALUES (1, 1, :a, :a, '[]', 'save', CURRENT_TIMESTAMP)"
            ),
            {"a": old},
        )
        connection.execute(
            text(
                "INSERT INTO record_snapshots (record_id, version, exemplar_id, exemplar_version,"
                " content, checksum, finalised_at) VALUES (1, 1, 'initial_assessment', 1, :c,"
                " 'x', CURRENT_TIMESTAMP)"
            ),
            {"c": json.dumps({"answers": OLD})},
        )
    with engine.begin() as connection:
        migrate.upgrade(connection)
    assert _stored(engine) == (NEW, NEW, NEW, {"answers": OLD})
    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0012")
    assert _stored(engine) == (OLD, OLD, OLD, {"answers": OLD})
    engine.dispose()


def _stored(engine: Any) -> tuple[Any, ...]:
    with engine.connect() as connection:
        record = connection.execute(text("SELECT answers FROM records")).scalar_one()
        delta, changed = connection.execute(
            text("SELECT answers, changed FROM record_revisions")
        ).one()
        frozen = connection.execute(text("SELECT content FROM record_snapshots")).scalar_one()
    return tuple(
        json.loads(v) if isinstance(v, str) else v for v in (record, delta, changed, frozen)
    )
