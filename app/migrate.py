"""Run Alembic migrations from code: the CLI and the tests use this; the schema has one source."""

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

from app.config import ROOT


def alembic_config() -> Config:
    return Config(str(ROOT / "alembic.ini"))


def upgrade(connection: Connection | None = None, revision: str = "head") -> None:
    config = alembic_config()
    if connection is not None:
        config.attributes["connection"] = connection
    command.upgrade(config, revision)
