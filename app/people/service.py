"""People, families, relationships, pen-pictures, professionals and cases.

Entered once: siblings share one family, and a person's pen-picture is one row per version shown
for every child around them. Nothing is overwritten without a trace: person changes are audited
with before and after, pen-pictures are versioned, case changes are events.
"""

import difflib
import unicodedata
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.audit import service as audit
from app.auth.models import User
from app.db import utcnow
from app.errors import Conflict, Invalid, NotFound
from app.people.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Family,
    FamilyMember,
    Involvement,
    PenPicture,
    Person,
    Professional,
    Relationship,
    RelationshipType,
)
from app.people.schemas import (
    CaseClose,
    CaseIn,
    CaseOut,
    CaseSummary,
    ChildView,
    FamilyIn,
    MemberIn,
    PenPictureIn,
    PenPictureOut,
    PersonIn,
    PersonOut,
    PersonPatch,
    PersonWithPicture,
    PossibleMatch,
    ProfessionalIn,
    RelationshipIn,
    SearchResult,
    check_dates,
)
from app.timescales.calendar import typed_date

SIMILAR_NAME = 0.85


# People ------------------------------------------------------------------------------------------


def get_person(*, session: Session, person_id: int, field: str = "person_id") -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"No person with id {person_id}.", field=field)
    return person


def create_person(
    *, session: Session, actor: User, data: PersonIn
) -> tuple[Person, list[PossibleMatch]]:
    """Add a person; return likely existing matches so the worker can check for a duplicate."""
    matches = find_matches(
        session=session,
        given_names=data.given_names,
        family_name=data.family_name,
        date_of_birth=data.date_of_birth,
    )
    person = Person(**data.model_dump(), created_by_id=actor.id, updated_by_id=actor.id)
    session.add(person)
    session.flush()
    return person, matches


def _fold(text: str) -> str:
    """Lower case, accents and punctuation removed: "O'Neill-Smith" ~ "oneill smith"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join("".join(c if c.isalnum() else " " for c in plain.lower()).split())


def find_matches(
    *, session: Session, given_names: str, family_name: str, date_of_birth: date | None
) -> list[PossibleMatch]:
    """People who may be the same: same birthday and a similar name, or a near-identical name."""
    wanted = _fold(f"{given_names} {family_name}")
    initial = _fold(family_name)[:1]
    candidates = (
        session.scalars(
            select(Person)
            .where(
                (Person.date_of_birth == date_of_birth)
                if date_of_birth
                else func.lower(Person.family_name).like(f"{initial}%")
            )
            .limit(500)
        ).all()
        if initial or date_of_birth
        else []
    )
    matches = []
    for person in candidates:
        score = difflib.SequenceMatcher(
            None, wanted, _fold(f"{person.given_names} {person.family_name}")
        ).ratio()
        same_birthday = date_of_birth is not None and person.date_of_birth == date_of_birth
        if (same_birthday and score >= 0.6) or score >= SIMILAR_NAME + 0.1:
            reason = (
                "same date of birth and a similar name" if same_birthday else "a very similar name"
            )
            matches.append(
                PossibleMatch(
                    person_id=person.id,
                    full_name=person.full_name,
                    date_of_birth=person.date_of_birth,
                    reason=reason,
                )
            )
    return matches


def update_person(*, session: Session, actor: User, person_id: int, data: PersonPatch) -> Person:
    """Change some of a person's details; the before and after are kept in the audit trail."""
    person = get_person(session=session, person_id=person_id)
    changes = data.model_dump(exclude_unset=True)
    check_dates(
        changes.get("date_of_birth", person.date_of_birth),
        changes.get("expected_date", person.expected_date),
    )
    before = {key: _plain(getattr(person, key)) for key in changes}
    for key, value in changes.items():
        setattr(person, key, value)
    person.updated_at, person.updated_by_id = utcnow(), actor.id
    after = {key: _plain(value) for key, value in changes.items()}
    audit.record(
        session=session,
        actor=actor,
        action="change",
        target_type="person",
        target_id=person.id,
        detail={"before": before, "after": after},
    )
    return person


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


# Families and relationships -----------------------------------------------------------------------


