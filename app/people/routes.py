"""Pages for the people around a child: add a person (checking first for someone already
recorded), change their details, write a new pen-picture, relate two people of a household, and
add a professional working with the child.

Every form works without JavaScript and calls the same service functions as the JSON API
(app/people/api.py). A refused form is shown again with what was typed and each problem by field;
nothing is written unless everything is.
"""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from app.access import Granted, Target, allow, network_case_ids, visible_matches
from app.audit import service as audit
from app.auth import service as auth
from app.cases.policy import Action
from app.deps import CsrfChecked, Id, LibraryDep, SessionDep
from app.engine.library import Library
from app.errors import DomainError
from app.people import identifiers, service
from app.people.forms import Form, date_parts, optional, parsed, posted_date, text, yes_no
from app.people.models import Person
from app.people.schemas import (
    PenPictureIn,
    PersonIn,
    PersonPatch,
    PossibleMatch,
    ProfessionalIn,
    RelationshipIn,
)
from app.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])
# The same actions as the API routes that do the same writes (app/people/api.py).
ForChild = Annotated[Granted, allow(Action.WRITE, Target.CASE, page=True)]
ForPerson = Annotated[Granted, allow(Action.WRITE, Target.PERSON, page=True)]
ForFamily = Annotated[Granted, allow(Action.WRITE, Target.FAMILY, page=True)]

SEXES = [
    ("female", "Female"),
    ("male", "Male"),
    ("not_known", "Not known"),
    ("not_stated", "Not stated"),
]
# The NHS number is asked with the names: the same number is the surest sign of the same person.
NAME_FIELDS = ("given_names", "family_name", "known_as", "sex", "nhs_number")
PICTURE_PARTS = [
    ("who_they_are", "Who they are to the child"),
    ("what_they_are_like", "What they are like"),
    ("strengths", "Strengths"),
    ("worries", "Worries"),
    ("how_to_talk", "How best to talk with them"),
]


# Adding a person around a child -------------------------------------------------------------


@router.get("/children/{case_id}/people/new")
def new_person(case_id: Id, request: Request, db: SessionDep, granted: ForChild) -> Response:
    """Step 1: who they are (name, date of birth, sex)."""
    return _adding(request, db, granted, "names", {}, {})


@router.post("/children/{case_id}/people/new")
async def add_person(case_id: Id, request: Request, db: SessionDep, granted: ForChild) -> Response:
    """Names first; then "Is this the same person?" if someone like them is recorded; then how
    they relate to the child. Each step's answers travel on in the form, so no JavaScript."""
    form = await request.form()
    values = _typed(form)
    errors: dict[str, str] = {}
    person = _person_in(form, errors)
    step = text(form, "step")
    if person is None:
        return _adding(request, db, granted, "names", values, errors)
    matches = _matches(db, granted, person)
    if step == "names":
        following = "match" if matches.matches or matches.hidden else "details"
        return _adding(request, db, granted, following, values, errors, matches=matches)
    chosen = _chosen(db, form, matches.matches, errors)
    if errors:
        return _adding(request, db, granted, "match", values, errors, matches=matches)
    if step == "match":
        return _adding(request, db, granted, "details", values, errors, existing=chosen)
    return _save_person(request, db, granted, form, person, chosen)


def _person_in(form: Form, errors: dict[str, str]) -> PersonIn | None:
    values: dict[str, Any] = {name: optional(form, name) for name in NAME_FIELDS}
    values |= {"given_names": text(form, "given_names"), "family_name": text(form, "family_name")}
    values |= {"address": optional(form, "address"), "phone": optional(form, "phone")}
    values["date_of_birth"] = posted_date(form, "date_of_birth", errors)
    person = parsed(PersonIn, values, errors)
    return None if errors else person


