"""Every route declares its access, and every route keeps to what it declares.

The routes come from the app's own route table, not a hand list: a route added without a policy
fails the first test, and a route whose policy is not enforced fails the second.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.routing import Mount

from app.access import ENTER, Policy, Target, policy_of
from app.attachments import service as attachments
from app.audit.models import AuditEvent
from app.auth.models import Role, User
from app.cases.models import Case
from app.cases.policy import RULES, Action, Reach
from app.engine.library import Library
from app.meetings import service as meetings
from app.meetings.schemas import MeetingIn
from app.people import service as people
from app.printing import jobs, replies
from app.printing import service as printing
from app.records import service as records
from tests.conftest import PASSWORD
from tests.factories import Factory, tiny_png

# Where a route names something, what it needs in its path.
PARAMS = {
    "case_id",
    "case_number",
    "record_id",
    "person_id",
    "family_id",
    "meeting_id",
    "printout_id",
    "section_id",
    "number",
}


def _dependencies(dependant: Any) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _dependencies(sub)


def declared(route: Any) -> Policy | None:
    """The route's policy: the one its dependencies carry."""
    found = [policy_of(call) for call in _dependencies(route.dependant)]
    policies = [policy for policy in found if policy is not None]
    return policies[-1] if policies else None


def api_routes(app: FastAPI) -> list[Any]:
    """Every route the app answers, with its dependencies (routers included at any depth)."""
    found: list[Any] = []
    for route in app.routes:
        if isinstance(route, Mount):
            continue  # static files: the stylesheet and scripts, no data
        if hasattr(route, "effective_route_contexts"):  # an included router
            found.extend(route.effective_route_contexts())
        else:
            found.append(route)
    return found


def test_every_route_declares_its_access(app: FastAPI) -> None:
    routes = api_routes(app)
    assert len(routes) > 50
    missing = [
        f"{sorted(r.methods)} {r.path}"
        for r in routes
        if getattr(r, "dependant", None) is None or declared(r) is None
    ]
    assert missing == [], f"routes with no declared access: {missing}"


def test_only_signing_in_and_out_is_open_to_anyone(app: FastAPI) -> None:
    """The routes declared PUBLIC are exactly those a person needs before they are signed in."""
    public = sorted(
        f"{sorted(r.methods - {'HEAD'})[0]} {r.path}"
        for r in api_routes(app)
        if getattr(r, "dependant", None) is not None
        and (policy := declared(r)) is not None
        and not policy.signed_in
    )
    assert public == [
        "GET /",
        "GET /sign-in",
        "POST /api/session",
        "POST /sign-in",
        "POST /sign-out",
    ]


def test_a_route_without_a_policy_fails_the_walk(app: FastAPI) -> None:
    @app.get("/api/forgotten")
    def forgotten() -> dict[str, str]:
        return {}

    route = next(r for r in api_routes(app) if r.path == "/api/forgotten")
    assert isinstance(route, APIRoute)
    assert declared(route) is None


def test_routes_that_name_a_thing_declare_that_thing(app: FastAPI) -> None:
    """A path naming a case, record, person… is protected through that very thing."""
    wrong = []
    for route in api_routes(app):
        policy = declared(route)
        named = {p for p in route.param_convertors} & PARAMS - {"section_id", "number"}
        if named and (policy is None or policy.target is None or policy.target == Target.NO_CASE):
            wrong.append(route.path)
    assert wrong == []


@dataclass
class World:
    """Two children's worlds, one ours and one another team's, each with all a route can name."""

    ids: dict[str, dict[str, Any]]


