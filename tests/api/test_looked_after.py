"""A looked-after child's care events through the JSON API: becoming looked after, a legal
status, a move, the end of care and a correction, each appended; the SSDA903 episodes worked out
from them (RNE, REC); the case's legal status in step; who may write; bad input named."""

import re
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.auth.models import Role, User
from app.cases.models import CareEvent, Case
from app.people.models import Person
from tests.conftest import PASSWORD
from tests.factories import Factory

TODAY = date.today()


def _day(days_ago: int) -> str:
    return (TODAY - timedelta(days=days_ago)).isoformat()


def _child_with_carers(factory: Factory, worker: User) -> tuple[Case, Person, Person]:
    child = factory.person(given_names="Mia", date_of_birth=date(2016, 4, 2))
    first = factory.person(given_names="Sandra", family_name="Okafor", date_of_birth=None)
    second = factory.person(given_names="Neil", family_name="Barnes", date_of_birth=None)
    factory.relationship(first, child, "foster_carer")
    factory.relationship(second, child, "foster_carer")
    return factory.child_case(child=child, worker=worker), first, second


def _post(client: TestClient, headers: dict[str, str], case_id: int, body: dict[str, Any]) -> Any:
    return client.post(f"/api/cases/{case_id}/looked-after/events", json=body, headers=headers)


def _start(carer: Person, days_ago: int = 100) -> dict[str, Any]:
    return {
        "kind": "start",
        "on": _day(days_ago),
        "legal_status": "V2",
        "category_of_need": "N1",
        "placement_type": "U6",
        "provider": "PR1",
        "carer_id": carer.id,
        "postcode": "tw1 3aa",  # kept in capitals
    }


def test_a_child_becomes_looked_after_moves_and_leaves_care_as_episodes(
    db: Session, client: TestClient, sign_in: Any, factory: Factory
) -> None:
    worker, headers = sign_in(Role.SOCIAL_WORKER)
    case, first, second = _child_with_carers(factory, worker)

    assert _post(client, headers, case.id, _start(first)).status_code == 201
    db.expire_all()
    assert db.get(Case, case.id).legal_status == "section_20"  # type: ignore[union-attr]

    order = {"kind": "legal_status", "on": _day(60), "legal_status": "C1"}
    assert _post(client, headers, case.id, order).status_code == 201
    move = {
        "kind": "placement",
        "on": _day(30),
        "placement_type": "U4",
        "provider": "PR1",
        "carer_id": second.id,
        "postcode": "RV2 9XY",
        "reason_place_change": "CARPL",
    }
    assert _post(client, headers, case.id, move).status_code == 201
    seen = client.get(f"/api/cases/{case.id}/looked-after", headers=headers).json()
    assert seen["looked_after"] is True
    episodes = seen["episodes"]
    assert [e["reason_new_episode"] for e in episodes] == ["S", "L", "P"]
    assert [e["reason_ceased"] for e in episodes] == ["X1", "X1", None]
    assert episodes[0]["end"] == _day(60) and episodes[1]["start"] == _day(60)
    assert episodes[0]["postcode"] == "TW1 3AA"
    assert seen["current"]["carer_id"] == second.id
    # The reason for a move is on the episode the move ended, as the return wants it.
    assert [e["reason_place_change"] for e in episodes] == [None, "CARPL", None]
    db.expire_all()
    assert db.get(Case, case.id).legal_status == "interim_care_order"  # type: ignore[union-attr]

    ended = {"kind": "ceased", "on": _day(1), "reason_ceased": "E4A"}
    assert _post(client, headers, case.id, ended).status_code == 201
    seen = client.get(f"/api/cases/{case.id}/looked-after", headers=headers).json()
    assert seen["looked_after"] is False and seen["current"] is None
    assert seen["episodes"][-1]["reason_ceased"] == "E4A"
    assert seen["episodes"][-1]["end"] == _day(1)
    db.expire_all()
    assert db.get(Case, case.id).legal_status == "cin"  # type: ignore[union-attr]
    # Every write is on the child's trail; the read of the history too.
    kinds = db.scalars(
        select(AuditEvent.action).where(AuditEvent.case_id == case.id).order_by(AuditEvent.id)
    ).all()
    assert kinds.count("care.event") == 4
    assert "child.view" in kinds


def test_a_change_of_placement_with_the_same_carer_is_t_and_with_a_new_status_u(
    client: TestClient, sign_in: Any, factory: Factory
) -> None:
    worker, headers = sign_in(Role.SOCIAL_WORKER)
    case, first, _ = _child_with_carers(factory, worker)
    _post(client, headers, case.id, _start(first))
    long_term = {
        "kind": "placement",
        "on": _day(50),
        "placement_type": "U4",
        "provider": "PR1",
        "carer_id": first.id,
        "postcode": "RV1 4AB",
        "reason_place_change": "PLACE",
    }
    assert _post(client, headers, case.id, long_term).status_code == 201
    same_day = [
        {"kind": "legal_status", "on": _day(20), "legal_status": "C2"},
        {**long_term, "on": _day(20), "provider": "PR4", "reason_place_change": "CARPL"},
    ]
    for body in same_day:
        assert _post(client, headers, case.id, body).status_code == 201
    seen = client.get(f"/api/cases/{case.id}/looked-after", headers=headers).json()
    assert [e["reason_new_episode"] for e in seen["episodes"]] == ["S", "T", "U"]


