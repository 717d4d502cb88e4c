"""Property-based calls to every JSON endpoint, signed in as each role: never a server error.

schemathesis generates bodies, paths and queries from our own OpenAPI schema, valid and invalid,
and calls the real app on the real database (each operation inside the test's rolled-back
transaction). Any 5xx fails the test.
"""

from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from app import demo
from app.auth.models import Role

ROLES = list(Role)


USERNAMES = {
    Role.SOCIAL_WORKER: "worker",
    Role.TEAM_MANAGER: "manager",
    Role.BUSINESS_SUPPORT: "support",
    Role.CONFERENCE_CHAIR: "chair",
    Role.AUDITOR: "auditor",
    Role.SYSTEM_ADMIN: "admin",
}


def test_no_server_errors_for_any_role(app: FastAPI, db: Any) -> None:
    demo.load(session=db)  # real children and records, to find and to be refused
    db.commit()
    schema = schemathesis.openapi.from_dict(app.openapi())
    schema.app = app  # calls go to the app itself, in this test's transaction
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    failures: list[str] = []
    statuses: set[int] = set()
    for operation in operations:
        try:
            _exercise(operation, app, statuses)
        except Exception as error:  # collect every failing operation, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {str(error)[:300]}")
    assert failures == [], "\n".join(failures)
    assert statuses - {401}, "the roles' calls were all refused: the tokens did not work"


def _exercise(operation: Any, app: FastAPI, statuses: set[int]) -> None:
    # Signing in and out is called without a token: signing out would revoke the roles' tokens.
    anonymous = operation.path == "/api/session"

    @given(case=operation.as_strategy())
    @settings(
        max_examples=3, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
    )
    def run(case: Any) -> None:
        if anonymous:
            case.call_and_validate(checks=[not_a_server_error])
            return
        for role in ROLES:  # the same generated call, made by each role in turn
            headers = {"Authorization": f"Bearer {_token(app, USERNAMES[role])}"}
            response = case.call_and_validate(headers=headers, checks=[not_a_server_error])
            statuses.add(response.status_code)

    run()


_tokens: dict[tuple[int, str], str] = {}


def _token(app: FastAPI, username: str) -> str:
    from fastapi.testclient import TestClient

    key = (id(app), username)
    if key not in _tokens:
        with TestClient(app) as client:
            answer = client.post(
                "/api/session", json={"username": username, "password": "demo-password"}
            )
            _tokens[key] = answer.json()["token"]
    return _tokens[key]