def _world(
    db: Session, factory: Factory, library: Library, worker: User, tag: str
) -> dict[str, Any]:
    factory._actor = worker
    child = factory.person(given_names=f"Child{tag}")
    mother = factory.person(given_names=f"Mother{tag}", date_of_birth=None)
    family = factory.family([(child, "child"), (mother, "parent")])
    factory.pen_picture(mother)
    case = factory.child_case(child=child, worker=worker)
    pro = factory.professional()
    people.involve(session=db, actor=worker, person_id=child.id, professional_id=pro.id)
    record = records.start(
        session=db, library=library, actor=worker, case_id=case.id, exemplar_id="case_note"
    )
    db.flush()
    printed = printing.print_record(
        session=db, library=library, actor=worker, record_id=record.id, audience="worker"
    )
    invitee = {"name": "Kerry", "role": "parent", "wording": "parent"}
    starts = datetime.now(UTC) + timedelta(days=7)
    meeting = meetings.schedule(
        session=db,
        actor=worker,
        data=MeetingIn(
            kind="cin_review",
            starts_at=starts,
            venue="Office",
            case_ids=[case.id],
            invitees=[invitee],
        ),
    )
    drawing = attachments.add(
        session=db,
        actor=worker,
        case_id=case.id,
        upload=attachments.Upload("drawing.png", tiny_png()),
        data=attachments.details(title="A drawing", description="A house"),
        max_bytes=1_000_000,
    )
    reply = replies.record(
        session=db,
        actor=worker,
        printout=printed.printout,
        data=replies.ReplyIn("correction", "Kerry", "call", date.today(), "That is wrong."),
    )
    job = jobs.enqueue(
        session=db,
        actor=worker,
        record_id=record.id,
        case_id=case.id,
        asked=jobs.Asked("worker"),
    )
    db.commit()
    section = library.get(record.exemplar_id, record.exemplar_version).definition.sections[0].id
    return {
        "case_id": case.id,
        "case_number": case.case_number,
        "record_id": record.id,
        "person_id": mother.id,
        "family_id": family.id,
        "meeting_id": meeting.id,
        "printout_id": printed.printout.id,
        "reply_id": reply.id,
        "job_id": job.id,
        "attachment_id": drawing.id,
        "section_id": section,
        "number": 1,
        "kind": "before_proceedings",  # a letter a case note does not write: refused with 422
        "user_id": worker.id,  # a witness's profile, which only an administrator changes
    }


