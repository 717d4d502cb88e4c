"""Request bodies over ICS_MAX_BODY_BYTES are refused with 413 before anyone is signed in.

Two unauthenticated 200 MB sign-in posts once took the server past a gigabyte: the body was read
before the password was checked. Now a declared length over the limit is answered at once, and a
body sent without one is stopped as soon as it passes the limit.
"""

from collections.abc import Iterator
from typing import Any

import anyio
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.engine.library import Library
from app.errors import ErrorBody
from app.main import create_app

LIMIT = 4_000
BROWSER = {"Accept": "text/html"}


@pytest.fixture()
def small(
    database_url: str, session_factory: sessionmaker[Session], library: Library
) -> Iterator[TestClient]:
    """The app with a small limit, so a few kilobytes are "too large"."""
    settings = Settings(database_url=database_url, env="test", max_body_bytes=LIMIT)
    app = create_app(settings, library=library)
    app.state.session_factory = session_factory
    with TestClient(app) as client:
        yield client


def sign_in(padding: int) -> dict[str, str]:
    return {"username": "nobody", "password": "x" * padding}


def test_the_default_limit_is_generous_for_a_long_narrative() -> None:
    assert Settings().max_body_bytes >= 1_000_000  # a big narrative is about 100 KB


def test_a_sign_in_post_over_the_limit_is_refused_unread(small: TestClient) -> None:
    assert small.post("/api/session", json=sign_in(100)).status_code == 401  # read and checked
    refused = small.post("/api/session", json=sign_in(LIMIT))
    assert refused.status_code == 413
    assert "too large" in ErrorBody.model_validate(refused.json()).detail[0].message
    page = small.post("/sign-in", data=sign_in(LIMIT), headers=BROWSER)
    assert page.status_code == 413 and "This is too large to send" in page.text
    assert "govuk-template" in page.text


def test_a_body_without_a_length_is_stopped_once_it_passes_the_limit(small: TestClient) -> None:
    chunks = iter([b'{"username": "nobody", "password": "', *[b"x" * 1000] * 8, b'"}'])
    json = {"Content-Type": "application/json"}
    refused = small.post("/api/session", content=chunks, headers=json)
    assert "content-length" not in refused.request.headers  # sent chunked
    assert refused.status_code == 413


def test_a_declared_200_mb_body_is_answered_without_reading_a_byte(small: TestClient) -> None:
    app: FastAPI = small.app  # type: ignore[assignment]
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "POST",
        "path": "/api/session",
        "raw_path": b"/api/session",
        "query_string": b"",
        "root_path": "",
        "scheme": "http",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 1234),
        "headers": [(b"content-length", b"200000000"), (b"content-type", b"application/json")],
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        raise AssertionError("the body was read")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    anyio.run(app, scope, receive, send)
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 413
