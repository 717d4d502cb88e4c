"""JSON API for people, families, relationships, pen-pictures, professionals and cases."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter

from app.access import Granted, SignedIn, Target, allow, network_case_ids, visible_matches
from app.cases.policy import Action
from app.deps import CsrfChecked, Id, SessionDep
from app.errors import Invalid
from app.people import identifiers, service
from app.people.schemas import (
    FamilyIn,
    FamilyOut,
    InvolvementIn,
    InvolvementOut,
    MemberIn,
    MemberOut,
    PenPictureIn,
    PenPictureOut,
    PersonCreated,
    PersonIn,
    PersonOut,
    PersonPatch,
    PossibleMatches,
    ProfessionalIn,
    ProfessionalOut,
    RelationshipIn,
    RelationshipOut,
    RelationshipTypeOut,
)

router = APIRouter(prefix="/api", tags=["people"], dependencies=[CsrfChecked])
# A person, family or professional is reachable through a child in their network whose case the
# user may see (app/access.py); someone in no child's network yet, only by whoever added them.
Adding = Annotated[Granted, allow(Action.WRITE, Target.NO_CASE)]
SeeingPerson = Annotated[Granted, allow(Action.VIEW, Target.PERSON)]
ChangingPerson = Annotated[Granted, allow(Action.WRITE, Target.PERSON)]


@router.post("/people", status_code=201)
def create_person(body: PersonIn, db: SessionDep, granted: Adding) -> PersonCreated:
    person, matches = service.create_person(session=db, actor=granted.user, data=body)
    shown = visible_matches(db, granted.user, matches)
    db.commit()
    return PersonCreated(person=PersonOut.model_validate(person), warnings=shown.matches)


@router.get("/people/matches")
def person_matches(
    given_names: str,
    family_name: str,
    db: SessionDep,
    user: SignedIn,
    date_of_birth: str | None = None,
    nhs_number: str | None = None,
) -> PossibleMatches:
    """People who may be the same, as far as you may see them, and how many more you may not."""
    try:
        born = date.fromisoformat(date_of_birth) if date_of_birth else None
    except ValueError as error:
        raise Invalid("Enter the date of birth as YYYY-MM-DD.", field="date_of_birth") from error
    try:
        number = identifiers.nhs_number(nhs_number) if nhs_number else None
    except ValueError as refused:
        raise Invalid(str(refused), field="nhs_number") from None
    found = service.find_matches(
        session=db,
        given_names=given_names,
        family_name=family_name,
        date_of_birth=born,
        nhs_number=number,
    )
    shown = visible_matches(db, user, found)
    db.commit()
    return shown


@router.get("/people/{person_id}")
def get_person(person_id: Id, db: SessionDep, granted: SeeingPerson) -> PersonOut:
    return PersonOut.model_validate(service.get_person(session=db, person_id=person_id))


@router.patch("/people/{person_id}")
def update_person(
    person_id: Id, body: PersonPatch, db: SessionDep, granted: ChangingPerson
) -> PersonOut:
    around = network_case_ids(db, [person_id])
    person = service.update_person(
        session=db, actor=granted.user, person_id=person_id, data=body, case_ids=around
    )
    db.commit()
    return PersonOut.model_validate(person)


@router.post("/people/{person_id}/pen-pictures", status_code=201)
def write_pen_picture(
    person_id: Id, body: PenPictureIn, db: SessionDep, granted: ChangingPerson
) -> PenPictureOut:
    picture = service.write_pen_picture(
        session=db,
        actor=granted.user,
        person_id=person_id,
        data=body,
        case_ids=network_case_ids(db, [person_id]),
    )
    db.commit()
    return PenPictureOut.model_validate(picture)


@router.get("/people/{person_id}/pen-pictures")
def pen_picture_history(
    person_id: Id, db: SessionDep, granted: SeeingPerson
) -> list[PenPictureOut]:
    rows = service.pen_picture_history(session=db, person_id=person_id)
    return [PenPictureOut.model_validate(row) for row in rows]


@router.post("/people/{person_id}/involvements", status_code=201)
def involve(
    person_id: Id, body: InvolvementIn, db: SessionDep, granted: ChangingPerson
) -> InvolvementOut:
    row = service.involve(
        session=db,
        actor=granted.user,
        person_id=person_id,
        professional_id=body.professional_id,
        started_on=body.started_on,
    )
    db.commit()
    db.refresh(row)
    return InvolvementOut.model_validate(row)


@router.post("/families", status_code=201)
def create_family(body: FamilyIn, db: SessionDep, granted: Adding) -> FamilyOut:
    members = {f"members.{i}.person_id": m.person_id for i, m in enumerate(body.members)}
    granted.check_people(db, members, Action.WRITE)
    family = service.create_family(session=db, actor=granted.user, data=body)
    db.commit()
    return FamilyOut.model_validate(family)


@router.get("/families/{family_id}")
def get_family(
    family_id: Id, db: SessionDep, granted: Annotated[Granted, allow(Action.VIEW, Target.FAMILY)]
) -> FamilyOut:
    return FamilyOut.model_validate(service.get_family(session=db, family_id=family_id))


@router.post("/families/{family_id}/members", status_code=201)
def add_member(
    family_id: Id,
    body: MemberIn,
    db: SessionDep,
    granted: Annotated[Granted, allow(Action.WRITE, Target.FAMILY)],
) -> MemberOut:
    granted.check_people(db, {"person_id": body.person_id}, Action.WRITE)
    member = service.add_member(session=db, actor=granted.user, family_id=family_id, data=body)
    db.commit()
    db.refresh(member)
    return MemberOut.model_validate(member)


@router.get("/relationship-types")
def relationship_types(db: SessionDep, user: SignedIn) -> list[RelationshipTypeOut]:
    return [RelationshipTypeOut.model_validate(t) for t in service.relationship_types(session=db)]


@router.post("/relationships", status_code=201)
def add_relationship(body: RelationshipIn, db: SessionDep, granted: Adding) -> RelationshipOut:
    named = {"person_id": body.person_id, "other_person_id": body.other_person_id}
    granted.check_people(db, named, Action.WRITE)
    link = service.add_relationship(session=db, actor=granted.user, data=body)
    db.commit()
    return RelationshipOut.model_validate(link)


@router.post("/professionals", status_code=201)
def create_professional(body: ProfessionalIn, db: SessionDep, granted: Adding) -> ProfessionalOut:
    professional = service.create_professional(session=db, actor=granted.user, data=body)
    db.commit()
    return ProfessionalOut.model_validate(professional)