def _matches(db: Session, granted: Granted, person: PersonIn) -> Any:
    found = service.find_matches(
        session=db,
        given_names=person.given_names,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        nhs_number=person.nhs_number,
    )
    child_id = granted.case.child_id  # the child is never offered as someone around themselves
    return visible_matches(db, granted.user, [m for m in found if m.person_id != child_id])


def _chosen(
    db: Session, form: Form, matches: list[PossibleMatch], errors: dict[str, str]
) -> Person | None:
    """The recorded person the worker said this is, or None for a new person."""
    answer = text(form, "same_person")
    if not matches or answer == "new":
        return None
    match = next((m for m in matches if str(m.person_id) == answer), None)
    if match is None:
        errors["same_person"] = "Select whether this is the same person"
        return None
    return service.get_person(session=db, person_id=match.person_id)


def _save_person(
    request: Request,
    db: SessionDep,
    granted: Granted,
    form: Form,
    person: PersonIn,
    chosen: Person | None,
) -> Response:
    errors: dict[str, str] = {}
    around = _around(db, granted, form, errors)
    if chosen is not None:
        granted.check_people(db, {"same_person": chosen.id}, Action.WRITE)
    if around is None:
        return _adding(request, db, granted, "details", _typed(form), errors, existing=chosen)
    try:
        service.add_around_child(
            session=db,
            actor=granted.user,
            child_id=granted.case.child_id,
            around=around,
            person=None if chosen else person,
            person_id=chosen.id if chosen else None,
            case_ids=network_case_ids(db, [granted.case.child_id]),
        )
    except DomainError as refused:
        db.rollback()  # nothing half-written: the person, household and link go together
        errors[refused.field or "type_code"] = refused.message
        return _adding(request, db, granted, "details", _typed(form), errors, existing=chosen)
    db.commit()
    return RedirectResponse(f"/children/{granted.case.id}", status_code=303)


def _around(
    db: Session, granted: Granted, form: Form, errors: dict[str, str]
) -> service.AroundChild | None:
    kinds = {kind.code for kind in service.relationship_types(session=db)}
    if text(form, "type_code") not in kinds:
        errors["type_code"] = "Select how they are related to the child"
    homes = [f.id for f in service.families_of(session=db, person_id=granted.case.child_id)]
    family = text(form, "family_id")
    if homes and family not in [*map(str, homes), "none"]:
        errors["family_id"] = "Select the household, or that they are in none of these"
    if errors:
        return None
    return service.AroundChild(
        type_code=text(form, "type_code"),
        parental_responsibility=yes_no(form, "parental_responsibility"),
        family_id=int(family) if family.isdigit() else None,
        lives_here=yes_no(form, "lives_here") is not False,
    )


def _typed(form: Form) -> dict[str, Any]:
    """What was typed, to show again in the next step or with the problems."""
    names = (*NAME_FIELDS, "address", "phone", "type_code", "parental_responsibility")
    values: dict[str, Any] = {name: text(form, name) for name in names}
    values |= {name: text(form, name) for name in ("family_id", "lives_here", "same_person")}
    values["date_of_birth"] = date_parts(form, "date_of_birth")
    return values


def _adding(
    request: Request,
    db: Session,
    granted: Granted,
    step: str,
    values: dict[str, Any],
    errors: dict[str, str],
    **extra: Any,
) -> Response:
    child = granted.case.child
    sex = extra["existing"].sex if extra.get("existing") else values.get("sex")
    context = {
        "title": f"Add a person around {child.full_name}",
        "case": granted.case,
        "child": child,
        "step": step,
        "values": values,
        "errors": errors,
        "sexes": SEXES,
        "kinds": _kinds(db, sex),
        "families": service.families_of(session=db, person_id=child.id),
        "matches": None,
        "existing": None,
        **extra,
    }
    return render(request, "people/add_person.html", context, status_code=400 if errors else 200)


