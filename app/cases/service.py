"""Cases: the council's involvement with a child — opening, allocation, closing, reopening, history,
and the child's view that joins the case to the people around the child.

Case changes are events, never overwritten. Services only flush; the route or command commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.service import AuditAction
from app.auth import service as auth
from app.auth.models import Role, User
from app.cases import episodes
from app.cases.models import CareEvent, Case, CaseEvent, CaseStatus
from app.cases.schemas import CareNow, CaseClose, CaseIn, CaseOut, CaseSummary, ChildView
from app.errors import Conflict, Invalid, NotFound
from app.people import service as people
from app.people.schemas import PenPictureOut, PersonOut, PersonWithPicture

if TYPE_CHECKING:
    from app.people.models import Family, PenPicture


def get_case(*, session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"No case with id {case_id}.", field="case_id")
    return case


def get_cases(*, session: Session, case_ids: list[int]) -> list[Case]:
    return list(session.scalars(select(Case).where(Case.id.in_(case_ids))))


def all_cases(*, session: Session) -> list[Case]:
    """Every child's case, for a council-wide return (the CIN census)."""
    return list(session.scalars(select(Case).order_by(Case.id)))


def team_case_ids(*, team_id: int | None) -> Select[Any]:
    """The ids of a team's cases, as a subquery for other domains' lists."""
    return select(Case.id).where(Case.team_id == team_id)


def cases_of_children(*, session: Session, child_ids: list[int]) -> list[Case]:
    """The cases of those of these people who are children with a case."""
    return list(session.scalars(select(Case).where(Case.child_id.in_(child_ids)).order_by(Case.id)))


def get_case_by_number(*, session: Session, case_number: str) -> Case | None:
    return session.scalar(select(Case).where(Case.case_number == case_number.strip().upper()))


def open_case(*, session: Session, actor: User, data: CaseIn) -> Case:
    """Open the council's case for a child, with a new case number."""
    people.get_person(session=session, person_id=data.child_id, field="child_id")
    if session.scalar(select(Case.id).where(Case.child_id == data.child_id)) is not None:
        raise Conflict("This child already has a case; reopen it instead.", field="child_id")
    # A unique placeholder first; the number comes from the row id, safe on both databases.
    fields = data.model_dump()
    fields["team_id"] = fields["team_id"] or actor.team_id  # the team that opens it holds it
    case = Case(**fields, case_number=f"PENDING-{data.child_id}", created_by_id=actor.id)
    session.add(case)
    try:
        session.flush()
    except IntegrityError as error:
        raise Conflict(
            "The case could not be opened; check the worker and team.", field="body"
        ) from error
    case.case_number = f"CN-{case.id:06d}"
    _event(session, case, actor, "opened", f"Legal status: {case.legal_status}")
    return case


def _event(session: Session, case: Case, actor: User, kind: str, detail: str | None = None) -> None:
    session.add(CaseEvent(case_id=case.id, kind=kind, detail=detail, by_id=actor.id))
    session.flush()


def change_case(*, session: Session, actor: User, case_id: int, data: Any) -> Case:
    """Reallocate, move team or change legal status; each change is a case event."""
    case = get_case(session=session, case_id=case_id)
    for key, value in data.model_dump(exclude_unset=True).items():
        if value is not None and getattr(case, key) != value:
            _event(session, case, actor, key, f"{getattr(case, key)} → {value}")
            setattr(case, key, value)
    return case


def team_cases(
    *, session: Session, team_id: int | None, visible: ColumnElement[bool]
) -> list[Case]:
    """Every open case of a team, allocated or not, that `visible` lets through, by number."""
    query = select(Case).where(Case.team_id == team_id, Case.status != CaseStatus.CLOSED, visible)
    return list(session.scalars(query.order_by(Case.id)))


def allocatable(*, session: Session, team_id: int | None) -> list[User]:
    """The team's social workers: who its cases may be allocated to."""
    return auth.team_members(session=session, team_id=team_id, role=Role.SOCIAL_WORKER)


