"""The demo family, as `make run` loads it, and the CLI that prints its case numbers."""

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app import demo
from app.auth.models import User
from app.cases import episodes
from app.cases import service as cases_service
from app.cli import main
from app.people import service as people


def test_demo_family_matches_the_brief(db: Session) -> None:
    numbers = demo.load(session=db)
    db.commit()
    assert len(numbers) == 4
    cases = [cases_service.get_case_by_number(session=db, case_number=n) for n in numbers]
    ages = [people.age_years(case.child.date_of_birth) for case in cases if case]
    assert ages == [1, 6, 8, 13]  # youngest first; Liam, 8, of another family
    ruby_months = demo.years_ago(1, 2)
    assert (date.today() - ruby_months).days // 30 in (13, 14)
    assert [case.child.disabled for case in cases if case] == [None, True, None, None]
    jade = cases_service.child_view(session=db, case_id=cases[1].id)  # type: ignore[union-attr]
    names = {p.person.full_name: p for p in jade.people}
    assert {"Kerry Walsh", "Dean Marshall", "Lee Hughes", "Pat Walsh", "Tyler Hughes"} <= set(names)
    assert names["Lee Hughes"].relationship_to_child == "father"
    assert not names["Lee Hughes"].lives_with_child  # the father lives elsewhere
    assert all(p.pen_picture for p in jade.people)
    assert {i.professional.agency_type for i in jade.professionals} >= {"gp", "school"}


def test_the_demo_has_a_looked_after_child_in_foster_care_who_moved(db: Session) -> None:
    numbers = demo.load(session=db)
    db.commit()
    found = [cases_service.get_case_by_number(session=db, case_number=n) for n in numbers]
    liam = next(case for case in found if case and case.child.given_names == "Liam")
    view = cases_service.child_view(session=db, case_id=liam.id)
    assert view.care is not None
    assert (view.care.legal_status, view.care.placement_type) == ("C1", "U4")
    assert view.care.carer_name == "Julie Bennett"
    assert liam.legal_status == "interim_care_order"
    carers = {
        p.person.full_name: p for p in view.people if p.relationship_to_child == "foster carer"
    }
    assert set(carers) == {"Sandra Mensah", "Julie Bennett"}
    assert all(p.person.address_confidential for p in carers.values())
    events = episodes.events_of(session=db, case_ids=[liam.id])[liam.id]
    story = episodes.story_of(events)
    assert [e.rne for e in story.episodes] == ["S", "L", "P"]
    assert story.episodes[-2].reason_place_change == "CARPL"  # on the episode the move ended


def test_demo_load_is_idempotent(db: Session) -> None:
    first = demo.load(session=db)
    db.commit()
    assert demo.load(session=db) == first
    assert demo.load(session=db, if_empty=True) == []


def test_demo_users_sign_in_with_the_published_password(db: Session, client: TestClient) -> None:
    demo.load(session=db)
    db.commit()
    roles = {u.username: u.role.value for u in db.scalars(select(User))}
    assert {"worker", "manager", "support", "chair", "auditor", "admin"} <= set(roles)
    response = client.post("/api/session", json={"username": "worker", "password": "demo-password"})
    assert response.status_code == 201
    assert len(client.get("/api/caseload").json()) == 4


def test_cli_refuses_demo_in_production(monkeypatch) -> None:
    from app.config import get_settings

    monkeypatch.setenv("ICS_ENV", "production")
    monkeypatch.delenv("ICS_FAST_PASSWORD_HASH", raising=False)
    monkeypatch.setenv("ICS_SECRET_KEY", "a-real-secret-for-this-test")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(main, ["demo", "load"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "Refused" in result.output
