"""Bad input gets a 4xx naming the field, and nothing is written half-way."""

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.people.models import Family, FamilyMember


def _fields(response) -> list[str]:
    return [error["field"] for error in response.json()["detail"]]


def test_malformed_json_is_a_422(client: TestClient, sign_in) -> None:
    _, h = sign_in()
    response = client.post(
        "/api/people",
        content=b'{"given_names": "A",',
        headers={**h, "content-type": "application/json"},
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"given_names": "A", "family_name": 5}, "family_name"),
        ({"given_names": "", "family_name": "B"}, "given_names"),
        ({"given_names": "A", "family_name": "B", "date_of_birth": "31/02/2020"}, "date_of_birth"),
        ({"given_names": "A", "family_name": "B", "sex": "yes"}, "sex"),
        ({"given_names": "A", "family_name": "B", "nickname": "x"}, "nickname"),
        ({"given_names": "A", "family_name": "B", "disabled": "perhaps"}, "disabled"),
    ],
)
def test_wrong_types_name_the_field(client: TestClient, sign_in, body: dict, field: str) -> None:
    _, h = sign_in()
    response = client.post("/api/people", json=body, headers=h)
    assert response.status_code == 422
    assert field in _fields(response)


def test_future_birth_date_for_a_born_child_names_the_field(client: TestClient, sign_in) -> None:
    _, h = sign_in()
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    response = client.post(
        "/api/people",
        headers=h,
        json={"given_names": "A", "family_name": "B", "date_of_birth": tomorrow},
    )
    assert response.status_code == 422
    assert "date_of_birth" in response.json()["detail"][0]["message"]
    unborn = client.post(
        "/api/people",
        headers=h,
        json={"given_names": "Baby", "family_name": "B", "expected_date": tomorrow},
    )
    assert unborn.status_code == 201


def test_relationship_to_oneself_is_refused(client: TestClient, sign_in) -> None:
    _, h = sign_in()
    person = client.post(
        "/api/people", headers=h, json={"given_names": "A", "family_name": "B"}
    ).json()["person"]
    response = client.post(
        "/api/relationships",
        headers=h,
        json={"person_id": person["id"], "other_person_id": person["id"], "type_code": "mother"},
    )
    assert response.status_code == 422
    assert "other_person_id" in response.json()["detail"][0]["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/people/999999",
        "/api/families/999999",
        "/api/cases/999999",
        "/api/children/999999",
        "/api/people/999999/pen-pictures",
        "/api/cases/by-number/CN-999999",
    ],
)
def test_unknown_ids_are_404(client: TestClient, sign_in, path: str) -> None:
    sign_in()
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["detail"][0]["field"]


def test_family_with_an_unknown_member_writes_nothing(
    client: TestClient, sign_in, db: Session
) -> None:
    _, h = sign_in()
    person = client.post(
        "/api/people", headers=h, json={"given_names": "A", "family_name": "B"}
    ).json()["person"]
    before = db.scalar(select(func.count()).select_from(Family))
    response = client.post(
        "/api/families",
        headers=h,
        json={
            "name": "Broken",
            "members": [
                {"person_id": person["id"], "role": "mother"},
                {"person_id": 999999, "role": "child"},
            ],
        },
    )
    assert response.status_code == 404
    assert _fields(response) == ["members.1.person_id"]
    assert db.scalar(select(func.count()).select_from(Family)) == before
    assert (
        db.scalar(
            select(func.count())
            .select_from(FamilyMember)
            .where(FamilyMember.person_id == person["id"])
        )
        == 0
    )


def test_signed_out_api_is_401(client: TestClient) -> None:
    assert client.get("/api/people/1").status_code == 401
