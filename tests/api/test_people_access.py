"""The people API, closed: a person is reached only through a child whose case the user may see."""

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.audit.models import AuditEvent
from app.auth import service as auth
from app.auth.models import Role
from app.cli import main
from app.people.models import Family, FamilyMember
from tests.factories import Factory


def _family(factory: Factory, worker: Any) -> dict[str, Any]:
    factory._actor = worker
    child = factory.person(given_names="Ruby", family_name="Okonkwo")
    mother = factory.person(given_names="Adaeze", family_name="Okonkwo", date_of_birth=None)
    family = factory.family([(child, "child"), (mother, "parent")])
    case = factory.child_case(child=child, worker=worker)
    return {"child": child, "mother": mother, "case": case, "family_id": family.id}


def test_possible_duplicates_show_only_what_you_may_see_and_count_the_rest(
    client: TestClient, sign_in: Any, factory: Factory
) -> None:
    ours = _family(factory, factory.user(Role.SOCIAL_WORKER, team="Team A"))
    _, headers = sign_in(Role.SOCIAL_WORKER, team="Team B")
    query = {"given_names": "Adaeze", "family_name": "Okonkwo"}
    found = client.get("/api/people/matches", params=query, headers=headers).json()
    assert found["matches"] == []
    assert found["hidden"] == 1  # there is someone, in a record this worker may not see
    assert ours["mother"].id not in {m["person_id"] for m in found["matches"]}


def test_a_worker_cannot_open_a_case_on_another_teams_childs_mother(
    client: TestClient, sign_in: Any, factory: Factory, db: Session
) -> None:
    theirs = _family(factory, factory.user(Role.SOCIAL_WORKER, team="Team B"))
    me, headers = sign_in(Role.SOCIAL_WORKER, team="Team A")
    body = {"child_id": theirs["mother"].id, "allocated_worker_id": me.id}
    answer = client.post("/api/cases", json=body, headers=headers)
    assert answer.status_code == 403
    refused = db.scalar(
        select(AuditEvent).where(AuditEvent.actor_id == me.id, AuditEvent.allowed.is_(False))
    )
    assert refused is not None


def test_the_auditor_reads_but_never_renames_a_parent(
    client: TestClient, sign_in: Any, factory: Factory
) -> None:
    ours = _family(factory, factory.user(Role.SOCIAL_WORKER, team="Team A"))
    _, headers = sign_in(Role.AUDITOR, team="Audit")
    url = f"/api/people/{ours['mother'].id}"
    assert client.get(url, headers=headers).status_code == 200
    assert client.patch(url, json={"family_name": "X"}, headers=headers).status_code == 403


def test_someone_just_added_is_seen_only_by_whoever_added_them(
    client: TestClient, sign_in: Any
) -> None:
    _, adder = sign_in(Role.SOCIAL_WORKER, team="Team A")
    person = {"given_names": "New", "family_name": "Person", "date_of_birth": "2019-02-03"}
    added = client.post("/api/people", json=person, headers=adder).json()["person"]
    assert client.get(f"/api/people/{added['id']}", headers=adder).status_code == 200
    client.cookies.clear()
    _, colleague = sign_in(Role.SOCIAL_WORKER, team="Team A")
    assert client.get(f"/api/people/{added['id']}", headers=colleague).status_code == 403


def test_production_passwords_are_hashed_with_argon2id_as_recommended(monkeypatch: Any) -> None:
    from app.config import get_settings

    monkeypatch.delenv("ICS_FAST_PASSWORD_HASH")
    get_settings.cache_clear()
    auth.hasher.cache_clear()
    try:
        assert auth.hasher().hash("a long enough password").startswith("$argon2id$v=19$m=65536,t=3")
    finally:
        get_settings.cache_clear()
        auth.hasher.cache_clear()


def test_printing_from_the_command_line_is_checked_and_audited_as_the_named_user(
    tmp_path: Any, monkeypatch: Any
) -> None:
    from app.config import get_settings

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
        loaded = runner.invoke(main, ["demo", "load", "--with-records"])
        number = loaded.output.strip().splitlines()[-1].split()[-1]
        out = tmp_path / "family.pdf"
        args = ["print", "--case", number, "--record", "review", "--audience", "family"]
        refused = runner.invoke(main, [*args, "--as", "auditor", "--out", str(out)])
        assert refused.exit_code == 1 and not out.exists()
        printed = runner.invoke(main, [*args, "--as", "worker", "--out", str(out)])
        assert printed.exit_code == 0, printed.output
        assert out.read_bytes().startswith(b"%PDF")
    finally:
        get_settings.cache_clear()


def test_a_change_to_a_parent_is_on_every_childs_trail_and_a_search_says_what_was_sought(
    client: TestClient, sign_in: Any, factory: Factory, db: Session
) -> None:
    me, headers = sign_in(Role.SOCIAL_WORKER, team="Team A")
    ours = _family(factory, me)
    brother = factory.person(given_names="Obi", family_name="Okonkwo")
    family = db.get(Family, ours["family_id"])
    assert family is not None
    factory.session.add(FamilyMember(family_id=family.id, person_id=brother.id, role="child"))
    db.commit()
    second = factory.child_case(child=brother, worker=me)
    url = f"/api/people/{ours['mother'].id}"
    assert client.patch(url, json={"phone": "07700 900123"}, headers=headers).status_code == 200
    picture = {"who_they_are": "Mum", "strengths": "Loving"}
    assert client.post(f"{url}/pen-pictures", json=picture, headers=headers).status_code == 201
    for case in (ours["case"], second):
        trail = client.get(f"/api/cases/{case.id}/audit", headers=headers)
        assert trail.status_code == 403  # a worker may not read the trail; the manager may
    changes = db.scalars(
        select(AuditEvent.case_id).where(
            AuditEvent.action == "change", AuditEvent.target_id == ours["mother"].id
        )
    ).all()
    assert sorted(changes) == sorted([ours["case"].id, second.id] * 2)
    client.get("/search", params={"q": "Okonkwo"}, headers=headers)
    sought = db.scalar(
        select(AuditEvent.detail).where(AuditEvent.action == "search", AuditEvent.actor_id == me.id)
    )
    assert sought is not None and sought["query"] == "Okonkwo"