def _signed_in(client: TestClient, user: User) -> dict[str, str]:
    client.cookies.clear()  # a bearer token each, not the last sign-in's cookie
    answer = client.post("/api/session", json={"username": user.username, "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}", "accept": "application/json"}


def _holds(role: Role, policy: Policy) -> bool:
    action = Action.WRITE if policy.action == ENTER else policy.action
    return isinstance(action, Action) and RULES.get(role, {}).get(action, Reach.NONE) > Reach.NONE


@pytest.fixture()
def worlds(db: Session, factory: Factory, app: FastAPI) -> dict[str, Any]:
    ours = factory.user(Role.SOCIAL_WORKER, team="Team A", password=PASSWORD)
    theirs = factory.user(Role.SOCIAL_WORKER, team="Team B", password=PASSWORD)
    library: Library = app.state.library
    return {
        "ours": ours,
        "theirs": theirs,
        "manager": factory.user(Role.TEAM_MANAGER, team="Team A", password=PASSWORD),
        "admin": factory.user(Role.SYSTEM_ADMIN, team="Admin", password=PASSWORD),
        "mine": _world(db, factory, library, ours, "A"),
        "other": _world(db, factory, library, theirs, "B"),
    }


def _call(client: TestClient, route: Any, ids: dict[str, Any], headers: dict[str, str]) -> int:
    path = route.path.format(**{name: ids[name] for name in route.param_convertors})
    method = sorted(route.methods - {"HEAD"})[0]
    kwargs: dict[str, Any] = {"headers": headers, "follow_redirects": False}
    if method not in ("GET", "DELETE"):
        kwargs["json"] = {}
    return client.request(method, path, **kwargs).status_code


def _named_routes(app: FastAPI) -> list[Any]:
    found = []
    for route in api_routes(app):
        policy = declared(route)
        if policy and policy.target not in (None, Target.NO_CASE):
            found.append(route)
    return found


def test_strangers_are_refused_every_named_route_and_each_refusal_is_audited(
    app: FastAPI, client: TestClient, db: Session, worlds: dict[str, Any]
) -> None:
    """Another team's worker and the system administrator reach nothing of this child's world."""
    routes = _named_routes(app)
    assert {declared(r).target for r in routes} >= set(Target) - {Target.NO_CASE}  # type: ignore[union-attr]
    wrong = []
    for who in ("theirs", "admin"):
        user = worlds[who]
        headers = _signed_in(client, user)
        for route in routes:
            before = _denials(db, user)
            status = _call(client, route, worlds["mine"], headers)
            if status not in (403, 404) or _denials(db, user) != before + 1:
                wrong.append(f"{who}: {sorted(route.methods)} {route.path} -> {status}")
    assert wrong == [], "\n".join(wrong)


def test_the_allocated_worker_and_their_manager_reach_every_named_route(
    app: FastAPI, client: TestClient, db: Session, worlds: dict[str, Any]
) -> None:
    """Whoever the table gives the action to gets through (the answer may still be 409 or 422)."""
    wrong = []
    for route in _named_routes(app):
        policy = declared(route)
        assert policy is not None
        who = "ours" if _holds(Role.SOCIAL_WORKER, policy) else "manager"
        assert _holds(worlds[who].role, policy), route.path
        status = _call(client, route, worlds["mine"], _signed_in(client, worlds[who]))
        if status in (401, 403, 404) or status >= 500:
            wrong.append(f"{who}: {sorted(route.methods)} {route.path} -> {status}")
    assert wrong == [], "\n".join(wrong)


def test_every_read_of_case_data_is_audited(
    app: FastAPI, client: TestClient, db: Session, worlds: dict[str, Any]
) -> None:
    """Each GET of a child's world that answers leaves one event naming who and what.

    (A GET refused for its input, 422, shows nothing and leaves none.)
    """
    user = worlds["ours"]
    headers = _signed_in(client, user)
    wrong, read = [], 0
    for route in _named_routes(app):
        policy = declared(route)
        if "GET" not in route.methods or policy is None or not _holds(user.role, policy):
            continue
        before = _reads(db, user)
        status = _call(client, route, worlds["mine"], headers)
        answered = status < 400
        read += answered
        if status in (401, 403, 404) or status >= 500 or _reads(db, user) != before + answered:
            wrong.append(f"{route.path} -> {status}")
    assert wrong == [], wrong
    assert read >= 15


def _denials(db: Session, user: User) -> int:
    query = select(func.count(AuditEvent.id)).where(
        AuditEvent.actor_id == user.id, AuditEvent.allowed.is_(False)
    )
    return int(db.scalar(query) or 0)


def _reads(db: Session, user: User) -> int:
    query = select(func.count(AuditEvent.id)).where(
        AuditEvent.actor_id == user.id, AuditEvent.action.like("%.view")
    )
    return int(db.scalar(query) or 0)


def test_a_case_row_is_what_the_worlds_hold(db: Session, worlds: dict[str, Any]) -> None:
    """The fixture really made two teams' cases (so the refusals above mean something)."""
    mine = db.get(Case, worlds["mine"]["case_id"])
    other = db.get(Case, worlds["other"]["case_id"])
    assert mine is not None and other is not None
    assert mine.team_id != other.team_id


def test_the_administrator_does_nothing_that_touches_case_content(
    app: FastAPI, client: TestClient, db: Session, worlds: dict[str, Any]
) -> None:
    """Routes that name nothing in their path (new people, families, cases, meetings, the
    sign-off queue) refuse the administrator too, each refusal kept."""
    admin = worlds["admin"]
    headers = _signed_in(client, admin)
    routes = [
        r
        for r in api_routes(app)
        if (policy := declared(r)) is not None
        and policy.target == Target.NO_CASE
        and policy.action != Action.ADMINISTER  # users' profiles: the administrator's own work
    ]
    assert len(routes) >= 7
    wrong = []
    for route in routes:
        before = _denials(db, admin)
        status = _call(client, route, worlds["mine"], headers)
        if status != 403 or _denials(db, admin) != before + 1:
            wrong.append(f"{sorted(route.methods)} {route.path} -> {status}")
    assert wrong == [], wrong
