"""People, families and pen-pictures through the API: entered once, seen by every sibling."""

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.people.models import PenPicture


def _person(client: TestClient, headers: dict[str, str], **fields: object) -> dict:
    response = client.post("/api/people", json=fields, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_siblings_share_family_and_pen_pictures(client: TestClient, sign_in, db: Session) -> None:
    worker, h = sign_in()
    mum = _person(client, h, given_names="Kerry", family_name="Walsh", date_of_birth="1994-03-02")[
        "person"
    ]
    jade = _person(client, h, given_names="Jade", family_name="Hughes", date_of_birth="2020-08-01")[
        "person"
    ]
    tyler = _person(
        client, h, given_names="Tyler", family_name="Hughes", date_of_birth="2013-06-15"
    )["person"]
    family = client.post(
        "/api/families",
        headers=h,
        json={
            "name": "Walsh household",
            "members": [
                {"person_id": mum["id"], "role": "mother"},
                {"person_id": jade["id"], "role": "child"},
                {"person_id": tyler["id"], "role": "child"},
            ],
        },
    )
    assert family.status_code == 201, family.text
    picture = client.post(
        f"/api/people/{mum['id']}/pen-pictures",
        headers=h,
        json={"who_they_are": "Mum to Jade and Tyler", "strengths": "Warm"},
    )
    assert picture.status_code == 201
    for child in (jade, tyler):
        client.post(
            "/api/relationships",
            headers=h,
            json={"person_id": mum["id"], "other_person_id": child["id"], "type_code": "mother"},
        )
    views = []
    for child in (jade, tyler):
        case = client.post(
            "/api/cases",
            headers=h,
            json={"child_id": child["id"], "allocated_worker_id": worker.id},
        )
        assert case.status_code == 201, case.text
        views.append(client.get(f"/api/children/{case.json()['id']}").json())
    jade_view, tyler_view = views
    assert [f["id"] for f in jade_view["families"]] == [f["id"] for f in tyler_view["families"]]
    jade_mum = next(p for p in jade_view["people"] if p["person"]["id"] == mum["id"])
    tyler_mum = next(p for p in tyler_view["people"] if p["person"]["id"] == mum["id"])
    assert jade_mum["pen_picture"]["id"] == tyler_mum["pen_picture"]["id"] == picture.json()["id"]
    assert jade_mum["relationship_to_child"] == "mother"
    stored = db.scalar(
        select(func.count()).select_from(PenPicture).where(PenPicture.person_id == mum["id"])
    )
    assert stored == 1


def test_pen_picture_history_keeps_every_version(client: TestClient, sign_in) -> None:
    _, h = sign_in()
    person = _person(client, h, given_names="Dean", family_name="Marshall")["person"]
    for text in ("Quiet", "Quiet and practical"):
        client.post(
            f"/api/people/{person['id']}/pen-pictures", headers=h, json={"what_they_are_like": text}
        )
    history = client.get(f"/api/people/{person['id']}/pen-pictures").json()
    assert [(p["version"], p["what_they_are_like"]) for p in history] == [
        (2, "Quiet and practical"),
        (1, "Quiet"),
    ]


def test_adding_a_likely_duplicate_warns(client: TestClient, sign_in) -> None:
    _, h = sign_in()
    first = _person(client, h, given_names="Jaden", family_name="Smith", date_of_birth="2016-02-29")
    assert first["warnings"] == []
    second = _person(
        client, h, given_names="Jayden", family_name="Smith", date_of_birth="2016-02-29"
    )
    assert [w["person_id"] for w in second["warnings"]] == [first["person"]["id"]]
    assert "same date of birth" in second["warnings"][0]["reason"]


def test_unknown_never_replaces_a_known_relationship(client: TestClient, sign_in) -> None:
    _, h = sign_in()
    a = _person(client, h, given_names="Lee", family_name="Hughes")["person"]
    b = _person(client, h, given_names="Tyler", family_name="Hughes")["person"]
    body = {"person_id": a["id"], "other_person_id": b["id"], "type_code": "father"}
    assert client.post("/api/relationships", headers=h, json=body).status_code == 201
    unknown = client.post("/api/relationships", headers=h, json={**body, "type_code": "unknown"})
    assert unknown.status_code == 409
    assert unknown.json()["detail"][0]["field"] == "type_code"


def test_person_changes_keep_before_and_after(client: TestClient, sign_in, db: Session) -> None:
    from app.audit.models import AuditEvent

    _, h = sign_in()
    person = _person(client, h, given_names="Pat", family_name="Walsh", address="2 Mill Lane")[
        "person"
    ]
    response = client.patch(
        f"/api/people/{person['id']}", headers=h, json={"address": "9 New Road"}
    )
    assert response.status_code == 200 and response.json()["address"] == "9 New Road"
    event = db.scalars(
        select(AuditEvent).where(
            AuditEvent.target_id == person["id"], AuditEvent.target_type == "person"
        )
    ).one()
    assert event.detail == {
        "before": {"address": "2 Mill Lane"},
        "after": {"address": "9 New Road"},
    }


def test_case_lifecycle_keeps_history(client: TestClient, sign_in) -> None:
    _, h = sign_in(Role.TEAM_MANAGER)  # closing and reopening a case is the manager's decision
    child = _person(
        client, h, given_names="Ruby", family_name="Marshall", date_of_birth="2025-09-01"
    )["person"]
    case = client.post("/api/cases", headers=h, json={"child_id": child["id"]}).json()
    assert case["case_number"].startswith("CN-") and case["status"] == "open"
    assert (
        client.post(
            f"/api/cases/{case['id']}/close", headers=h, json={"reason": "Needs met"}
        ).json()["status"]
        == "closed"
    )
    assert (
        client.post(
            f"/api/cases/{case['id']}/reopen", headers=h, json={"reason": "New referral"}
        ).json()["status"]
        == "reopened"
    )
    history = client.get(f"/api/children/{case['id']}").json()["history"]
    assert [e["kind"] for e in history] == ["opened", "closed", "reopened"]
    assert client.get(f"/api/cases/by-number/{case['case_number']}").json()["id"] == case["id"]
    again = client.post("/api/cases", headers=h, json={"child_id": child["id"]})
    assert again.status_code == 409
