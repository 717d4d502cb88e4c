"""Who may do what, route by route and role by role, as the permission table says; and dictation."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import demo
from app.audit.models import AuditEvent
from app.auth.models import Role, User
from app.cases.models import CaseAccess
from app.printing import service as printing
from app.records import service as records
from tests.api.test_records import Worker, value
from tests.conftest import PASSWORD
from tests.factories import Factory, shipped_library

KINDS = ("mine", "other_team", "restricted", "restricted_named")
# route → (method, path, body); {case} is filled in per kind of case
ROUTES: dict[str, tuple[str, str, dict[str, Any] | None]] = {
    "child": ("GET", "/api/children/{case}", None),
    "page": ("GET", "/children/{case}", None),
    "records": ("GET", "/api/cases/{case}/records", None),
    "start": ("POST", "/api/cases/{case}/records", {"exemplar_id": "case_note"}),
    "seen": ("GET", "/api/cases/{case}/audit", None),  # who has seen this child's record
    "close": ("POST", "/api/cases/{case}/close", {"reason": "Needs met"}),
}
# Y allowed, N refused, per kind of case: mine, another team's, restricted, restricted and named.
# Business support "start" a record as a typist for the allocated worker, who stays its author.
TABLE = """
role              child page  records start seen  close
social_worker     YNNY  YNNY  YNNY    YNNY  NNNN  NNNN
team_manager      YNNY  YNNY  YNNY    YNNY  YNNY  YNNY
business_support  YNNY  YNNY  YNNY    YNNY  NNNN  NNNN
conference_chair  YNNY  YNNY  YNNY    YNNY  NNNN  NNNN
personal_adviser  YNNY  YNNY  YNNY    YNNY  NNNN  NNNN
auditor           YYNY  YYNY  YYNY    NNNN  YYNY  NNNN
system_admin      NNNN  NNNN  NNNN    NNNN  NNNN  NNNN
data_manager      NNNN  NNNN  NNNN    NNNN  NNNN  NNNN
"""


def _expected() -> dict[Role, dict[str, str]]:
    header, *rows = TABLE.split("\n")[1:-1]
    names = header.split()[1:]
    return {Role(row.split()[0]): dict(zip(names, row.split()[1:], strict=True)) for row in rows}


EXPECTED = _expected()


def _cases(factory: Factory, me: Any) -> dict[str, int]:
    """Cases of each kind; a social worker's own team cases are allocated to them."""
    colleague = (
        me if me.role == Role.SOCIAL_WORKER else factory.user(Role.SOCIAL_WORKER, team="Team A")
    )
    stranger = factory.user(Role.SOCIAL_WORKER, team="Team B")
    cases = {
        "mine": factory.child_case(worker=colleague),
        "other_team": factory.child_case(worker=stranger),
        "restricted": factory.child_case(worker=colleague, restricted=True),
        "restricted_named": factory.child_case(worker=colleague, restricted=True),
    }
    factory.session.add(CaseAccess(case_id=cases["restricted_named"].id, user_id=me.id))
    factory.session.commit()
    return {kind: case.id for kind, case in cases.items()}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_route_answers_each_role_as_the_table_says(
    role: Role, client: TestClient, make_user: Any, factory: Factory, db: Session
) -> None:
    me = make_user(role, team="Team A")
    cases = _cases(factory, me)
    signed = client.post("/api/session", json={"username": me.username, "password": PASSWORD})
    headers = {"X-CSRF-Token": signed.json()["csrf_token"]}
    wrong = []
    for name, (method, path, body) in ROUTES.items():
        for index, kind in enumerate(KINDS):
            url = path.format(case=cases[kind])
            response = client.request(
                method, url, json=body, headers=headers, follow_redirects=False
            )
            got = response.status_code < 400
            if got != (EXPECTED[role][name][index] == "Y"):
                wrong.append(f"{name} on {kind}: {response.status_code}")
    assert wrong == [], wrong
    denials = db.scalars(
        select(AuditEvent).where(AuditEvent.actor_id == me.id, AuditEvent.allowed.is_(False))
    ).all()
    assert denials, "denied requests are audited too"


def test_anonymous_gets_nothing(client: TestClient, factory: Factory) -> None:
    case = factory.child_case()
    for _, (method, path, body) in ROUTES.items():
        response = client.request(
            method, path.format(case=case.id), json=body, follow_redirects=False
        )
        assert response.status_code in (401, 303), path  # API: sign in; pages: to the sign-in page


