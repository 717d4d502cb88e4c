"""The witness's profile: edited by the user (API and the "Your profile" page, with CSRF) and by
an administrator; the Social Work England number must read SW and digits."""

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.auth.models import Role

PROFILE = {
    "job_title": "Social worker",
    "employer": "Riverside Borough Council",
    "work_address": "Civic Centre, River Street",
    "qualifications": "BA (Hons) Social Work",
    "registration_number": "sw123456",
}


def test_a_worker_fills_in_their_profile(client: TestClient, sign_in: Any, db: Session) -> None:
    user, headers = sign_in()
    before = client.get("/api/me/profile").json()
    assert "Social Work England registration number" in before["missing"]
    response = client.patch("/api/me/profile", json=PROFILE, headers=headers)
    assert response.status_code == 200, response.text
    shown = response.json()
    assert shown["registration_number"] == "SW123456"  # kept in the register's form
    assert shown["missing"] == []
    changed = db.query(AuditEvent).filter_by(action="user.profile_change", target_id=user.id).one()
    assert changed.detail["before"]["employer"] is None
    assert changed.detail["after"]["employer"] == "Riverside Borough Council"


def test_a_registration_number_not_in_the_register_form_is_refused_by_field(
    client: TestClient, sign_in: Any
) -> None:
    _, headers = sign_in()
    for wrong in ("123456", "SW", "SWX123", "HCPC12345"):
        response = client.patch(
            "/api/me/profile", json={"registration_number": wrong}, headers=headers
        )
        assert response.status_code == 422, wrong
        assert "registration_number" in response.text


def test_an_administrator_corrects_a_profile_and_no_one_else_may(
    client: TestClient, sign_in: Any, make_user: Any
) -> None:
    witness = make_user(Role.SOCIAL_WORKER)
    _, headers = sign_in(Role.TEAM_MANAGER)
    refused = client.patch(
        f"/api/users/{witness.id}/profile", json={"employer": "X"}, headers=headers
    )
    assert refused.status_code == 403
    client.cookies.clear()  # sign in afresh as the administrator
    _, headers = sign_in(Role.SYSTEM_ADMIN)
    response = client.patch(f"/api/users/{witness.id}/profile", json=PROFILE, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["employer"] == "Riverside Borough Council"
    assert client.get(f"/api/users/{witness.id}/profile").json()["missing"] == []
    assert client.get("/api/users/2147483647/profile").status_code == 404


def _form_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_the_your_profile_page_saves_and_names_a_wrong_field(
    client: TestClient, sign_in: Any
) -> None:
    sign_in()
    page = client.get("/profile")
    assert page.status_code == 200 and "Your profile" in page.text
    assert "will say these are missing" in page.text
    form = {"full_name": "Sam Okafor", **PROFILE, "csrf_token": _form_token(page.text)}
    without = client.post("/profile", data={k: v for k, v in form.items() if k != "csrf_token"})
    assert without.status_code in (400, 403)
    wrong = client.post("/profile", data={**form, "registration_number": "12345"})
    assert wrong.status_code == 400
    assert 'href="#registration_number"' in wrong.text and "like SW123456" in wrong.text
    saved = client.post("/profile", data=form, follow_redirects=True)
    assert saved.status_code == 200 and "Your profile is saved" in saved.text
    assert "SW123456" in saved.text and "will say these are missing" not in saved.text