def get_family(*, session: Session, family_id: int) -> Family:
    family = session.scalar(
        select(Family).where(Family.id == family_id).options(selectinload(Family.members))
    )
    if family is None:
        raise NotFound(f"No family with id {family_id}.", field="family_id")
    return family


def create_family(*, session: Session, actor: User, data: FamilyIn) -> Family:
    """Add a household with its members; an unknown member id writes nothing at all."""
    for index, member in enumerate(data.members):
        get_person(session=session, person_id=member.person_id, field=f"members.{index}.person_id")
    family = Family(
        name=data.name,
        address=data.address,
        address_confidential=data.address_confidential,
        created_by_id=actor.id,
    )
    session.add(family)
    session.flush()
    for member in data.members:
        add_member(session=session, actor=actor, family_id=family.id, data=member)
    session.refresh(family)
    return family


def add_member(*, session: Session, actor: User, family_id: int, data: MemberIn) -> FamilyMember:
    family = get_family(session=session, family_id=family_id)
    get_person(session=session, person_id=data.person_id)
    if any(m.person_id == data.person_id for m in family.members):
        raise Conflict("This person is already a member of the family.", field="person_id")
    member = FamilyMember(
        family_id=family.id,
        person_id=data.person_id,
        role=data.role,
        lives_here=data.lives_here,
        created_by_id=actor.id,
    )
    session.add(member)
    session.flush()
    return member


def relationship_types(*, session: Session) -> list[RelationshipType]:
    return list(session.scalars(select(RelationshipType).order_by(RelationshipType.label)))


def add_relationship(*, session: Session, actor: User, data: RelationshipIn) -> Relationship:
    """Link two people. "Not known" never replaces a relationship that is known."""
    get_person(session=session, person_id=data.person_id)
    get_person(session=session, person_id=data.other_person_id, field="other_person_id")
    kind = session.get(RelationshipType, data.type_code)
    if kind is None:
        raise Invalid(f"There is no relationship type '{data.type_code}'.", field="type_code")
    existing = _current_links(session, data.person_id, data.other_person_id)
    same = next((link for link in existing if link.type_code == data.type_code), None)
    if same is not None:
        return same
    if not kind.known and any(link.type.known for link in existing):
        raise Conflict(
            "These two people already have a known relationship; 'not known' would hide it.",
            field="type_code",
        )
    link = Relationship(**data.model_dump(), created_by_id=actor.id)
    session.add(link)
    session.flush()
    return link


def _current_links(session: Session, a: int, b: int) -> list[Relationship]:
    return list(
        session.scalars(
            select(Relationship).where(
                Relationship.person_id == a,
                Relationship.other_person_id == b,
                Relationship.ended_on.is_(None),
            )
        )
    )


# Pen-pictures ------------------------------------------------------------------------------------


def write_pen_picture(
    *, session: Session, actor: User, person_id: int, data: PenPictureIn
) -> PenPicture:
    """A new version of someone's pen-picture; earlier versions are kept."""
    get_person(session=session, person_id=person_id)
    latest = session.scalar(
        select(func.max(PenPicture.version)).where(PenPicture.person_id == person_id)
    )
    picture = PenPicture(
        person_id=person_id, version=(latest or 0) + 1, author_id=actor.id, **data.model_dump()
    )
    session.add(picture)
    session.flush()
    return picture


def pen_picture_history(*, session: Session, person_id: int) -> list[PenPicture]:
    get_person(session=session, person_id=person_id)
    return list(
        session.scalars(
            select(PenPicture)
            .where(PenPicture.person_id == person_id)
            .order_by(PenPicture.version.desc())
        )
    )


def current_pen_pictures(*, session: Session, person_ids: list[int]) -> dict[int, PenPicture]:
    """The newest pen-picture of each person, in one query."""
    newest = (
        select(PenPicture.person_id, func.max(PenPicture.version).label("version"))
        .where(PenPicture.person_id.in_(person_ids))
        .group_by(PenPicture.person_id)
        .subquery()
    )
    rows = session.scalars(
        select(PenPicture).join(
            newest,
            (PenPicture.person_id == newest.c.person_id) & (PenPicture.version == newest.c.version),
        )
    )
    return {row.person_id: row for row in rows}