def allocate(*, session: Session, actor: User, case_id: int, worker_id: int) -> Case:
    """Allocate or reallocate a child to a social worker of the case's team, as a case event and
    in the audit trail."""
    case = get_case(session=session, case_id=case_id)
    workers = {w.id: w for w in allocatable(session=session, team_id=case.team_id)}
    if worker_id not in workers:
        raise Invalid("Choose a social worker in this child's team.", field="worker_id")
    before = case.allocated_worker.full_name if case.allocated_worker else "unallocated"
    if case.allocated_worker_id != worker_id:
        after = workers[worker_id].full_name
        _event(session, case, actor, "allocated_worker_id", f"{before} → {after}")
        case.allocated_worker = workers[worker_id]
        audit.record(
            session=session,
            actor=actor,
            action=AuditAction.CASE_ALLOCATE,
            target_type="case",
            target_id=case.id,
            case_id=case.id,
            detail={"from": before, "to": after},
        )
    return case


def is_closed(case: Case) -> bool:
    return case.status == CaseStatus.CLOSED


def set_legal_status(*, session: Session, actor: User, case_id: int, legal_status: str) -> Case:
    """A legal status from a finalised record (a code of the legal_status list), as a case event."""
    case = get_case(session=session, case_id=case_id)
    if case.legal_status != legal_status:
        _event(session, case, actor, "legal_status", f"{case.legal_status} → {legal_status}")
        case.legal_status = legal_status
    return case


def close_case(*, session: Session, actor: User, case_id: int, data: CaseClose) -> Case:
    case = get_case(session=session, case_id=case_id)
    if case.status == CaseStatus.CLOSED:
        raise Conflict("This case is already closed.", field="status")
    case.status, case.closed_on = CaseStatus.CLOSED, data.closed_on
    _event(session, case, actor, "closed", data.reason)
    return case


def reopen_case(*, session: Session, actor: User, case_id: int, reason: str) -> Case:
    case = get_case(session=session, case_id=case_id)
    if case.status != CaseStatus.CLOSED:
        raise Conflict("Only a closed case can be reopened.", field="status")
    case.status, case.closed_on = CaseStatus.REOPENED, None
    _event(session, case, actor, "reopened", reason)
    return case


def case_history(*, session: Session, case_id: int) -> list[CaseEvent]:
    return list(
        session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
        )
    )


def caseload(*, session: Session, user: User) -> list[CaseSummary]:
    """The children allocated to a worker, youngest first within each family."""
    cases = session.scalars(
        select(Case).where(Case.allocated_worker_id == user.id, Case.status != CaseStatus.CLOSED)
    ).all()
    memberships = people.family_ids_of(session=session, person_ids=[c.child_id for c in cases])
    summaries = [
        CaseSummary(
            case_id=case.id,
            case_number=case.case_number,
            child_name=case.child.full_name,
            date_of_birth=case.child.date_of_birth,
            age_years=people.age_years(case.child.date_of_birth),
            legal_status=case.legal_status,
            status=case.status.value,
            family_ids=memberships.get(case.child_id, []),
        )
        for case in cases
    ]
    return sorted(
        summaries, key=lambda s: (s.family_ids[:1], -(s.date_of_birth or date.min).toordinal())
    )


def child_view(
    *, session: Session, case_id: int, care: Sequence[CareEvent] | None = None
) -> ChildView:
    """The child, their households, the people around them with pen-pictures, and professionals.

    `care`: the case's care events when the page has read them already (they are read once).
    """
    case = get_case(session=session, case_id=case_id)
    child = case.child
    families = people.families_of(session=session, person_id=child.id)
    members = {
        m.person_id: m for family in families for m in family.members if m.person_id != child.id
    }
    together = _lives_with(families, child.id)
    links = people.relationships_to(session=session, person_id=child.id)
    pictures = people.current_pen_pictures(session=session, person_ids=[child.id, *members])
    around = [
        PersonWithPicture(
            person=PersonOut.model_validate(m.person),
            role=m.role,
            lives_with_child=pid in together,
            relationship_to_child=links.get(pid),
            pen_picture=_picture(pictures.get(pid)),
        )
        for pid, m in members.items()
    ]
    involvements = people.current_involvements(session=session, person_id=child.id)
    return ChildView.model_validate(
        {
            "case": CaseOut.model_validate(case),
            "child": PersonOut.model_validate(child),
            "age_years": people.age_years(child.date_of_birth),
            "pen_picture": _picture(pictures.get(child.id)),
            "families": families,
            "people": around,
            "professionals": involvements,
            "history": case_history(session=session, case_id=case.id),
            "care": care_now(session=session, case_id=case.id, events=care),
        },
        from_attributes=True,
    )