def _kinds(db: Session, sex: str | None) -> list[tuple[str, str]]:
    """Relationship types in the words that fit this person ("sister", not "brother or sister")."""
    kinds = service.relationship_types(session=db)
    words = [(k.code, service.gendered(k.label, sex)) for k in kinds if k.known]
    return [*words, *((k.code, k.label) for k in kinds if not k.known)]


# A person's details and pen-picture ---------------------------------------------------------


@router.get("/people/{person_id}/edit")
def edit_person(
    person_id: Id, request: Request, db: SessionDep, library: LibraryDep, granted: ForPerson
) -> Response:
    person = service.get_person(session=db, person_id=person_id)
    return _editing(request, db, library, person, _details_of(person), {})


@router.post("/people/{person_id}/edit")
async def save_person(
    person_id: Id, request: Request, db: SessionDep, library: LibraryDep, granted: ForPerson
) -> Response:
    """Only what changed is sent to the service, whose before and after go on each child's trail."""
    form = await request.form()
    person = service.get_person(session=db, person_id=person_id)
    errors: dict[str, str] = {}
    typed = _details_posted(form, errors)
    checked = None if errors else parsed(PersonPatch, typed, errors)
    if checked is None:
        values = {**typed, "date_of_birth": date_parts(form, "date_of_birth")}
        return _editing(request, db, library, person, values, errors)
    # Only the fields this page shows: the rest (ethnicity, language…) are never touched here.
    typed_now = checked.model_dump(exclude_unset=True)
    changed = {k: v for k, v in typed_now.items() if v != getattr(person, k)}
    if changed.get("date_of_birth") and person.expected_date:  # the expected baby is born
        changed["expected_date"] = None
    if changed:
        try:
            service.update_person(
                session=db,
                actor=granted.user,
                person_id=person_id,
                data=PersonPatch.model_validate(changed),
                case_ids=network_case_ids(db, [person_id]),
            )
        except DomainError as refused:  # e.g. a date of birth for someone not yet born
            db.rollback()
            values = {**typed, "date_of_birth": date_parts(form, "date_of_birth")}
            problem = {refused.field or "given_names": refused.message}
            return _editing(request, db, library, person, values, problem)
        db.commit()
    return RedirectResponse(f"/people/{person_id}", status_code=303)


IDENTIFIERS = ("nhs_number", "upn", "former_upn", "upn_unknown_reason", "local_child_id")
DETAILS = ("given_names", "family_name", "known_as", "sex", "address", "phone", *IDENTIFIERS)


def _details_of(person: Person) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(person, name) or "" for name in DETAILS}
    born = person.date_of_birth
    values["date_of_birth"] = (
        {"day": str(born.day), "month": str(born.month), "year": str(born.year)} if born else {}
    )
    values["address_confidential"] = person.address_confidential
    values["nhs_number"] = identifiers.spaced(person.nhs_number)
    return values


def _details_posted(form: Form, errors: dict[str, str]) -> dict[str, Any]:
    # An identifier the form did not send is left alone: only a field sent blank clears it.
    sent = [name for name in DETAILS if name in form or name not in IDENTIFIERS]
    values: dict[str, Any] = {name: optional(form, name) for name in sent}
    values |= {"given_names": text(form, "given_names"), "family_name": text(form, "family_name")}
    values["date_of_birth"] = posted_date(form, "date_of_birth", errors)
    values["address_confidential"] = text(form, "address_confidential") == "yes"
    return values


def _editing(
    request: Request,
    db: Session,
    library: Library,
    person: Person,
    values: dict[str, Any],
    errors: dict[str, str],
) -> Response:
    changes = audit.changes_to(session=db, target_type="person", target_id=person.id)
    changes = [c for c in changes if "before" in c.detail]  # not the pen-picture's new versions
    context = {
        "title": f"Change {person.full_name}'s details",
        "person": person,
        "values": values,
        "errors": errors,
        "sexes": SEXES,
        "upn_unknown": _choices(library, "upn_unknown"),
        "changes": changes,
        "names": auth.names_of(session=db, user_ids={c.actor_id for c in changes}),
    }
    return render(request, "people/edit_person.html", context, status_code=400 if errors else 200)


