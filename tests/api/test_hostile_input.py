"""Input that once gave a 500 or broke a record for good: each is now a 4xx naming the field,
and nothing is written."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import demo
from app.people.models import Family, Person
from app.records import service as records
from tests.api.test_records import Worker
from tests.factories import Factory, shipped_library


def _fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json()["detail"]]


@pytest.fixture()
def worker(db: Session, client: TestClient) -> Worker:
    demo.load(session=db)
    db.commit()
    return Worker(client)


def test_a_date_far_in_the_future_is_a_field_error_and_every_page_still_opens(
    worker: Worker, db: Session
) -> None:
    """31/12/9999 in a clock-start field, typed in the ordinary web form."""
    ruby = worker.children()["Ruby"]
    referral = worker.start(ruby, "referral_and_information")
    section = shipped_library().latest("referral_and_information").section_of["referral_date"]
    form = {
        "csrf_token": worker.headers["X-CSRF-Token"],
        "base_revision": str(referral["revision"]),
        "referral_date-day": "31",
        "referral_date-month": "12",
        "referral_date-year": "9999",
    }
    url = f"/records/{referral['id']}/sections/{section}"
    page = worker.client.post(url, data=form, headers={"accept": "text/html"})
    assert page.status_code == 200 and "or earlier" in page.text  # shown on the field
    assert "referral_date" not in records.get(session=db, record_id=referral["id"]).answers
    for path in ("/caseload", f"/children/{ruby}", f"/records/{referral['id']}"):
        assert worker.client.get(path).status_code == 200, path


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        ({"value": "x" * 200_000}, "longer than"),
        ({"value": "Kerry\x00Walsh"}, "NUL"),
    ],
)
def test_a_narrative_too_long_or_with_a_nul_is_refused_by_name(
    worker: Worker, answer: dict[str, Any], why: str
) -> None:
    note = worker.start(worker.children()["Ruby"], "case_note")
    response = worker.client.patch(
        f"/api/records/{note['id']}/answers",
        json={"base_revision": note["revision"], "answers": {"note": answer}},
        headers=worker.headers,
    )
    if response.status_code == 200:  # refused by the engine, named in errors
        assert why in response.json()["errors"]["note"]
    else:
        assert response.status_code == 422 and why in response.text


def test_a_value_nested_hundreds_deep_is_refused_at_the_door(worker: Worker, db: Session) -> None:
    note = worker.start(worker.children()["Ruby"], "case_note")
    deep: Any = "bottom"
    for _ in range(490):
        deep = [deep]
    response = worker.client.patch(
        f"/api/records/{note['id']}/answers",
        json={"base_revision": note["revision"], "answers": {"note": {"value": deep}}},
        headers=worker.headers,
    )
    assert response.status_code == 422
    assert _fields(response) == ["answers"] and "nested" in response.text
    assert worker.client.get(f"/api/records/{note['id']}/revisions").status_code == 200


def test_ten_thousand_group_rows_are_refused(worker: Worker) -> None:
    plan = worker.start(worker.children()["Jade"], "childs_plan")
    rows = [{"what": f"row {n}"} for n in range(10_000)]
    saved = worker.save(plan, {"plan_lines": {"value": rows}})
    assert "no more than" in saved["errors"]["plan_lines"]


def test_patching_a_person_with_both_dates_or_nulls_names_the_field(
    client: TestClient, sign_in: Any, factory: Factory, db: Session
) -> None:
    me, headers = sign_in()
    factory._actor = me
    child = factory.person()
    factory.child_case(child=child, worker=me)
    url = f"/api/people/{child.id}"
    both = client.patch(url, json={"expected_date": "2027-01-01"}, headers=headers)
    assert both.status_code == 422 and _fields(both) == ["expected_date"]
    cleared = client.patch(url, json={"given_names": None}, headers=headers)
    assert cleared.status_code == 422 and _fields(cleared) == ["given_names"]
    nul = client.patch(url, json={"known_as": "A\x00B"}, headers=headers)
    assert nul.status_code == 422 and _fields(nul) == ["known_as"]
    assert db.get(Person, child.id).given_names == child.given_names  # type: ignore[union-attr]


def test_a_household_naming_someone_twice_is_refused_whole(
    client: TestClient, sign_in: Any, factory: Factory, db: Session
) -> None:
    me, headers = sign_in()
    factory._actor = me
    mum = factory.person(date_of_birth=None)
    before = db.scalar(select(func.count(Family.id)))
    body = {
        "name": "Twice",
        "members": [{"person_id": mum.id, "role": "parent"}, {"person_id": mum.id}],
    }
    response = client.post("/api/families", json=body, headers=headers)
    assert response.status_code == 422 and _fields(response) == ["members"]
    assert db.scalar(select(func.count(Family.id))) == before


def test_a_sibling_group_for_an_unknown_family_is_a_404_naming_it(
    worker: Worker, db: Session
) -> None:
    children = worker.children()
    manager = worker.manager
    body = {
        "exemplar_id": "referral_and_information",
        "case_ids": [children["Ruby"], children["Jade"]],
        "family_id": 2_000_000_000,
    }
    response = manager.client.post("/api/record-groups", json=body, headers=manager.headers)
    assert response.status_code == 404 and _fields(response) == ["family_id"]


@pytest.mark.parametrize(
    ("posted", "field"),
    [
        ({"base_revision": "abc", "note": "Hi"}, "base_revision"),  # a revision never given
        ({"base_revision": "1", "note": "A\x00B"}, "note"),  # a NUL the database cannot store
    ],
)
def test_a_web_form_with_what_a_page_never_sends_is_a_field_error(
    worker: Worker, posted: dict[str, str], field: str
) -> None:
    note = worker.start(worker.children()["Ruby"], "case_note")
    form = {"csrf_token": worker.headers["X-CSRF-Token"], **posted}
    response = worker.client.post(
        f"/records/{note['id']}/sections/what_happened",
        data=form,
        headers={"accept": "application/json"},
    )
    assert response.status_code == 422 and _fields(response) == [field]