# Professionals ----------------------------------------------------------------------------------


def create_professional(*, session: Session, actor: User, data: ProfessionalIn) -> Professional:
    professional = Professional(**data.model_dump(), created_by_id=actor.id)
    session.add(professional)
    session.flush()
    return professional


def involve(
    *,
    session: Session,
    actor: User,
    person_id: int,
    professional_id: int,
    started_on: date | None = None,
) -> Involvement:
    """Record that a professional or agency works with a person (e.g. the child's school)."""
    get_person(session=session, person_id=person_id)
    if session.get(Professional, professional_id) is None:
        raise NotFound(f"No professional with id {professional_id}.", field="professional_id")
    involvement = Involvement(
        person_id=person_id,
        professional_id=professional_id,
        started_on=started_on,
        created_by_id=actor.id,
    )
    session.add(involvement)
    session.flush()
    return involvement


def end_involvement(
    *, session: Session, actor: User, involvement_id: int, ended_on: date
) -> Involvement:
    involvement = session.get(Involvement, involvement_id)
    if involvement is None:
        raise NotFound(f"No involvement with id {involvement_id}.", field="involvement_id")
    involvement.ended_on = ended_on
    audit.record(
        session=session,
        actor=actor,
        action="change",
        target_type="involvement",
        target_id=involvement.id,
        detail={"after": {"ended_on": ended_on.isoformat()}},
    )
    return involvement


# Cases ------------------------------------------------------------------------------------------


def get_case(*, session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"No case with id {case_id}.", field="case_id")
    return case


def get_case_by_number(*, session: Session, case_number: str) -> Case | None:
    return session.scalar(select(Case).where(Case.case_number == case_number.strip().upper()))


def open_case(*, session: Session, actor: User, data: CaseIn) -> Case:
    """Open the council's case for a child, with a new case number."""
    get_person(session=session, person_id=data.child_id, field="child_id")
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


# Views ------------------------------------------------------------------------------------------


def age_years(born: date | None, on: date | None = None) -> int | None:
    if born is None:
        return None
    on = on or date.today()
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def families_of(*, session: Session, person_id: int) -> list[Family]:
    return list(
        session.scalars(
            select(Family)
            .join(FamilyMember)
            .where(FamilyMember.person_id == person_id)
            .options(selectinload(Family.members))
            .order_by(Family.id)
        )
    )


def child_view(*, session: Session, case_id: int) -> ChildView:
    """The child, their households, the people around them with pen-pictures, and professionals."""
    case = get_case(session=session, case_id=case_id)
    child = case.child
    families = families_of(session=session, person_id=child.id)
    members = {
        m.person_id: m for family in families for m in family.members if m.person_id != child.id
    }
    together = _lives_with(families, child.id)
    links = _links_to(session, child.id)
    pictures = current_pen_pictures(session=session, person_ids=[child.id, *members])
    people = [
        PersonWithPicture(
            person=PersonOut.model_validate(m.person),
            role=m.role,
            lives_with_child=pid in together,
            relationship_to_child=links.get(pid),
            pen_picture=_picture(pictures.get(pid)),
        )
        for pid, m in members.items()
    ]
    involvements = session.scalars(
        select(Involvement).where(Involvement.person_id == child.id, Involvement.ended_on.is_(None))
    ).all()
    return ChildView.model_validate(
        {
            "case": CaseOut.model_validate(case),
            "child": PersonOut.model_validate(child),
            "age_years": age_years(child.date_of_birth),
            "pen_picture": _picture(pictures.get(child.id)),
            "families": families,
            "people": people,
            "professionals": involvements,
            "history": case_history(session=session, case_id=case.id),
        },
        from_attributes=True,
    )


def _lives_with(families: list[Family], child_id: int) -> set[int]:
    """People who live in a household where the child lives too."""
    homes = [
        f for f in families if any(m.person_id == child_id and m.lives_here for m in f.members)
    ]
    return {m.person_id for family in homes for m in family.members if m.lives_here}


