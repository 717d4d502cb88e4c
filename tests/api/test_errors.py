"""Errors as people meet them: a GOV.UK page in a browser, the documented JSON body for the API.

A page says plainly what happened and, for a failed save, that the typing is kept in the browser;
a database failure is a 503, never a stack trace; the log names the error's class and the request
id, never a value from the request.
"""

import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event
from sqlalchemy.orm import Session

from app import demo
from app.errors import ErrorBody
from tests.api.test_records import Worker

BROWSER = {"Accept": "text/html,application/xhtml+xml"}
TYPED = "Jade said she was scared of Darren"  # personal: never in a page's error or the log


def body(response: Any) -> ErrorBody:
    """The error body, which must match the one the OpenAPI schema declares."""
    return ErrorBody.model_validate(response.json())


@pytest.fixture()
def worker(db: Session, client: TestClient) -> Worker:
    demo.load(session=db)
    db.commit()
    return Worker(client)


@pytest.fixture()
def read_only(connection: Connection) -> Iterator[Callable[[], None]]:
    """Call it, and the database refuses every write, as a read-only file or replica does."""

    def refuse(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            raise connection.dialect.loaded_dbapi.OperationalError(
                "attempt to write a readonly database"
            )

    yield lambda: event.listen(connection, "before_cursor_execute", refuse)
    if event.contains(connection, "before_cursor_execute", refuse):
        event.remove(connection, "before_cursor_execute", refuse)


def test_an_unknown_page_is_a_govuk_page_and_an_unknown_api_route_json(client: TestClient) -> None:
    page = client.get("/no-such-page", headers=BROWSER)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "govuk-template" in page.text and "Page not found" in page.text
    assert page.headers["X-Request-Id"] in page.text  # the reference to quote to support
    assert "Content-Security-Policy" in page.headers
    api = client.get("/api/no-such-route", headers=BROWSER)
    assert api.status_code == 404 and body(api).detail[0].msg == "Not Found"


def test_every_api_error_body_carries_what_the_schema_promises(
    worker: Worker, client: TestClient
) -> None:
    signed_out = TestClient(client.app).get("/api/me")
    assert signed_out.status_code == 401
    assert body(signed_out).detail[0].message == "Sign in first."
    missing = client.get("/api/cases/by-number/CN-999999")
    assert missing.status_code == 404 and body(missing).detail[0].msg
    invalid = client.post("/api/people", json={"first_name": 7}, headers=worker.headers)
    assert invalid.status_code == 422
    assert all(p.msg and p.loc and p.field for p in body(invalid).detail)


def test_the_schema_documents_every_error_with_one_body(app: FastAPI) -> None:
    schema = app.openapi()
    assert set(schema["components"]["schemas"]["Problem"]["required"]) >= {"msg", "loc", "type"}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            answers = operation["responses"]
            for status in ("400", "401", "403", "413", "422", "503"):
                content = answers[status]["content"]["application/json"]["schema"]
                assert content == {"$ref": "#/components/schemas/ErrorBody"}, (method, path)


def test_an_expired_form_is_a_page_offering_to_go_back_and_reload(
    worker: Worker, client: TestClient
) -> None:
    came_from = {**BROWSER, "Referer": "http://testserver/caseload"}
    page = client.post("/sign-out", data={"csrf_token": "stale"}, headers=came_from)
    assert page.status_code == 403 and page.headers["content-type"].startswith("text/html")
    assert "This form has expired" in page.text
    assert '<a class="govuk-link" href="/caseload">Go back to the page and reload it</a>' in (
        page.text
    )
    api = client.post("/api/me/password", json={}, headers={"X-CSRF-Token": "stale"})
    assert api.status_code == 403 and "expired" in body(api).detail[0].message


def test_a_save_to_a_read_only_database_is_a_503_page_saying_the_typing_is_kept(
    worker: Worker,
    client: TestClient,
    read_only: Callable[[], None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    record = _a_case_note(worker)
    read_only()
    form = {"csrf_token": worker.headers["X-CSRF-Token"], "base_revision": "1", "note": TYPED}
    section = f"/records/{record['id']}/sections/what_happened"
    with caplog.at_level(logging.INFO):
        page = client.post(section, data={**form, "action": "draft"}, headers=BROWSER)
    assert page.status_code == 503 and "govuk-template" in page.text
    assert "What you typed is kept in this browser" in page.text
    assert "Traceback" not in page.text and "readonly" not in page.text
    assert "OperationalError" in caplog.text and page.headers["X-Request-Id"] in caplog.text
    assert TYPED not in caplog.text and "readonly" not in caplog.text


def test_a_read_only_database_answers_the_api_with_a_503_body(
    worker: Worker, client: TestClient, read_only: Callable[[], None]
) -> None:
    record = _a_case_note(worker)
    read_only()
    save = {"base_revision": record["revision"], "answers": {"note": {"value": TYPED}}}
    url = f"/api/records/{record['id']}/answers"
    saved = client.patch(url, json=save, headers=worker.headers)
    assert saved.status_code == 503
    assert body(saved).detail[0].type == "operational_error"
    assert TYPED not in saved.text


def test_a_server_error_is_a_page_with_a_reference_and_nothing_from_the_error(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise RuntimeError(TYPED)  # a bug whose message carries a value from the record

    app.add_api_route("/broken", broken)
    app.add_api_route("/api/broken", broken)
    client = TestClient(app)
    page = client.get("/broken", headers=BROWSER)
    assert page.status_code == 500 and "Sorry, there is a problem with the service" in page.text
    assert TYPED not in page.text and page.headers["X-Request-Id"] in page.text
    api = client.get("/api/broken", headers=BROWSER)
    assert api.status_code == 500 and body(api).detail[0].type == "server_error"
    assert "RuntimeError" in caplog.text and TYPED not in caplog.text


def _a_case_note(worker: Worker) -> dict[str, Any]:
    return worker.start(worker.children()["Ruby"], "case_note")
