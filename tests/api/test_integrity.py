"""Integrity against a hostile or careless client: who is typed for, lost updates, provenance,
sign-off."""

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import demo
from app.audit.models import AuditEvent
from app.auth.models import Role, User
from app.records import service as records
from tests.api.test_records import Worker, value
from tests.conftest import PASSWORD
from tests.factories import Factory

NOTE = {
    "event_date": value("2026-11-20"),
    "note_type": value("home_visit"),
    "note": value("Seen at home."),
}


def _demo(db: Session, client: TestClient) -> Worker:
    demo.load(session=db)
    db.commit()
    return Worker(client)


def test_support_types_only_for_the_childs_allocated_worker(
    db: Session, client: TestClient, factory: Factory
) -> None:
    worker = _demo(db, client)
    support = Worker(TestClient(client.app), "support")
    ruby = worker.children()["Ruby"]
    stranger = factory.user(Role.TEAM_MANAGER, team="Team B")
    url = f"/api/cases/{ruby}/records"
    body = {"exemplar_id": "case_note", "on_behalf_of_id": stranger.id}
    refused = support.client.post(url, json=body, headers=support.headers)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "on_behalf_of_id"
    started = support.post(url, 201, exemplar_id="case_note")  # no one named: the allocated worker
    allocated = db.scalar(select(User).where(User.username == "worker"))
    assert allocated is not None
    assert records.get(session=db, record_id=started["id"]).author_id == allocated.id


def test_a_base_revision_from_the_future_is_refused_and_overwrites_nothing(
    db: Session, client: TestClient
) -> None:
    worker = _demo(db, client)
    note = worker.start(worker.children()["Ruby"], "case_note")
    worker.save(note, NOTE)
    body = {"base_revision": 2**31 - 1, "answers": {"note": value("Overwritten.")}}
    answer = client.patch(f"/api/records/{note['id']}/answers", json=body, headers=worker.headers)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == "base_revision"
    assert records.get(session=db, record_id=note["id"]).answers["note"]["value"] == "Seen at home."


def test_a_client_cannot_forge_where_a_value_came_from(db: Session, client: TestClient) -> None:
    worker = _demo(db, client)
    note = worker.start(worker.children()["Ruby"], "case_note")
    forged = {
        "value": "A court said so.",
        "prefilled": {"source": "Court order", "on": "2020-01-01"},
    }
    worker.save(note, {"note": forged})
    stored = records.get(session=db, record_id=note["id"]).answers["note"]
    assert stored["value"] == "A court said so."
    assert "prefilled" not in stored


def test_nobody_signs_off_what_they_wrote(
    db: Session, client: TestClient, factory: Factory
) -> None:
    worker = _demo(db, client)
    manager = worker.manager
    note = manager.start(worker.children()["Ruby"], "case_note")
    manager.save(note, NOTE)
    manager.post(f"/api/records/{note['id']}/submit")
    refused = manager.client.post(f"/api/records/{note['id']}/finalise", headers=manager.headers)
    assert refused.status_code == 403
    me = db.scalar(select(User).where(User.username == "manager"))
    assert me is not None
    kept = db.scalar(
        select(AuditEvent).where(AuditEvent.actor_id == me.id, AuditEvent.allowed.is_(False))
    )
    assert kept is not None
    team = me.team.name if me.team else "Team A"
    other = factory.user(Role.TEAM_MANAGER, team=team, password=PASSWORD)
    second = Worker(TestClient(client.app), other.username, password=PASSWORD)
    second.post(f"/api/records/{note['id']}/finalise")
    assert records.get(session=db, record_id=note["id"]).status == records.RecordStatus.FINALISED