def _picture(row: PenPicture | None) -> PenPictureOut | None:
    return PenPictureOut.model_validate(row) if row else None


def _links_to(session: Session, child_id: int) -> dict[int, str]:
    """Each person's relationship to the child, in words ("mother", "mother's partner")."""
    rows = session.scalars(
        select(Relationship).where(
            (Relationship.other_person_id == child_id) | (Relationship.person_id == child_id),
            Relationship.ended_on.is_(None),
        )
    ).all()
    found: dict[int, str] = {}
    for row in rows:
        if row.other_person_id == child_id:
            found.setdefault(row.person_id, row.type.label)
        elif row.type.inverse_code == row.type.code:  # symmetric: sibling, cousin, friend
            found.setdefault(row.other_person_id, row.type.label)
    return found


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
    return [child, *(p.model_dump(mode="json") for p in view.people)]


def caseload(*, session: Session, user: User) -> list[CaseSummary]:
    """The children allocated to a worker, youngest first within each family."""
    cases = session.scalars(
        select(Case).where(Case.allocated_worker_id == user.id, Case.status != CaseStatus.CLOSED)
    ).all()
    memberships = _family_ids(session, [case.child_id for case in cases])
    summaries = [
        CaseSummary(
            case_id=case.id,
            case_number=case.case_number,
            child_name=case.child.full_name,
            date_of_birth=case.child.date_of_birth,
            age_years=age_years(case.child.date_of_birth),
            legal_status=case.legal_status,
            status=case.status.value,
            family_ids=memberships.get(case.child_id, []),
        )
        for case in cases
    ]
    return sorted(
        summaries, key=lambda s: (s.family_ids[:1], -(s.date_of_birth or date.min).toordinal())
    )


def _family_ids(session: Session, person_ids: list[int]) -> dict[int, list[int]]:
    rows = session.execute(
        select(FamilyMember.person_id, FamilyMember.family_id).where(
            FamilyMember.person_id.in_(person_ids)
        )
    ).all()
    found: dict[int, list[int]] = {}
    for person_id, family_id in rows:
        found.setdefault(person_id, []).append(family_id)
    return found


# Search ------------------------------------------------------------------------------------------


def search(*, session: Session, text: str, limit: int = 50) -> list[SearchResult]:
    """People by case number, date of birth, or a name that may be misspelt, best first."""
    text = text.strip()
    case = get_case_by_number(session=session, case_number=text)
    if case is not None:
        return [_result(session, case.child, 1.0)]
    born = typed_date(text)
    if born is not None:
        found = session.scalars(
            select(Person).where(Person.date_of_birth == born).limit(limit)
        ).all()
        return [_result(session, person, 1.0) for person in found]
    return _by_name(session, text, limit)


def _by_name(session: Session, text: str, limit: int) -> list[SearchResult]:
    words = _fold(text).split()
    if not words:
        return []
    # Misspellings rarely change a name's first letter; that keeps the candidates few.
    starts = [w[:1] for w in words]
    clauses = [
        func.lower(column).like(f"{s}%")
        for s in starts
        for column in (Person.family_name, Person.given_names, Person.known_as)
    ]
    candidates = session.scalars(select(Person).where(or_(*clauses)).limit(5000)).all()
    scored = [(_name_score(words, person), person) for person in candidates]
    best = sorted((pair for pair in scored if pair[0] >= 0.7), key=lambda pair: -pair[0])[:limit]
    return [_result(session, person, score) for score, person in best]


def _name_score(words: list[str], person: Person) -> float:
    names = _fold(f"{person.known_as or ''} {person.given_names} {person.family_name}").split()
    per_word = [
        max((difflib.SequenceMatcher(None, w, n).ratio() for n in names), default=0.0)
        for w in words
    ]
    return sum(per_word) / len(per_word)


def _result(session: Session, person: Person, score: float) -> SearchResult:
    case = session.scalar(select(Case).where(Case.child_id == person.id).order_by(Case.id.desc()))
    return SearchResult(
        person_id=person.id,
        full_name=person.full_name,
        date_of_birth=person.date_of_birth,
        case_id=case.id if case else None,
        case_number=case.case_number if case else None,
        score=round(score, 2),
    )