def test_a_correction_is_kept_beside_what_it_corrects(
    db: Session, client: TestClient, sign_in: Any, factory: Factory
) -> None:
    worker, headers = sign_in(Role.SOCIAL_WORKER)
    case, first, _ = _child_with_carers(factory, worker)
    _post(client, headers, case.id, _start(first))
    wrong = _post(
        client, headers, case.id, {"kind": "legal_status", "on": _day(40), "legal_status": "C2"}
    )
    wrong_id = wrong.json()["events"][-1]["id"]
    fix = {
        "kind": "legal_status",
        "on": _day(40),
        "legal_status": "C1",
        "corrects_id": wrong_id,
        "note": "The court made an interim order, not a full one.",
    }
    assert _post(client, headers, case.id, fix).status_code == 201
    seen = client.get(f"/api/cases/{case.id}/looked-after", headers=headers).json()
    assert [e["legal_status"] for e in seen["episodes"]] == ["V2", "C1"]
    kept = {e["id"]: e for e in seen["events"]}
    assert kept[wrong_id]["legal_status"] == "C2"  # nothing overwritten
    assert kept[wrong_id]["corrected_by_id"] == seen["events"][-1]["id"]
    assert db.scalar(select(CareEvent).where(CareEvent.id == wrong_id)) is not None
    again = _post(client, headers, case.id, {**fix, "legal_status": "C2"})
    assert again.status_code == 422
    assert again.json()["detail"][0]["field"] == "corrects_id"


def test_bad_input_names_the_field_and_writes_nothing(
    db: Session, client: TestClient, sign_in: Any, factory: Factory
) -> None:
    worker, headers = sign_in(Role.SOCIAL_WORKER)
    case, first, _ = _child_with_carers(factory, worker)
    stranger = factory.person(given_names="Stranger")
    cases_of_bad = [
        ({**_start(first), "legal_status": "ZZ"}, "legal_status"),
        ({**_start(first), "placement_type": None}, "placement_type"),
        ({**_start(first), "carer_id": stranger.id}, "carer_id"),
        ({**_start(first), "on": (TODAY + timedelta(days=3)).isoformat()}, "on"),
        ({**_start(first), "reason_ceased": "E4A"}, "reason_ceased"),
        ({**_start(first), "postcode": "NOT A CODE"}, "postcode"),
        ({**_start(first), "upn": "B12"}, "upn"),
        ({"kind": "legal_status", "on": _day(5), "legal_status": "C1"}, "on"),
        ({"kind": "ceased", "on": _day(5)}, "reason_ceased"),
        ({**_start(first), "on": "not a date"}, "on"),
    ]
    for body, field in cases_of_bad:
        answer = _post(client, headers, case.id, body)
        assert answer.status_code == 422, (body, answer.text)
        assert answer.json()["detail"][0]["field"] == field, (body, answer.text)
    assert db.scalars(select(CareEvent).where(CareEvent.case_id == case.id)).all() == []
    _post(client, headers, case.id, _start(first, days_ago=10))
    early = {"kind": "legal_status", "on": _day(20), "legal_status": "C1"}
    answer = _post(client, headers, case.id, early)
    assert answer.status_code == 422 and answer.json()["detail"][0]["field"] == "on"
    twice = _post(client, headers, case.id, _start(first, days_ago=5))
    assert twice.status_code == 422 and twice.json()["detail"][0]["field"] == "kind"


def test_only_the_childs_worker_and_manager_may_write_and_refusals_are_kept(
    db: Session, client: TestClient, sign_in: Any, make_user: Any, factory: Factory
) -> None:
    owner = make_user(Role.SOCIAL_WORKER)
    case, first, _ = _child_with_carers(factory, owner)
    for role in (Role.SOCIAL_WORKER, Role.BUSINESS_SUPPORT, Role.CONFERENCE_CHAIR, Role.AUDITOR):
        client.cookies.clear()
        _, headers = sign_in(role)
        answer = _post(client, headers, case.id, _start(first))
        assert answer.status_code == 403, (role, answer.text)
    client.cookies.clear()
    _, headers = sign_in(Role.TEAM_MANAGER)
    assert _post(client, headers, case.id, _start(first)).status_code == 201
    refused = db.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.allowed.is_(False))
    ).all()
    assert len(refused) == 4


def _page_sign_in(client: TestClient, user: User) -> str:
    page = client.get("/sign-in").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    form = {"username": user.username, "password": PASSWORD, "csrf_token": token[1]}
    landed = client.post("/sign-in", data=form)
    found = re.search(r'name="csrf_token" value="([^"]+)"', landed.text)
    assert found, landed.text[:300]
    return found[1]


def _date_form(on: date) -> dict[str, str]:
    return {"on-day": str(on.day), "on-month": str(on.month), "on-year": str(on.year)}


