"""People, families, relationships, pen-pictures and professionals.

Entered once: siblings share one family, and a person's pen-picture is one row per version shown
for every child around them. Nothing is overwritten without a trace: person changes are audited
with before and after, pen-pictures are versioned.
"""

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select, union
from sqlalchemy.orm import Session, joinedload, selectinload

from app.audit import service as audit
from app.audit.service import AuditAction
from app.auth.models import User
from app.db import utcnow
from app.errors import Conflict, Invalid, NotFound
from app.people.models import (
    Family,
    FamilyMember,
    Involvement,
    PenPicture,
    Person,
    Professional,
    Relationship,
    RelationshipType,
)
from app.people.names import fold
from app.people.schemas import (
    FamilyIn,
    MemberIn,
    PenPictureIn,
    PersonIn,
    PersonPatch,
    PossibleMatch,
    ProfessionalIn,
    RelationshipIn,
    check_dates,
)

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
        nhs_number=data.nhs_number,
    )
    person = Person(**data.model_dump(), created_by_id=actor.id, updated_by_id=actor.id)
    session.add(person)
    session.flush()
    return person, matches


def find_matches(
    *,
    session: Session,
    given_names: str,
    family_name: str,
    date_of_birth: date | None,
    nhs_number: str | None = None,
) -> list[PossibleMatch]:
    """People who may be the same: the same NHS number; or the same birthday and a similar name,
    or a near-identical name, unless both have NHS numbers and they differ (then they are not)."""
    same_number = _same_nhs_number(session, nhs_number)
    matches = [_match(person, "the same NHS number") for person in same_number]
    wanted = fold(f"{given_names} {family_name}")
    for person in _named_like(session, family_name, date_of_birth):
        if person in same_number or (nhs_number and person.nhs_number):
            continue  # already matched, or two different NHS numbers: two different people
        score = difflib.SequenceMatcher(
            None, wanted, fold(f"{person.given_names} {person.family_name}")
        ).ratio()
        same_birthday = date_of_birth is not None and person.date_of_birth == date_of_birth
        if (same_birthday and score >= 0.6) or score >= SIMILAR_NAME + 0.1:
            reason = (
                "same date of birth and a similar name" if same_birthday else "a very similar name"
            )
            matches.append(_match(person, reason))
    return matches


def _same_nhs_number(session: Session, nhs_number: str | None) -> list[Person]:
    if not nhs_number:
        return []
    return list(session.scalars(select(Person).where(Person.nhs_number == nhs_number)))


def _named_like(session: Session, family_name: str, date_of_birth: date | None) -> list[Person]:
    initial = fold(family_name)[:1]
    if not (initial or date_of_birth):
        return []
    return list(
        session.scalars(
            select(Person)
            .where(
                (Person.date_of_birth == date_of_birth)
                if date_of_birth
                else func.lower(Person.family_name).like(f"{initial}%")
            )
            .limit(500)
        )
    )


def _match(person: Person, reason: str) -> PossibleMatch:
    return PossibleMatch(
        person_id=person.id,
        full_name=person.full_name,
        date_of_birth=person.date_of_birth,
        reason=reason,
    )


def update_person(
    *,
    session: Session,
    actor: User,
    person_id: int,
    data: PersonPatch,
    case_ids: Sequence[int] = (),
) -> Person:
    """Change some of a person's details; the before and after go on each child's trail.

    `case_ids` are the cases of the children around the person: the change is theirs to see.
    """
    person = get_person(session=session, person_id=person_id)
    changes = data.model_dump(exclude_unset=True)
    try:
        check_dates(
            changes.get("date_of_birth", person.date_of_birth),
            changes.get("expected_date", person.expected_date),
        )
    except ValueError as refused:  # "field: message", as the schema's own check words it
        field, _, message = str(refused).partition(": ")
        raise Invalid(message, field=field) from None
    before = {key: _plain(getattr(person, key)) for key in changes}
    for key, value in changes.items():
        setattr(person, key, value)
    person.updated_at, person.updated_by_id = utcnow(), actor.id
    after = {key: _plain(value) for key, value in changes.items()}
    _changed(session, actor, "person", person.id, case_ids, {"before": before, "after": after})
    return person


def _changed(
    session: Session,
    actor: User,
    target_type: str,
    target_id: int,
    case_ids: Sequence[int],
    detail: dict[str, Any],
) -> None:
    """A change to someone around a child, on the trail of every child it concerns."""
    audit.record_on_each(
        session=session,
        case_ids=case_ids,
        actor=actor,
        action=AuditAction.CHANGE,
        target_type=target_type,
        target_id=target_id,
        detail=detail,
    )


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


