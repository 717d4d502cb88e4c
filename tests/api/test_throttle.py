"""Password guessing is slowed by account and address, and no one can lock someone else out."""

import statistics
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth import service
from app.auth.models import SignInFailure
from app.config import get_settings
from tests.api.test_auth import _form_token
from tests.conftest import PASSWORD

ATTACKER, OWNER = "203.0.113.66", "198.51.100.7"


def _at(app: FastAPI, address: str) -> TestClient:
    return TestClient(app, client=(address, 50000))


def _sign_in(client: TestClient, username: str, password: str) -> httpx.Response:
    return client.post("/api/session", json={"username": username, "password": password})


def _later(db: Session, seconds: int) -> None:
    """As if `seconds` had passed since every failure so far."""
    for failure in db.scalars(select(SignInFailure)):
        failure.at -= timedelta(seconds=seconds)
    db.commit()


def test_guessing_from_one_address_does_not_stop_the_owner_at_another(
    app: FastAPI, make_user: Any
) -> None:
    owner = make_user()
    attacker = _at(app, ATTACKER)
    answers = [_sign_in(attacker, owner.username, f"guess {n}").status_code for n in range(20)]
    assert answers[:5] == [401] * 5 and set(answers[5:]) == {429}
    assert _sign_in(_at(app, OWNER), owner.username, PASSWORD).status_code == 201
    assert _sign_in(attacker, owner.username, PASSWORD).status_code == 429


def test_a_guessing_address_waits_longer_after_each_failure(
    app: FastAPI, db: Session, make_user: Any
) -> None:
    owner = make_user()
    attacker = _at(app, ATTACKER)
    for n in range(5):
        assert _sign_in(attacker, owner.username, f"guess {n}").status_code == 401
    refused = _sign_in(attacker, owner.username, PASSWORD)
    assert refused.status_code == 429
    assert "Wait 1 minute" in refused.json()["detail"][0]["message"]
    _later(db, 61)
    assert _sign_in(attacker, owner.username, "guess 5").status_code == 401  # one more try
    assert _sign_in(attacker, owner.username, PASSWORD).status_code == 429  # now 2 minutes
    _later(db, 61)
    assert _sign_in(attacker, owner.username, PASSWORD).status_code == 429
    _later(db, 61)
    assert _sign_in(attacker, owner.username, PASSWORD).status_code == 201


def test_refused_attempts_do_not_extend_the_wait(app: FastAPI, db: Session, make_user: Any) -> None:
    owner = make_user()
    here = _at(app, ATTACKER)
    for n in range(5):
        _sign_in(here, owner.username, f"guess {n}")
    for _ in range(10):
        assert _sign_in(here, owner.username, "still guessing").status_code == 429
    _later(db, 61)
    assert _sign_in(here, owner.username, PASSWORD).status_code == 201


def test_unknown_and_locked_users_get_the_same_answers(app: FastAPI, make_user: Any) -> None:
    real = make_user(username="sam")
    here = _at(app, ATTACKER)

    def answers(username: str, right: str) -> list[tuple[int, Any]]:
        tries = [_sign_in(here, username, f"guess {n}") for n in range(5)]
        tries.append(_sign_in(here, username, right))
        return [(r.status_code, r.json()) for r in tries]

    assert answers(real.username, PASSWORD) == answers("nobody-by-this-name", PASSWORD)
    assert answers("nobody-by-this-name", PASSWORD)[-1][0] == 429


def test_the_sign_in_page_answers_unknown_and_locked_users_alike(
    app: FastAPI, make_user: Any
) -> None:
    make_user(username="sam")
    here = _at(app, ATTACKER)
    token = _form_token(here.get("/sign-in").text)

    def last_page(username: str) -> tuple[int, str]:
        for n in range(6):
            page = here.post(
                "/sign-in",
                data={"username": username, "password": f"guess {n}", "csrf_token": token},
            )
        message = page.text.split('class="govuk-error-summary__body"', 1)[-1][:400]
        return page.status_code, message.replace(username, "USER")

    status, message = last_page("sam")
    assert status == 429 and "Too many attempts" in message
    assert last_page("ghost") == (status, message)


def test_one_address_trying_many_usernames_is_slowed(app: FastAPI, make_user: Any) -> None:
    owner = make_user()
    sprayer = _at(app, ATTACKER)
    for n in range(30):
        assert _sign_in(sprayer, f"someone-{n}", "Winter2026!").status_code == 401
    assert _sign_in(sprayer, owner.username, PASSWORD).status_code == 429
    assert _sign_in(_at(app, OWNER), owner.username, PASSWORD).status_code == 201


def test_changing_the_password_is_throttled(client: TestClient, app: FastAPI, sign_in: Any) -> None:
    user, headers = sign_in()
    new = "a new and long passphrase"
    for n in range(5):
        wrong = client.post(
            "/api/me/password",
            json={"current_password": f"guess {n}", "new_password": new},
            headers=headers,
        )
        assert wrong.status_code == 400
    body = {"current_password": PASSWORD, "new_password": new}
    refused = client.post("/api/me/password", json=body, headers=headers)
    assert refused.status_code == 429
    assert refused.json()["detail"][0]["field"] == "current_password"
    assert _sign_in(_at(app, OWNER), user.username, PASSWORD).status_code == 201  # unchanged


@pytest.fixture()
def production_hasher(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Production's argon2id for this test, so hashing costs what it costs in production."""

    def clear() -> None:
        get_settings.cache_clear()
        service.hasher.cache_clear()
        service._dummy_hash.cache_clear()  # made with whichever hasher was current

    monkeypatch.setenv("ICS_FAST_PASSWORD_HASH", "0")
    clear()
    yield
    monkeypatch.setenv("ICS_FAST_PASSWORD_HASH", "1")
    clear()


def _timed_ms(client: TestClient, username: str, status: int) -> float:
    """How long one wrong password for `username` takes to be answered with `status`."""
    start = time.perf_counter()
    response = _sign_in(client, username, "not the password")
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == status
    return elapsed


def _lock(client: TestClient, username: str) -> None:
    for n in range(5):
        _sign_in(client, username, f"guess {n}")


def test_unknown_users_take_as_long_as_known_ones(
    app: FastAPI, make_user: Any, production_hasher: None, record_property: Any
) -> None:
    rounds = 7
    users = [make_user() for _ in range(rounds)]
    locked = make_user()
    wrong_at, unknown_at = _at(app, "192.0.2.1"), _at(app, "192.0.2.2")
    locked_at, ghost_at = _at(app, "192.0.2.3"), _at(app, "192.0.2.4")
    _lock(locked_at, locked.username)
    _lock(ghost_at, "ghost")
    times: dict[str, list[float]] = {"wrong": [], "unknown": [], "locked": [], "ghost": []}
    for n in range(rounds):  # interleaved, so that a busy moment falls on every path alike
        times["wrong"].append(_timed_ms(wrong_at, users[n].username, 401))
        times["unknown"].append(_timed_ms(unknown_at, f"ghost-{n}", 401))
        times["locked"].append(_timed_ms(locked_at, locked.username, 429))
        times["ghost"].append(_timed_ms(ghost_at, "ghost", 429))
    median = {path: statistics.median(samples) for path, samples in times.items()}
    for path, value in median.items():
        record_property(f"{path}_ms", round(value, 1))
    assert abs(median["wrong"] - median["unknown"]) <= 0.2 * median["wrong"], median
    assert abs(median["locked"] - median["ghost"]) <= 0.5 * median["locked"] + 3, median