def test_the_pages_record_becoming_looked_after_a_move_and_a_correction_without_javascript(
    db: Session, client: TestClient, make_user: Any, factory: Factory
) -> None:
    worker = make_user(Role.SOCIAL_WORKER)
    case, first, second = _child_with_carers(factory, worker)
    token = _page_sign_in(client, worker)
    base = f"/children/{case.id}/looked-after"
    assert "is not looked after" in client.get(base).text
    start_form = client.get(f"{base}/start").text
    assert "Sandra Okafor" in start_form and "Interim care order (C1)" in start_form

    became = TODAY - timedelta(days=40)
    missing = {
        "csrf_token": token,
        **_date_form(became),
        "category_of_need": "N1",
        "placement_type": "U6",
        "provider": "PR1",
    }
    refused = client.post(f"{base}/start", data=missing)
    assert refused.status_code == 400
    assert 'href="#legal_status"' in refused.text and "Choose a legal status" in refused.text
    assert 'value="U6" selected' in refused.text  # what was typed is kept
    assert db.scalars(select(CareEvent).where(CareEvent.case_id == case.id)).all() == []

    taken = {**missing, "legal_status": "V2", "carer_id": str(first.id), "postcode": "RV1 4AB"}
    done = client.post(f"{base}/start", data=taken, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == base
    moved_on = TODAY - timedelta(days=10)
    move = {
        "csrf_token": token,
        **_date_form(moved_on),
        "placement_type": "U4",
        "provider": "PR1",
        "carer_id": str(second.id),
        "reason_place_change": "CARPL",
    }
    assert client.post(f"{base}/move", data=move, follow_redirects=False).status_code == 303
    history = client.get(base).text
    assert "Foster care with another carer, long-term (U4)" in history
    assert "Change of placement and carer only (P)" in history
    child_page = client.get(f"/children/{case.id}").text
    assert f"Looked after since {became:%-d %B %Y}" in child_page
    assert "with Neil Barnes" in child_page  # the identity bar and the inset

    moved = db.scalars(
        select(CareEvent).where(CareEvent.case_id == case.id, CareEvent.kind == "placement")
    ).one()
    assert f"{base}/move?corrects={moved.id}" in history
    form = client.get(f"{base}/move?corrects={moved.id}").text
    assert 'name="corrects_id"' in form and 'value="CARPL" selected' in form
    fix = {**move, "reason_place_change": "CREQO", "corrects_id": str(moved.id)}
    no_note = client.post(f"{base}/move", data=fix)
    assert no_note.status_code == 400 and 'href="#note"' in no_note.text
    fix["note"] = "The carers asked for the move, for family reasons."
    assert client.post(f"{base}/move", data=fix, follow_redirects=False).status_code == 303
    history = client.get(base).text
    assert "No longer counted" in history
    assert "The carer asked for the placement to end, for other reasons (CREQO)" in history


def test_the_upn_given_on_becoming_looked_after_is_the_childs_own_and_never_a_second_copy(
    db: Session, client: TestClient, sign_in: Any, factory: Factory
) -> None:
    worker, headers = sign_in(Role.SOCIAL_WORKER)
    case, first, _ = _child_with_carers(factory, worker)
    # Shaped like a UPN, but its check letter is wrong: named, and nothing written.
    wrong = _post(client, headers, case.id, {**_start(first), "upn": "A318200118002"})
    assert wrong.status_code == 422, wrong.text
    assert wrong.json()["detail"][0]["field"] == "upn"
    assert "check letter" in wrong.json()["detail"][0]["message"]
    assert db.scalars(select(CareEvent).where(CareEvent.case_id == case.id)).all() == []

    started = _post(client, headers, case.id, {**_start(first), "upn": "p318200118002"})
    assert started.status_code == 201, started.text
    db.expire_all()
    child = db.get_one(Person, case.child_id)
    assert (child.upn, child.upn_unknown_reason) == ("P318200118002", None)
    assert db.scalars(select(CareEvent.upn).where(CareEvent.case_id == case.id)).all() == [None]
    changed = db.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.target_type == "person")
    ).all()
    assert [e.detail["after"] for e in changed if "upn" in e.detail.get("after", {})] == [
        {"upn": "P318200118002", "upn_unknown_reason": None}
    ]
    event = db.scalars(select(CareEvent).where(CareEvent.case_id == case.id)).one()
    # The correction's form shows the UPN from the child's details.
    form = client.get(f"/children/{case.id}/looked-after/start?corrects={event.id}")
    assert form.status_code == 200 and 'value="P318200118002"' in form.text
    # A reason it is not known never replaces the UPN the child's details hold.
    fix = {**_start(first), "upn": "UN1", "corrects_id": event.id, "note": "Typo"}
    refused = _post(client, headers, case.id, fix)
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "upn"
    db.expire_all()
    assert db.get_one(Person, case.child_id).upn == "P318200118002"
    assert len(db.scalars(select(CareEvent).where(CareEvent.case_id == case.id)).all()) == 1