def change_relationship(
    *,
    session: Session,
    actor: User,
    data: RelationshipIn,
    case_ids: Sequence[int] = (),
    on: date | None = None,
) -> Relationship:
    """Link two people as `data` says, ending (never deleting) any other current link between
    them either way round: "partner" becomes "former partner", the old link kept with its end."""
    kind = session.get(RelationshipType, data.type_code)
    if kind is not None and kind.known:  # "not known" never ends a known link (add refuses it)
        a, b = data.person_id, data.other_person_id
        for link in [*_current_links(session, a, b), *_current_links(session, b, a)]:
            if link.type_code != data.type_code:
                link.ended_on = on or date.today()
                after = {"type_code": link.type_code, "ended_on": link.ended_on.isoformat()}
                _changed(session, actor, "relationship", link.id, case_ids, {"after": after})
    return add_relationship(session=session, actor=actor, data=data)


@dataclass(frozen=True)
class AroundChild:
    """Who joins a child's world, as the worker said: their link to the child and household."""

    type_code: str
    parental_responsibility: bool | None = None
    family_id: int | None = None
    lives_here: bool = True


def add_around_child(
    *,
    session: Session,
    actor: User,
    child_id: int,
    around: AroundChild,
    person: PersonIn | None = None,
    person_id: int | None = None,
    case_ids: Sequence[int] = (),
) -> Person:
    """Add a new person (`person`), or one already recorded (`person_id`), around a child: into
    one of the child's households and related to the child, in one unit of work."""
    if person is not None:
        someone, _ = create_person(session=session, actor=actor, data=person)
    else:
        someone = get_person(session=session, person_id=person_id or 0)
    if around.family_id is not None:
        family = get_family(session=session, family_id=around.family_id)
        if all(m.person_id != someone.id for m in family.members):
            member = MemberIn(person_id=someone.id, lives_here=around.lives_here)
            add_member(session=session, actor=actor, family_id=family.id, data=member)
    link = RelationshipIn(
        person_id=someone.id,
        other_person_id=child_id,
        type_code=around.type_code,
        has_parental_responsibility=around.parental_responsibility,
    )
    change_relationship(session=session, actor=actor, data=link, case_ids=case_ids)
    return someone


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
    *,
    session: Session,
    actor: User,
    person_id: int,
    data: PenPictureIn,
    case_ids: Sequence[int] = (),
) -> PenPicture:
    """A new version of someone's pen-picture (earlier ones kept), on each child's trail."""
    get_person(session=session, person_id=person_id)
    latest = session.scalar(
        select(func.max(PenPicture.version)).where(PenPicture.person_id == person_id)
    )
    picture = PenPicture(
        person_id=person_id, version=(latest or 0) + 1, author_id=actor.id, **data.model_dump()
    )
    session.add(picture)
    session.flush()
    detail = {"pen_picture_version": picture.version}
    _changed(session, actor, "person", person_id, case_ids, detail)
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


def add_professional(
    *,
    session: Session,
    actor: User,
    person_id: int,
    data: ProfessionalIn,
    started_on: date | None = None,
    ended_on: date | None = None,
) -> Involvement:
    """A professional new to the records, and their work with a person from one date to another."""
    get_person(session=session, person_id=person_id)
    professional = create_professional(session=session, actor=actor, data=data)
    involvement = involve(
        session=session,
        actor=actor,
        person_id=person_id,
        professional_id=professional.id,
        started_on=started_on,
    )
    if ended_on is not None:
        end_involvement(
            session=session, actor=actor, involvement_id=involvement.id, ended_on=ended_on
        )
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
        action=AuditAction.CHANGE,
        target_type="involvement",
        target_id=involvement.id,
        detail={"after": {"ended_on": ended_on.isoformat()}},
    )
    return involvement


# Households and networks -------------------------------------------------------------------------


def age_years(born: date | None, on: date | None = None) -> int | None:
    if born is None:
        return None
    on = on or date.today()
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def families_of(*, session: Session, person_id: int) -> list[Family]:
    """A person's households with their members (and each member's person), in one query."""
    homes = select(FamilyMember.family_id).where(FamilyMember.person_id == person_id)
    query = (
        select(Family)
        .where(Family.id.in_(homes))
        .options(joinedload(Family.members))
        .order_by(Family.id)
    )
    return list(session.scalars(query).unique())


def network_of(*, session: Session, person_ids: list[int]) -> set[int]:
    """The people around these people: themselves, their households and everyone they relate to.

    A person is reachable through any child in this network that the user may see.
    """
    return set(person_ids) | set(session.scalars(network_query(person_ids)))  # one statement


def network_query(people: Select[Any] | Sequence[int]) -> Select[Any]:
    """These people's networks as one query (ids, or a query of ids: search's visible children)."""
    homes = select(FamilyMember.family_id).where(FamilyMember.person_id.in_(people))
    network = union(
        select(Person.id).where(Person.id.in_(people)),
        select(FamilyMember.person_id).where(FamilyMember.family_id.in_(homes)),
        select(Relationship.other_person_id).where(Relationship.person_id.in_(people)),
        select(Relationship.person_id).where(Relationship.other_person_id.in_(people)),
    )
    return select(network.subquery().c[0])