@router.get("/people/{person_id}/pen-picture")
def new_pen_picture(
    person_id: Id, request: Request, db: SessionDep, granted: ForPerson
) -> Response:
    """The newest version to start from; saving writes the next version, the rest are kept."""
    current = service.current_pen_pictures(session=db, person_ids=[person_id]).get(person_id)
    values = {key: getattr(current, key) or "" for key, _ in PICTURE_PARTS} if current else {}
    return _picturing(request, db, person_id, values, {})


@router.post("/people/{person_id}/pen-picture")
async def write_pen_picture(
    person_id: Id, request: Request, db: SessionDep, granted: ForPerson
) -> Response:
    form = await request.form()
    values = {key: optional(form, key) for key, _ in PICTURE_PARTS}
    errors: dict[str, str] = {}
    if not any(values.values()):
        errors["who_they_are"] = "Write at least one part of the pen-picture"
    picture = None if errors else parsed(PenPictureIn, values, errors)
    if picture is None:
        return _picturing(request, db, person_id, values, errors)
    service.write_pen_picture(
        session=db,
        actor=granted.user,
        person_id=person_id,
        data=picture,
        case_ids=network_case_ids(db, [person_id]),
    )
    db.commit()
    return RedirectResponse(f"/people/{person_id}", status_code=303)


def _picturing(
    request: Request, db: Session, person_id: int, values: dict[str, Any], errors: dict[str, str]
) -> Response:
    person = service.get_person(session=db, person_id=person_id)
    history = service.pen_picture_history(session=db, person_id=person_id)
    context = {
        "title": f"Pen-picture of {person.full_name}",
        "person": person,
        "values": values,
        "errors": errors,
        "parts": PICTURE_PARTS,
        "history": history,
        "names": auth.names_of(session=db, user_ids={h.author_id for h in history}),
    }
    return render(request, "people/pen_picture.html", context, status_code=400 if errors else 200)


# Relationships within a household ------------------------------------------------------------


@router.get("/families/{family_id}/relationships")
def relationships(family_id: Id, request: Request, db: SessionDep, granted: ForFamily) -> Response:
    return _relating(request, db, family_id, {}, {})


@router.post("/families/{family_id}/relationships")
async def relate(family_id: Id, request: Request, db: SessionDep, granted: ForFamily) -> Response:
    """Add a relationship, or change one: the link it replaces is ended, never deleted."""
    form = await request.form()
    values = {k: text(form, k) for k in ("person_id", "other_person_id", "type_code")}
    values["parental_responsibility"] = text(form, "parental_responsibility")
    errors = _members_chosen(db, family_id, values)
    link = None if errors else parsed(RelationshipIn, _link_of(values), errors)
    if link is None:
        return _relating(request, db, family_id, values, errors)
    try:
        service.change_relationship(
            session=db,
            actor=granted.user,
            data=link,
            case_ids=network_case_ids(db, [link.person_id, link.other_person_id]),
        )
    except DomainError as refused:
        db.rollback()
        return _relating(
            request, db, family_id, values, {refused.field or "type_code": refused.message}
        )
    db.commit()
    return RedirectResponse(f"/families/{family_id}/relationships", status_code=303)


def _members_chosen(db: Session, family_id: int, values: dict[str, str]) -> dict[str, str]:
    members = {
        str(i) for i in service.member_ids(service.get_family(session=db, family_id=family_id))
    }
    errors = {
        name: f"Choose {which} from the household"
        for name, which in (
            ("person_id", "the first person"),
            ("other_person_id", "the other person"),
        )
        if values[name] not in members
    }
    if values["type_code"] not in {k.code for k in service.relationship_types(session=db)}:
        errors["type_code"] = "Select the relationship"
    return errors