def care_now(
    *, session: Session, case_id: int, events: Sequence[CareEvent] | None = None
) -> CareNow | None:
    """The legal status and placement a looked-after child has now (None if not looked after)."""
    if events is None:
        events = episodes.events_of(session=session, case_ids=[case_id])[case_id]
    story = episodes.story_of(events)
    current = story.current
    if current is None or story.became_looked_after is None or story.placement_started is None:
        return None
    carer = next((e.carer for e in events if e.carer_id == current.placement.carer_id), None)
    return CareNow(
        since=story.became_looked_after,
        legal_status=current.legal_status,
        placement_type=current.placement.type,
        placed_on=story.placement_started,
        carer_name=carer.full_name if carer else None,
    )


@dataclass(frozen=True)
class Someone:
    """One person or professional a record about this child may name."""

    key: tuple[str, int]  # ("person", id) or ("professional", id): ids of the two overlap
    name: str  # as an answer reads: "Kerry Walsh"; "Dr Anita Rao — GP, Riverside Surgery"
    label: str  # as a picker offers them, with how they relate: "Kerry Walsh — Mother"


def network(*, session: Session, case: Case) -> list[Someone]:
    """The child, the people in their households or related to them, and the professionals
    working with any of them: all that a person or professional answer may name."""
    child = case.child
    links = people.relationships_to(session=session, person_id=child.id)
    # Both directions of every relationship and every household, as access reaches people.
    ids = people.network_of(session=session, person_ids=[child.id])
    around = people.people_by_id(session=session, person_ids=ids)
    relation = {**links, child.id: "the child"}.get
    found = [
        Someone(("person", p.id), p.full_name, _person_label(p.full_name, relation(p.id)))
        for p in sorted(around, key=lambda p: (p.id != child.id, p.id))
    ]
    involved = people.involved_with(session=session, person_ids={p.id for p in around})
    for pro in involved:
        words = people.professional_words(pro.name, pro.role, pro.organisation)
        found.append(Someone(("professional", pro.id), words, words))
    return found


def _person_label(name: str, relation: str | None) -> str:
    words = relation or "family member"
    return f"{name} — {words[:1].upper()}{words[1:]}"


def _lives_with(families: list[Family], child_id: int) -> set[int]:
    """People who live in a household where the child lives too."""
    homes = [
        f for f in families if any(m.person_id == child_id and m.lives_here for m in f.members)
    ]
    return {m.person_id for family in homes for m in family.members if m.lives_here}


def _picture(row: PenPicture | None) -> PenPictureOut | None:
    return PenPictureOut.model_validate(row) if row else None


def snapshot_people(*, session: Session, case_id: int) -> list[dict[str, Any]]:
    """The people around a child as they are now, for freezing into a finalised record."""
    view = child_view(session=session, case_id=case_id)
    child = {
        "person": view.child.model_dump(mode="json"),
        "role": "child",
        "relationship_to_child": "the child",
        "lives_with_child": True,
        "pen_picture": view.pen_picture.model_dump(mode="json") if view.pen_picture else None,
    }
    around = [child, *(p.model_dump(mode="json") for p in view.people)]
    return _with_links(session, around)


def _with_links(session: Session, around: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each person with the relationships they have to others in the network, frozen with them
    so that a finalised record's family diagram is drawn again from what was true then."""
    ids = [int(p["person"]["id"]) for p in around]
    links: dict[int, list[dict[str, Any]]] = {pid: [] for pid in ids}
    for row in people.relationships_among(session=session, person_ids=ids):
        ended = row.ended_on.isoformat() if row.ended_on else None
        pr = row.has_parental_responsibility  # frozen too: the court's respondents follow it
        links[row.person_id].append(
            {"to": row.other_person_id, "type": row.type_code, "ended_on": ended, "pr": pr}
        )
    return [{**p, "links": links[int(p["person"]["id"])]} for p in around]


def snapshot_professionals(*, session: Session, case: Case) -> list[dict[str, Any]]:
    """The professionals around a child as they are now, for freezing into a finalised record."""
    return [
        {"id": someone.key[1], "name": someone.name}
        for someone in network(session=session, case=case)
        if someone.key[0] == "professional"
    ]


def all_case_ids(*, session: Session) -> list[int]:
    """Every case, open or closed, oldest first: a statutory return covers them all."""
    return list(session.scalars(select(Case.id).order_by(Case.id)))
