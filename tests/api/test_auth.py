"""Signing in and out over HTTP, as a browser does: forms, cookies, CSRF."""

import re
from typing import Any

from fastapi.testclient import TestClient

from app.auth.models import Role
from tests.conftest import PASSWORD


def _form_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the form carries a CSRF token"
    return match.group(1)


def test_signed_out_home_leads_to_sign_in(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in"


def test_worker_signs_in_with_the_form_and_reaches_caseload(client: TestClient, make_user) -> None:
    user = make_user(Role.SOCIAL_WORKER, username="sam")
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={
            "username": "sam",
            "password": PASSWORD,
            "csrf_token": _form_token(page.text),
            "next": "/caseload",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/caseload"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert client.get("/", follow_redirects=False).headers["location"] == "/caseload"
    caseload = client.get("/caseload")
    assert caseload.status_code == 200 and user.full_name in caseload.text


def test_wrong_password_is_refused_with_the_username_kept(client: TestClient, make_user) -> None:
    make_user(Role.SOCIAL_WORKER, username="sam")
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"username": "sam", "password": "nope", "csrf_token": _form_token(page.text)},
    )
    assert response.status_code == 400
    assert "Enter a correct username and password" in response.text
    assert 'value="sam"' in response.text


def test_sign_in_form_without_csrf_token_is_refused(client: TestClient, make_user) -> None:
    make_user(Role.SOCIAL_WORKER, username="sam")
    client.get("/sign-in")
    response = client.post("/sign-in", data={"username": "sam", "password": PASSWORD})
    assert response.status_code == 403


def test_sign_out_revokes_the_session(client: TestClient, sign_in) -> None:
    _, headers = sign_in()
    assert client.get("/api/me").status_code == 200
    assert client.delete("/api/session", headers=headers).status_code == 204
    client.cookies.clear()
    assert client.get("/api/me").status_code == 401


def test_cookie_post_without_csrf_header_is_refused(client: TestClient, sign_in) -> None:
    sign_in()
    response = client.post("/api/people", json={"given_names": "A", "family_name": "B"})
    assert response.status_code == 403


def test_bearer_token_needs_no_csrf(client: TestClient, make_user) -> None:
    user = make_user(Role.SOCIAL_WORKER)
    token = client.post(
        "/api/session", json={"username": user.username, "password": PASSWORD}
    ).json()["token"]
    client.cookies.clear()
    response = client.post(
        "/api/people",
        json={"given_names": "A", "family_name": "B"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201


def test_pages_carry_security_headers(client: TestClient) -> None:
    response = client.get("/sign-in")
    assert response.headers["x-frame-options"] == "DENY"
    assert "nonce-" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"


def test_five_wrong_passwords_slow_down_guessing(client: TestClient, make_user: Any) -> None:
    user = make_user()
    for _ in range(5):
        wrong = client.post("/api/session", json={"username": user.username, "password": "guess"})
        assert wrong.status_code == 401
    refused = client.post("/api/session", json={"username": user.username, "password": PASSWORD})
    assert refused.status_code == 429
    assert refused.json()["detail"][0]["field"] == "username"


def test_changing_the_password_signs_out_every_other_session(
    client: TestClient, make_user: Any
) -> None:
    user = make_user()
    other = TestClient(client.app)
    token = other.post(
        "/api/session", json={"username": user.username, "password": PASSWORD}
    ).json()["token"]
    mine = client.post(
        "/api/session", json={"username": user.username, "password": PASSWORD}
    ).json()
    headers = {"X-CSRF-Token": mine["csrf_token"]}
    wrong = client.post(
        "/api/me/password",
        json={"current_password": "nope", "new_password": "a-much-longer-one"},
        headers=headers,
    )
    assert wrong.status_code == 400 and wrong.json()["detail"][0]["field"] == "current_password"
    body = {"current_password": PASSWORD, "new_password": "a new and long passphrase"}
    assert client.post("/api/me/password", json=body, headers=headers).status_code == 204
    assert client.get("/api/me").status_code == 200  # this session stays
    assert other.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    again = {"username": user.username, "password": "a new and long passphrase"}
    assert other.post("/api/session", json=again).status_code == 201
