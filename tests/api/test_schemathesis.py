"""Property-based calls to every JSON endpoint, as each role and signed out: the answers keep the
promises the OpenAPI schema makes.

schemathesis generates bodies, paths and queries from our own OpenAPI schema, valid and invalid,
and calls the real app on the real database (each operation inside the test's rolled-back
transaction). Every answer is checked: never a 5xx, only documented status codes and content
types, and a body that matches the documented schema for its status.
"""

from collections import Counter
from typing import Any

import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode

from app import demo
from app.auth.models import Role

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
USERNAMES = {
    Role.SOCIAL_WORKER: "worker",
    Role.TEAM_MANAGER: "manager",
    Role.BUSINESS_SUPPORT: "support",
    Role.CONFERENCE_CHAIR: "chair",
    Role.AUDITOR: "auditor",
    Role.SYSTEM_ADMIN: "admin",
    Role.DATA_MANAGER: "datamanager",
}
SIGNED_OUT = "signed out"


def test_every_answer_conforms_for_every_role(app: FastAPI, db: Any) -> None:
    demo.load(session=db)  # real children and records, to find and to be refused
    db.commit()
    schema = schemathesis.openapi.from_dict(app.openapi())
    schema.app = app  # calls go to the app itself, in this test's transaction
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    callers = {SIGNED_OUT: {}, **{role.value: _bearer(app, USERNAMES[role]) for role in Role}}
    tally: Counter[str] = Counter()
    failures: list[str] = []
    for operation in operations:
        _exercise(operation, callers, tally, failures)
    print(f"\n{len(operations)} operations, {tally['calls']} calls, {dict(tally)}")
    assert failures == [], f"{len(failures)} failures:\n" + "\n".join(sorted(set(failures)))
    assert tally["calls"] > tally["status 401"], "every call was refused: the tokens did not work"


def _exercise(
    operation: Any, callers: dict[str, dict[str, str]], tally: Counter[str], failures: list[str]
) -> None:
    # Signing in and out is called signed out only: signing out would revoke the roles' tokens.
    if operation.path == "/api/session":
        callers = {SIGNED_OUT: {}}

    # Valid calls and invalid ones (wrong types, missing fields): both must answer as documented.
    cases = st.one_of(operation.as_strategy(), operation.as_strategy(GenerationMode.NEGATIVE))

    @given(case=cases)
    @settings(
        max_examples=5, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
    )
    def run(case: Any) -> None:
        for caller, headers in callers.items():  # the same generated call, made by each in turn
            response = case.call(headers=headers)
            tally["calls"] += 1
            tally[f"status {response.status_code}"] += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except FailureGroup as group:  # collected, not raised: no shrinking, every one shown
                for failure in group.exceptions:
                    tally[type(failure).__name__] += 1
                    failures.append(
                        f"{operation.method.upper()} {operation.path} as {caller}: "
                        f"{response.status_code} {failure.title}: {str(failure.message)[:200]} "
                        f"{response.text[:200]}"
                    )

    run()


def _bearer(app: FastAPI, username: str) -> dict[str, str]:
    with TestClient(app) as client:
        answer = client.post(
            "/api/session", json={"username": username, "password": "demo-password"}
        )
    return {"Authorization": f"Bearer {answer.json()['token']}"}
