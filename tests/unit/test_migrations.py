"""The models and the migrations describe the same schema, on whichever database this run uses."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect

from app.models import Base, from_models


def test_models_and_migrations_agree(connection: Connection) -> None:
    opts = {"compare_type": True, "include_name": from_models}
    context = MigrationContext.configure(connection, opts=opts)
    differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_schema_was_made_by_alembic(connection: Connection) -> None:
    tables = set(inspect(connection).get_table_names())
    assert "alembic_version" in tables
    assert {"people", "families", "cases", "pen_pictures", "audit_events"} <= tables


def test_relationship_types_are_seeded(connection: Connection) -> None:
    from sqlalchemy import text

    codes = set(connection.execute(text("select code from relationship_types")).scalars())
    assert {
        "mother",
        "father",
        "mothers_partner",
        "step_sibling",
        "foster_carer",
        "grandparent",
        "friend",
        "unknown",
    } <= codes
