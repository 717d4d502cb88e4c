"""The audit trail is append-only in the database itself, not just in the app."""

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError


@pytest.fixture()
def event_id(engine: Engine) -> int:
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_events (at, action, target_type, allowed, detail) "
                "VALUES (CURRENT_TIMESTAMP, 'child.view', 'case', true, '{}')"
            )
        )
        return int(connection.execute(text("SELECT max(id) FROM audit_events")).scalar_one())


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET action = 'nothing' WHERE id = :id",
        "DELETE FROM audit_events WHERE id = :id",
    ],
)
def test_the_database_refuses_to_change_or_remove_an_event(
    engine: Engine, event_id: int, statement: str
) -> None:
    with engine.connect() as connection, pytest.raises(DBAPIError, match="append-only"):
        connection.execute(text(statement), {"id": event_id})
    with engine.connect() as connection:
        kept = connection.execute(
            text("SELECT action FROM audit_events WHERE id = :id"), {"id": event_id}
        ).scalar_one()
    assert kept == "child.view"
