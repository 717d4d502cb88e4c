"""Pages read in transactions that take no lock and may not write; what they must keep (the
audit events of what was read) is written at the end, briefly, in a transaction of its own.

On the real engine of each database: SQLite opens a reading transaction without BEGIN IMMEDIATE,
so it holds no write lock, and both databases refuse a write inside one.
"""

import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.auth.models import SignInFailure
from app.db import WriteWhileReading, begin_writing, make_session_factory, reading_session


@pytest.fixture()
def reading(engine: Engine) -> Iterator[Session]:
    factory: sessionmaker[Session] = make_session_factory(engine)
    with reading_session(factory) as session:
        yield session


def _failure(account: str) -> SignInFailure:
    return SignInFailure(client="test", account=account)


def _kept(session: Session, account: str) -> int:
    query = select(func.count()).select_from(SignInFailure).where(SignInFailure.account == account)
    return session.scalar(query) or 0


def test_a_reading_session_refuses_a_write_in_the_unit_of_work(reading: Session) -> None:
    reading.add(_failure(secrets.token_hex(8)))
    with pytest.raises(WriteWhileReading):
        reading.flush()


def test_the_database_itself_refuses_a_write_in_a_reading_transaction(reading: Session) -> None:
    reading.scalar(select(func.count()).select_from(SignInFailure))  # the reading begins
    insert = text("INSERT INTO sign_in_failures (at, client, account) VALUES (:at, 'x', 'y')")
    with pytest.raises(DBAPIError, match=r"(?i)read.?only"):
        reading.execute(insert, {"at": "2026-01-01 00:00:00"})


def test_begin_writing_writes_and_the_next_transaction_reads_again(reading: Session) -> None:
    account = secrets.token_hex(8)
    assert _kept(reading, account) == 0
    begin_writing(reading)
    reading.add(_failure(account))
    reading.commit()
    assert _kept(reading, account) == 1
    reading.add(_failure(account))
    with pytest.raises(WriteWhileReading):
        reading.flush()


def test_a_reading_session_takes_no_row_lock(reading: Session) -> None:
    """PostgreSQL refuses SELECT ... FOR UPDATE in a READ ONLY transaction: refused everywhere."""
    with pytest.raises(WriteWhileReading):
        reading.scalars(select(SignInFailure).with_for_update()).all()