def member_ids(family: Family) -> list[int]:
    return [member.person_id for member in family.members]


def family_ids_of(*, session: Session, person_ids: list[int]) -> dict[int, list[int]]:
    """Each person's households, by id."""
    rows = session.execute(
        select(FamilyMember.person_id, FamilyMember.family_id).where(
            FamilyMember.person_id.in_(person_ids)
        )
    ).all()
    found: dict[int, list[int]] = {}
    for person_id, family_id in rows:
        found.setdefault(person_id, []).append(family_id)
    return found


def current_involvements(*, session: Session, person_id: int) -> list[Involvement]:
    """The professionals working with a person now."""
    query = select(Involvement).where(
        Involvement.person_id == person_id, Involvement.ended_on.is_(None)
    )
    return list(session.scalars(query))


def people_by_id(*, session: Session, person_ids: set[int]) -> list[Person]:
    """These people, in id order."""
    return list(
        session.scalars(select(Person).where(Person.id.in_(person_ids)).order_by(Person.id))
    )


def involved_with(*, session: Session, person_ids: set[int]) -> list[Professional]:
    """The professionals working now with any of these people, each once, in id order."""
    working = select(Involvement.professional_id).where(
        Involvement.person_id.in_(person_ids), Involvement.ended_on.is_(None)
    )
    query = select(Professional).where(Professional.id.in_(working)).order_by(Professional.id)
    return list(session.scalars(query))


def professional_words(name: str, role: str | None, organisation: str | None) -> str:
    """A professional as every reader sees them: "Dr Anita Rao — GP, Riverside Surgery"."""
    about = ", ".join(part for part in (role, organisation) if part)
    return f"{name} — {about}" if about else name


def relationships_to(*, session: Session, person_id: int) -> dict[int, str]:
    """Each person's relationship to this person, in words ("mother", "mother's partner")."""
    return relationship_words(
        current_relationships(session=session, person_id=person_id), person_id
    )


def current_relationships(*, session: Session, person_id: int) -> list[Relationship]:
    """The relationships naming this person, either way round, that have not ended."""
    return list(
        session.scalars(
            select(Relationship).where(
                (Relationship.other_person_id == person_id) | (Relationship.person_id == person_id),
                Relationship.ended_on.is_(None),
            )
        ).all()
    )


def relationship_words(rows: Iterable[Relationship], person_id: int) -> dict[int, str]:
    """Each other person's relationship to this person, in words, from their relationships."""
    found: dict[int, str] = {}
    for row in rows:
        if row.other_person_id == person_id:
            found.setdefault(row.person_id, gendered(row.type.label, row.person.sex))
        elif row.type.inverse_code == row.type.code:  # symmetric: sibling, cousin, friend
            found.setdefault(row.other_person_id, gendered(row.type.label, row.other_person.sex))
    return found


# The half of "brother or sister" that fits a person whose sex is recorded.
SEXED_WORDS = {"m": ("brother", "uncle", "nephew"), "f": ("sister", "aunt", "niece")}


def gendered(words: str, sex: str | None) -> str:
    """ "half-brother or half-sister" as "half-sister" for a girl; as it is if sex is not known."""
    wanted = SEXED_WORDS.get((sex or "")[:1].lower(), ())
    choices = [part for part in words.split(" or ") if any(w in part for w in wanted)]
    return choices[0] if " or " in words and choices else words


def relationships_among(*, session: Session, person_ids: Iterable[int]) -> list[Relationship]:
    """Every recorded relationship, ended ones included, between two of these people."""
    ids = list(person_ids)
    query = (
        select(Relationship)
        .where(Relationship.person_id.in_(ids), Relationship.other_person_id.in_(ids))
        .order_by(Relationship.id)
    )
    return list(session.scalars(query))


def involvements_of(*, session: Session, person_id: int) -> list[Involvement]:
    """Every professional who works or worked with a person, ended ones included."""
    return list(session.scalars(select(Involvement).where(Involvement.person_id == person_id)))


def home_of(*, session: Session, person_id: int) -> Family | None:
    """The household a person lives in (the first, if records disagree)."""
    return home_among(families_of(session=session, person_id=person_id), person_id)


def home_among(families: Iterable[Family], person_id: int) -> Family | None:
    """Of a person's households, the one they live in (the first, if records disagree)."""
    homes = [
        family
        for family in families
        if any(m.person_id == person_id and m.lives_here for m in family.members)
    ]
    return homes[0] if homes else None


def parental_responsibility(rows: Iterable[Relationship], person_id: int) -> dict[int, bool | None]:
    """Whether each person related to this one holds parental responsibility for them (None:
    not recorded), from their relationships."""
    return {
        r.person_id: r.has_parental_responsibility for r in rows if r.other_person_id == person_id
    }
