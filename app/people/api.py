"""JSON API for people, families, relationships, pen-pictures, professionals and cases."""

from datetime import date

from fastapi import APIRouter

from app.auth import access
from app.auth.access import Action
from app.deps import ApiUser, CsrfChecked, Id, SessionDep
from app.errors import Invalid, NotFound
from app.people import service
from app.people.schemas import (
    CaseClose,
    CaseIn,
    CaseOut,
    CasePatch,
    CaseSummary,
    ChildView,
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
    PossibleMatch,
    ProfessionalIn,
    ProfessionalOut,
    RelationshipIn,
    RelationshipOut,
    RelationshipTypeOut,
)

router = APIRouter(prefix="/api", tags=["people and cases"], dependencies=[CsrfChecked])
# Who may see which case (role, allocation, restriction) is decided in one place: app/auth/access.


@router.post("/people", status_code=201)
def create_person(body: PersonIn, db: SessionDep, user: ApiUser) -> PersonCreated:
    person, matches = service.create_person(session=db, actor=user, data=body)
    db.commit()
    return PersonCreated(person=PersonOut.model_validate(person), warnings=matches)


@router.get("/people/matches")
def person_matches(
    given_names: str,
    family_name: str,
    db: SessionDep,
    user: ApiUser,
    date_of_birth: str | None = None,
) -> list[PossibleMatch]:
    try:
        born = date.fromisoformat(date_of_birth) if date_of_birth else None
    except ValueError as error:
        raise Invalid("Enter the date of birth as YYYY-MM-DD.", field="date_of_birth") from error
    return service.find_matches(
        session=db, given_names=given_names, family_name=family_name, date_of_birth=born
    )


@router.get("/people/{person_id}")
def get_person(person_id: Id, db: SessionDep, user: ApiUser) -> PersonOut:
    return PersonOut.model_validate(service.get_person(session=db, person_id=person_id))


@router.patch("/people/{person_id}")
def update_person(person_id: Id, body: PersonPatch, db: SessionDep, user: ApiUser) -> PersonOut:
    person = service.update_person(session=db, actor=user, person_id=person_id, data=body)
    db.commit()
    return PersonOut.model_validate(person)


@router.post("/people/{person_id}/pen-pictures", status_code=201)
def write_pen_picture(
    person_id: Id, body: PenPictureIn, db: SessionDep, user: ApiUser
) -> PenPictureOut:
    picture = service.write_pen_picture(session=db, actor=user, person_id=person_id, data=body)
    db.commit()
    return PenPictureOut.model_validate(picture)


@router.get("/people/{person_id}/pen-pictures")
def pen_picture_history(person_id: Id, db: SessionDep, user: ApiUser) -> list[PenPictureOut]:
    rows = service.pen_picture_history(session=db, person_id=person_id)
    return [PenPictureOut.model_validate(row) for row in rows]


@router.post("/people/{person_id}/involvements", status_code=201)
def involve(person_id: Id, body: InvolvementIn, db: SessionDep, user: ApiUser) -> InvolvementOut:
    row = service.involve(
        session=db,
        actor=user,
        person_id=person_id,
        professional_id=body.professional_id,
        started_on=body.started_on,
    )
    db.commit()
    db.refresh(row)
    return InvolvementOut.model_validate(row)


@router.post("/families", status_code=201)
def create_family(body: FamilyIn, db: SessionDep, user: ApiUser) -> FamilyOut:
    family = service.create_family(session=db, actor=user, data=body)
    db.commit()
    return FamilyOut.model_validate(family)


@router.get("/families/{family_id}")
def get_family(family_id: Id, db: SessionDep, user: ApiUser) -> FamilyOut:
    return FamilyOut.model_validate(service.get_family(session=db, family_id=family_id))


@router.post("/families/{family_id}/members", status_code=201)
def add_member(family_id: Id, body: MemberIn, db: SessionDep, user: ApiUser) -> MemberOut:
    member = service.add_member(session=db, actor=user, family_id=family_id, data=body)
    db.commit()
    db.refresh(member)
    return MemberOut.model_validate(member)


@router.get("/relationship-types")
def relationship_types(db: SessionDep, user: ApiUser) -> list[RelationshipTypeOut]:
    return [RelationshipTypeOut.model_validate(t) for t in service.relationship_types(session=db)]


@router.post("/relationships", status_code=201)
def add_relationship(body: RelationshipIn, db: SessionDep, user: ApiUser) -> RelationshipOut:
    link = service.add_relationship(session=db, actor=user, data=body)
    db.commit()
    return RelationshipOut.model_validate(link)


@router.post("/professionals", status_code=201)
def create_professional(body: ProfessionalIn, db: SessionDep, user: ApiUser) -> ProfessionalOut:
    professional = service.create_professional(session=db, actor=user, data=body)
    db.commit()
    return ProfessionalOut.model_validate(professional)


@router.post("/cases", status_code=201)
def open_case(body: CaseIn, db: SessionDep, user: ApiUser) -> CaseOut:
    case = service.open_case(session=db, actor=user, data=body)
    db.commit()
    return CaseOut.model_validate(case)


@router.get("/cases/by-number/{case_number}")
def case_by_number(case_number: str, db: SessionDep, user: ApiUser) -> CaseOut:
    case = service.get_case_by_number(session=db, case_number=case_number)
    if case is None:
        raise NotFound(f"No case numbered {case_number}.", field="case_number")
    access.require(session=db, user=user, action=Action.VIEW, case=case)
    return CaseOut.model_validate(case)


@router.get("/cases/{case_id}")
def get_case(case_id: Id, db: SessionDep, user: ApiUser) -> CaseOut:
    case = access.require_case(session=db, user=user, action=Action.VIEW, case_id=case_id)
    return CaseOut.model_validate(case)


@router.patch("/cases/{case_id}")
def change_case(case_id: Id, body: CasePatch, db: SessionDep, user: ApiUser) -> CaseOut:
    access.require_case(session=db, user=user, action=Action.ALLOCATE, case_id=case_id)
    case = service.change_case(session=db, actor=user, case_id=case_id, data=body)
    db.commit()
    return CaseOut.model_validate(case)


@router.post("/cases/{case_id}/close")
def close_case(case_id: Id, body: CaseClose, db: SessionDep, user: ApiUser) -> CaseOut:
    access.require_case(session=db, user=user, action=Action.ALLOCATE, case_id=case_id)
    case = service.close_case(session=db, actor=user, case_id=case_id, data=body)
    db.commit()
    return CaseOut.model_validate(case)


@router.post("/cases/{case_id}/reopen")
def reopen_case(case_id: Id, body: CaseClose, db: SessionDep, user: ApiUser) -> CaseOut:
    access.require_case(session=db, user=user, action=Action.ALLOCATE, case_id=case_id)
    case = service.reopen_case(session=db, actor=user, case_id=case_id, reason=body.reason)
    db.commit()
    return CaseOut.model_validate(case)


@router.get("/children/{case_id}")
def child_view(case_id: Id, db: SessionDep, user: ApiUser) -> ChildView:
    view = access.open_child(session=db, user=user, case_id=case_id, via="api")
    return view


@router.get("/caseload")
def caseload(db: SessionDep, user: ApiUser) -> list[CaseSummary]:
    return service.caseload(session=db, user=user)
