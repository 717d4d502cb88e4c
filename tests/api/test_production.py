"""ICS_ENV=production locks down: demo users are refused and every cookie is Secure."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app import demo
from app.audit.models import AuditEvent
from app.auth.models import User
from app.config import Settings
from app.engine.library import Library
from app.main import create_app
from tests.api.test_auth import _form_token
from tests.conftest import PASSWORD

WRONG = "Enter a correct username and password."


@pytest.fixture()
def production(
    database_url: str, session_factory: sessionmaker[Session], library: Library
) -> Iterator[TestClient]:
    """The app as production runs it, told (wrongly) that cookies need not be Secure."""
    settings = Settings(
        database_url=database_url,
        env="production",
        secret_key="a-real-secret-for-these-tests",
        fast_password_hash=False,
        cookie_secure=False,
    )
    app: FastAPI = create_app(settings, library=library)
    app.state.session_factory = session_factory
    # Secure cookies only come back over HTTPS, as a browser would have it.
    with TestClient(app, base_url="https://testserver") as client:
        yield client


def test_demo_users_are_marked_and_no_one_else_is(db: Session, make_user: Any) -> None:
    demo.load(session=db)
    real = make_user()
    marked = {u.username for u in db.scalars(select(User).where(User.demo))}
    assert marked == {
        "worker",
        "manager",
        "support",
        "chair",
        "adviser",
        "auditor",
        "admin",
        "data",
    }
    assert not real.demo


def test_production_refuses_demo_users_as_a_wrong_password(
    db: Session, production: TestClient, make_user: Any
) -> None:
    demo.load(session=db)
    db.commit()
    refused = production.post(
        "/api/session", json={"username": "worker", "password": demo.DEMO_PASSWORD}
    )
    wrong = production.post(
        "/api/session", json={"username": make_user().username, "password": "a wrong one"}
    )
    assert (refused.status_code, refused.json()) == (wrong.status_code, wrong.json())
    assert refused.status_code == 401 and refused.json()["detail"][0]["message"] == WRONG
    worker = db.scalar(select(User).where(User.username == "worker"))
    assert worker is not None
    event = db.scalars(
        select(AuditEvent).where(AuditEvent.target_id == worker.id).order_by(AuditEvent.id.desc())
    ).first()
    assert event is not None and event.action == "sign_in.refused" and not event.allowed


def test_production_sign_in_page_refuses_demo_users(db: Session, production: TestClient) -> None:
    demo.load(session=db)
    db.commit()
    page = production.get("/sign-in")
    form = {"username": "manager", "password": demo.DEMO_PASSWORD}
    response = production.post("/sign-in", data={**form, "csrf_token": _form_token(page.text)})
    assert response.status_code == 400
    assert "Enter a correct username and password" in response.text


def test_production_still_signs_in_real_users(production: TestClient, make_user: Any) -> None:
    user = make_user()
    response = production.post(
        "/api/session", json={"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 201
    assert production.get("/api/me").json()["username"] == user.username


def _cookie_lines(response: Any) -> list[str]:
    return [value.lower() for key, value in response.headers.multi_items() if key == "set-cookie"]


def test_every_cookie_is_secure_in_production(production: TestClient, make_user: Any) -> None:
    page = production.get("/sign-in")
    user = make_user()
    form = {"username": user.username, "password": PASSWORD, "csrf_token": _form_token(page.text)}
    signed_in = production.post("/sign-in", data=form, follow_redirects=False)
    assert signed_in.status_code == 303
    home = production.get("/caseload")
    signed_out = production.post(
        "/sign-out", data={"csrf_token": _form_token(home.text)}, follow_redirects=False
    )
    lines = _cookie_lines(page) + _cookie_lines(signed_in) + _cookie_lines(signed_out)
    assert {line.split("=", 1)[0] for line in lines} == {"ics_csrf", "ics_session"}
    assert all("; secure" in line for line in lines), lines


def test_production_settings_force_secure_cookies() -> None:
    settings = Settings(
        env="production", secret_key="a-real-secret", fast_password_hash=False, cookie_secure=False
    )
    assert settings.cookie_secure
    assert not Settings(env="development", cookie_secure=False).cookie_secure