@pytest.fixture()
def demo_family(db: Session, client: TestClient) -> Worker:
    demo.load(session=db)
    db.commit()
    return Worker(client)


def test_dictation_waits_for_the_author_before_families_and_courts(
    demo_family: Worker, db: Session
) -> None:
    worker = demo_family
    support = Worker(TestClient(worker.client.app), "support")
    ruby = worker.children()["Ruby"]
    me = worker.get("/api/me")
    note = support.post(
        f"/api/cases/{ruby}/records", 201, exemplar_id="case_note", on_behalf_of_id=me["id"]
    )
    typed = {
        "event_date": value("2026-11-20"),
        "note_type": value("home_visit"),
        "note": value("Dictated: Ruby well."),
    }
    body = {"base_revision": note["revision"], "answers": typed, "on_behalf_of_id": me["id"]}
    saved = support.client.patch(
        f"/api/records/{note['id']}/answers", json=body, headers=support.headers
    )
    assert saved.status_code == 200, saved.text
    library = shipped_library()
    record = records.get(session=db, record_id=note["id"])
    actor = db.get_one(User, me["id"])
    for audience in ("family", "court"):
        document, withheld = printing.build(
            session=db, library=library, record=record, audience=audience, author=actor
        )
        texts = " ".join(a.text or "" for s in document.sections for a in s.answers)
        assert "Dictated: Ruby well." not in texts
        assert any("not yet checked" in w.why for w in withheld)
    worker_copy, _ = printing.build(
        session=db, library=library, record=record, audience="worker", author=actor
    )
    sources = [
        a.source or ""
        for s in worker_copy.sections
        for a in s.answers
        if a.text == "Dictated: Ruby well."
    ]
    assert sources and "awaiting their check" in sources[0]
    worker.post(f"/api/records/{note['id']}/confirm", 200)
    db.expire_all()
    record = records.get(session=db, record_id=note["id"])
    family, _ = printing.build(
        session=db, library=library, record=record, audience="family", author=actor
    )
    assert "Dictated: Ruby well." in " ".join(
        a.text or "" for s in family.sections for a in s.answers
    )
    confirmed = record.answers["note"]["provenance"]
    assert confirmed["typed_by"] and confirmed["confirmed_by"] == actor.full_name


def test_business_support_cannot_approve_or_write_judgement(
    demo_family: Worker, db: Session
) -> None:
    worker = demo_family
    support = Worker(TestClient(worker.client.app), "support")
    me = worker.get("/api/me")
    core = worker.start(worker.children()["Jade"], "core_assessment")
    judged = [
        f
        for s in worker.get("/api/exemplars/core_assessment")["sections"]
        for f in s["fields"]
        if f.get("author_only")
    ]
    assert judged
    body = {
        "base_revision": core["revision"],
        "answers": {judged[0]["id"]: value("My view")},
        "on_behalf_of_id": me["id"],
    }
    refused = support.client.patch(
        f"/api/records/{core['id']}/answers", json=body, headers=support.headers
    )
    assert refused.status_code == 403
    assert refused.json()["detail"][0]["field"] == judged[0]["id"]
    assert (
        db.scalar(select(AuditEvent).where(AuditEvent.action == "denied.author_only")) is not None
    )
    support.post(f"/api/records/{core['id']}/finalise", 403)


def test_a_manager_approves_from_the_queue_and_the_next_step_need_not_wait(
    demo_family: Worker,
) -> None:
    worker = demo_family
    tyler = worker.children()["Tyler"]
    referral = worker.start(tyler, "referral_and_information")
    worker.save(referral, {
        "referral_date": value("2026-11-02"), "referral_source": value("2A"),
        "reason_for_referral": value("Bruise."), "decision": value("initial_assessment"),
    })  # fmt: skip
    worker.post(f"/api/records/{referral['id']}/submit")
    nxt = worker.post(f"/api/records/{referral['id']}/next", 201, exemplar_id="initial_assessment")
    assert nxt["status"] == "draft"  # started before any approval
    queue = worker.manager.get("/api/sign-off")
    assert [r["id"] for r in queue] == [referral["id"]]
    worker.manager.post(f"/api/records/{referral['id']}/finalise")
    assert worker.manager.get("/api/sign-off") == []
    assert worker.get(f"/api/records/{referral['id']}")["status"] == "finalised"
