"""A database error never carries the values it was given: they are names, birthdays, addresses."""

import logging

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError


def test_a_database_error_names_no_value(engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    secret = "Kerry Walsh, 14 Alder Close (refuge)"
    caplog.set_level(logging.DEBUG)
    with engine.connect() as connection, pytest.raises(DBAPIError) as raised:
        # a duplicate primary key: the insert fails with the personal value as a parameter
        connection.execute(
            text("INSERT INTO teams (id, name) VALUES (:id, :name), (:id, :name)"),
            {"id": 2_000_000_000, "name": secret},
        )
    logging.getLogger("app").exception("database error", exc_info=raised.value)
    assert secret not in str(raised.value)
    assert secret not in caplog.text
    assert "hidden" in str(raised.value)
