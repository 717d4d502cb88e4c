"""One real database per test run (SQLite file, or PostgreSQL when ICS_TEST_DATABASE_URL is set).

The schema is made by Alembic, as in production. Each test runs inside a transaction that is rolled
back at the end; application code may commit, which only releases a savepoint.
"""

import os
import secrets

# A cheap argon2 for the suite (hundreds of users are made); production's is proven in test_auth.
os.environ.setdefault("ICS_FAST_PASSWORD_HASH", "1")
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app import migrate
from app.auth import service as auth_service
from app.auth.models import Role, User
from app.config import Settings
from app.db import make_engine
from app.engine.library import Library
from app.main import create_app
from tests import factories
from tests.factories import shipped_library

PASSWORD = "correct horse battery staple"


def _postgres_database(admin_url: str) -> Iterator[str]:
    """Create a throwaway database beside the one named in admin_url, and drop it afterwards."""
    name = f"ics_test_{secrets.token_hex(4)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    admin_url = os.environ.get("ICS_TEST_DATABASE_URL")
    if admin_url:
        yield from _postgres_database(admin_url)
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    with engine.begin() as connection:
        migrate.upgrade(connection)
    yield engine
    engine.dispose()


@pytest.fixture()
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        outer = connection.begin()
        yield connection
        outer.rollback()


@pytest.fixture()
def session_factory(connection: Connection) -> sessionmaker[Session]:
    return sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )


@pytest.fixture()
def db(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as session:
        yield session


@pytest.fixture()
def settings(database_url: str) -> Settings:
    # Each test runs in a transaction a print worker's own connection cannot see: the tests make
    # queued prints with jobs.run_next on the test's connection; the browser tests use real ones.
    return Settings(database_url=database_url, env="test", print_workers=0)


@pytest.fixture(scope="session")
def library() -> Library:
    """The shipped exemplars, loaded once for the run (loading is the slow part of an app)."""
    return shipped_library()


@pytest.fixture()
def app(settings: Settings, session_factory: sessionmaker[Session], library: Library) -> FastAPI:
    app = create_app(settings, library=library)
    app.state.session_factory = session_factory
    return app


@pytest.fixture()
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture()
def make_user(db: Session) -> Any:
    def make(
        role: Role = Role.SOCIAL_WORKER, username: str | None = None, team: str = "Team A"
    ) -> User:
        team_row = auth_service.get_or_create_team(session=db, name=team)
        name = username or f"{role.value}-{secrets.token_hex(3)}"
        user = auth_service.create_user(
            session=db,
            username=name,
            full_name=name.title(),
            role=role,
            password=PASSWORD,
            team=team_row,
        )
        db.commit()
        return user

    return make


@pytest.fixture()
def sign_in(client: TestClient, make_user: Any) -> Any:
    """Sign `client` in as a new user of `role`; returns (user, headers with the CSRF token)."""

    def sign(role: Role = Role.SOCIAL_WORKER, **kwargs: Any) -> tuple[User, dict[str, str]]:
        user = make_user(role, **kwargs)
        response = client.post(
            "/api/session", json={"username": user.username, "password": PASSWORD}
        )
        assert response.status_code == 201, response.text
        return user, {"X-CSRF-Token": response.json()["csrf_token"]}

    return sign


@pytest.fixture()
def factory(db: Session) -> factories.Factory:
    return factories.Factory(db)


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    path = Path(os.environ.get("ICS_TEST_ARTIFACTS", "test-artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path
