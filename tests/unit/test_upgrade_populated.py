"""An existing database full of records upgrades to the newest schema (not only an empty one)."""

from pathlib import Path
from typing import Any

from sqlalchemy import text
from typer.testing import CliRunner

from app import migrate
from app.cli import main
from app.config import get_settings
from app.db import make_engine

ROWS = [
    "INSERT INTO teams (id, name) VALUES (1, 'Riverside')",
    "INSERT INTO users (id, username, full_name, role, team_id, password_hash, active, created_at,"
    " password_changed_at) VALUES (1, 'dana', 'Dana Real', 'social_worker', 1, 'x', true,"
    " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    "INSERT INTO user_sessions (token_hash, user_id, csrf_token, created_at, last_seen_at)"
    " VALUES ('t', 1, 'c', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    "INSERT INTO people (id, given_names, family_name, address_confidential, created_at,"
    " created_by_id, updated_at) VALUES (1, 'Jade', 'Hughes', false, CURRENT_TIMESTAMP, 1,"
    " CURRENT_TIMESTAMP)",
    "INSERT INTO cases (id, case_number, child_id, allocated_worker_id, team_id, legal_status,"
    " status, restricted, opened_on, created_at) VALUES (1, 'CN-000001', 1, 1, 1, 'cin', 'open',"
    " false, CURRENT_DATE, CURRENT_TIMESTAMP)",
    "INSERT INTO records (id, case_id, exemplar_id, exemplar_version, status, revision, answers,"
    " version, started_at, author_id) VALUES (1, 1, 'case_note', 1, 'draft', 2,"
    ' \'{"note": {"value": "b"}}\', 1, CURRENT_TIMESTAMP, 1)',
    "INSERT INTO record_revisions (record_id, number, answers, changed, event, created_at,"
    " author_id) VALUES (1, 1, '{\"note\": {\"value\": \"a\"}}', '{}', 'save',"
    " CURRENT_TIMESTAMP, 1)",
    "INSERT INTO record_revisions (record_id, number, answers, changed, event, created_at,"
    " author_id) VALUES (1, 2, '{\"note\": {\"value\": \"b\"}}', '{}', 'save',"
    " CURRENT_TIMESTAMP, 1)",
]


def test_a_populated_database_upgrades_with_ics_db_upgrade(
    tmp_path: Path, monkeypatch: Any
) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = make_engine(url)
    with engine.begin() as connection:
        migrate.upgrade(connection, "0005")  # the schema the last release shipped
        for row in ROWS:
            connection.execute(text(row))
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        upgraded = CliRunner().invoke(main, ["db", "upgrade"])
    finally:
        get_settings.cache_clear()
    assert upgraded.exit_code == 0, upgraded.output
    with engine.connect() as connection:
        assert connection.execute(text("SELECT demo FROM users")).scalar_one() in (0, False)
        kept = connection.execute(text("SELECT count(*) FROM user_sessions")).scalar_one()
        second = connection.execute(
            text("SELECT answers FROM record_revisions WHERE number = 2")
        ).scalar_one()
    assert kept == 1 and "b" in str(second)
