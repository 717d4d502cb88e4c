"""Search reads from the replica when DATABASE_REPLICA_URL is set; its audit event is kept on the
primary. Two real databases (two SQLite files, or two PostgreSQL databases when
ICS_TEST_DATABASE_URL is set): a child recorded only on the "replica" is found through it, and not
found when no replica is set."""

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app import demo, migrate
from app.audit.models import AuditEvent
from app.auth.models import User
from app.config import Settings
from app.db import make_engine, make_session_factory
from app.main import create_app
from tests.conftest import _postgres_database
from tests.factories import Factory, shipped_library

NAME = "Zebedee Quartermain"


@contextmanager
def _database(tmp: Path, name: str) -> Iterator[str]:
    admin = os.environ.get("ICS_TEST_DATABASE_URL")
    if admin:
        with contextmanager(_postgres_database)(admin) as url:
            yield url
    else:
        yield f"sqlite:///{tmp / name}.sqlite3"


def _loaded(url: str, *, extra_child: bool) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        migrate.upgrade(connection)
    with make_session_factory(engine)() as session:
        demo.load(session=session, library=shipped_library())
        if extra_child:
            worker = session.scalars(select(User).where(User.username == "worker")).one()
            factory = Factory(session)
            given, family = NAME.split()
            factory.child_case(
                child=factory.person(given_names=given, family_name=family), worker=worker
            )
        session.commit()
    engine.dispose()


@pytest.fixture()
def databases(tmp_path: Path) -> Iterator[tuple[str, str]]:
    with ExitStack() as stack:
        primary = stack.enter_context(_database(tmp_path, "primary"))
        replica = stack.enter_context(_database(tmp_path, "replica"))
        _loaded(primary, extra_child=False)
        _loaded(replica, extra_child=True)  # stands for rows the primary has streamed to it
        yield primary, replica


def _search(settings: Settings) -> str:
    app = create_app(settings, library=shipped_library())
    with TestClient(app) as client:
        signed = client.post(
            "/api/session", json={"username": "worker", "password": demo.DEMO_PASSWORD}
        )
        assert signed.status_code == 201, signed.text
        page = client.get("/search", params={"q": "Zebedee"})
        assert page.status_code == 200
        return page.text


def test_search_reads_the_replica_and_keeps_its_audit_on_the_primary(
    databases: tuple[str, str],
) -> None:
    primary, replica = databases
    base = {"env": "test", "print_workers": 0}
    assert NAME in _search(Settings(database_url=primary, database_replica_url=replica, **base))
    assert NAME not in _search(Settings(database_url=primary, **base))  # the primary lacks him
    for url, expected in ((primary, 2), (replica, 0)):
        engine = make_engine(url)
        with make_session_factory(engine)() as session:
            searches = session.scalars(
                select(AuditEvent).where(AuditEvent.action == "search")
            ).all()
        engine.dispose()
        assert len(searches) == expected, url