def _link_of(values: dict[str, str]) -> dict[str, Any]:
    return {
        "person_id": int(values["person_id"]),
        "other_person_id": int(values["other_person_id"]),
        "type_code": values["type_code"],
        "has_parental_responsibility": {"yes": True, "no": False}.get(
            values["parental_responsibility"]
        ),
    }


def _relating(
    request: Request,
    db: Session,
    family_id: int,
    values: dict[str, str],
    errors: dict[str, str],
) -> Response:
    family = service.get_family(session=db, family_id=family_id)
    links = service.relationships_among(session=db, person_ids=service.member_ids(family))
    context = {
        "title": f"Relationships in {family.name}",
        "family": family,
        "links": links,
        "kinds": [(k.code, k.label) for k in service.relationship_types(session=db)],
        "gendered": service.gendered,
        "values": values,
        "errors": errors,
    }
    return render(request, "people/relationships.html", context, status_code=400 if errors else 200)


# Professionals ------------------------------------------------------------------------------


@router.get("/children/{case_id}/professionals/new")
def new_professional(
    case_id: Id, request: Request, library: LibraryDep, granted: ForChild
) -> Response:
    return _professional_page(request, library, granted, {}, {})


@router.post("/children/{case_id}/professionals/new")
async def add_professional(
    case_id: Id, request: Request, db: SessionDep, library: LibraryDep, granted: ForChild
) -> Response:
    """A professional and their work with the child, from a date and (if it has ended) to one."""
    form = await request.form()
    fields = ("name", "role", "agency_type", "organisation", "phone", "email")
    values: dict[str, Any] = {name: optional(form, name) for name in fields}
    errors: dict[str, str] = {}
    started, ended = _dates(form, errors)
    _check_professional(library, values, errors)
    professional = None if errors else parsed(ProfessionalIn, values, errors)
    if professional is None:
        shown = values | {n: date_parts(form, n) for n in ("started_on", "ended_on")}
        return _professional_page(request, library, granted, shown, errors)
    service.add_professional(
        session=db,
        actor=granted.user,
        person_id=granted.case.child_id,
        data=professional,
        started_on=started,
        ended_on=ended,
    )
    db.commit()
    return RedirectResponse(f"/children/{case_id}", status_code=303)


def _dates(form: Form, errors: dict[str, str]) -> tuple[date | None, date | None]:
    started = posted_date(form, "started_on", errors)
    ended = posted_date(form, "ended_on", errors)
    if ended and ended > date.today():
        errors["ended_on"] = (
            "To must be today or in the past; leave it blank while they still work with the child"
        )
    elif started and ended and ended < started:
        errors["ended_on"] = "To must be the same as or after From"
    return started, ended


def _check_professional(library: Library, values: dict[str, Any], errors: dict[str, str]) -> None:
    listed = library.codelists.get("agency_type")
    if values["agency_type"] not in {o.code for o in (listed.options if listed else [])}:
        errors["agency_type"] = "Select the agency"
    if values["email"] and "@" not in values["email"]:
        errors["email"] = "Enter an email address in the right format, like name@example.org"


def _choices(library: Library, codelist: str) -> list[tuple[str, str]]:
    listed = library.codelists.get(codelist)
    options = listed.options if listed else []
    return [(o.code, f"{o.code}: {library.code_label(codelist, o.code)}") for o in options]


def _professional_page(
    request: Request,
    library: Library,
    granted: Granted,
    values: dict[str, Any],
    errors: dict[str, str],
) -> Response:
    listed = library.codelists.get("agency_type")
    context = {
        "title": f"Add a professional working with {granted.case.child.full_name}",
        "case": granted.case,
        "child": granted.case.child,
        "agencies": [
            (o.code, library.code_label("agency_type", o.code))
            for o in (listed.options if listed else [])
        ],
        "values": values,
        "errors": errors,
    }
    return render(request, "people/professional.html", context, status_code=400 if errors else 200)
