"""Load the demo from the YAML beside this file, through the people, records and auth services.

Loading twice adds nothing: a user, family or finalised record already there (found by username,
the children's names, the exemplar) is kept as it is.
"""

from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth import service as auth_service
from app.auth.models import User
from app.cases import care
from app.cases.models import Case
from app.cases.schemas import CareEventIn, CaseIn
from app.cases.service import open_case
from app.config import get_settings
from app.demo import story
from app.demo.story import FOLDER, Cast, Family, PersonEntry, RecordFile
from app.engine.library import Library
from app.engine.loader import load_library
from app.people import service as people
from app.people.models import Person, Professional
from app.people.schemas import FamilyIn, MemberIn, PersonIn, ProfessionalIn, RelationshipIn
from app.records import service as records

DEMO_PASSWORD = "demo-password"  # noqa: S105 - published in the README; refused in production


def load(
    *,
    session: Session,
    if_empty: bool = False,
    with_records: bool = False,
    library: Library | None = None,
    folder: Path = FOLDER,
) -> list[str]:
    """Add what is missing of the demo; return the children's case numbers, youngest first.

    With `with_records`, the records child (Jade) also gets her finalised records."""
    if if_empty and session.scalar(select(Case.id).limit(1)) is not None:
        return []
    _, family = story.read_family(folder)
    users = _users(session=session, family=family)
    if not _cases(session, family):
        _create_family(session, family, users, library)
    if with_records:
        load_records(session=session, library=library, users=users, folder=folder)
    cases = sorted(_cases(session, family), key=lambda c: c.child.date_of_birth or date.min)
    return [case.case_number for case in reversed(cases)]


def load_records(
    *,
    session: Session,
    library: Library | None = None,
    users: dict[str, User] | None = None,
    exemplars: list[str] | None = None,
    folder: Path = FOLDER,
) -> str:
    """Give the records child her finalised records, adding only those she lacks.

    Returns her case number. An exemplar already finalised for her (even if it is being amended
    now) is left alone; `exemplars` picks some of the records, always in story order."""
    library = library or load_library(get_settings().exemplars_dir)
    _, family = story.read_family(folder)
    users = users or _users(session=session, family=family)
    case = _case_of(session, family, family.records_for)
    if case is None:
        raise LookupError(f"There is no case for {family.records_for}: load the demo family first.")
    finalised = records.records_for_case(session=session, case_id=case.id)
    done = {record.exemplar_id for record in finalised if record.finalised_at is not None}
    cast = _cast(session, family, case_opened=case.opened_on)
    for _, record in story.read_records(folder):
        if record.exemplar in done or (exemplars is not None and record.exemplar not in exemplars):
            continue
        _complete(session, library, users, case.id, record, cast)
    return case.case_number


def _users(*, session: Session, family: Family) -> dict[str, User]:
    team = auth_service.get_or_create_team(session=session, name=family.team)
    users: dict[str, User] = {}
    for username, entry in family.users.items():
        existing = session.scalar(select(User).where(User.username == username))
        users[username] = existing or auth_service.create_user(
            session=session,
            username=username,
            full_name=entry.name,
            role=entry.role,
            password=DEMO_PASSWORD,
            team=team,
            demo=True,
        )
        if existing is None and entry.profile is not None:
            for name, value in entry.profile.model_dump(exclude_none=True).items():
                setattr(users[username], name, value)
    return users


def _person_id(session: Session, entry: PersonEntry) -> int | None:
    return session.scalar(
        select(Person.id)
        .where(Person.given_names == entry.given_names, Person.family_name == entry.family_name)
        .order_by(Person.id)
        .limit(1)
    )


def _case_of(session: Session, family: Family, handle: str) -> Case | None:
    child_id = _person_id(session, family.people[handle])
    return session.scalar(select(Case).where(Case.child_id == child_id)) if child_id else None


def _cases(session: Session, family: Family) -> list[Case]:
    found = (_case_of(session, family, entry.child) for entry in family.cases)
    return [case for case in found if case is not None]


def _create_family(
    session: Session, family: Family, users: dict[str, User], library: Library | None
) -> None:
    # In the order a worker would type it: people, households, links, pen-pictures, agencies.
    actor, today = users[family.entered_by], date.today()
    ids = {h: _add_person(session, actor, entry, today) for h, entry in family.people.items()}
    for household in family.households:
        members = [
            MemberIn(person_id=ids[m.person], role=m.role, lives_here=m.lives_here)
            for m in household.members
        ]
        data = FamilyIn(
            name=household.name,
            address=household.address,
            address_confidential=household.address_confidential,
            members=members,
        )
        people.create_family(session=session, actor=actor, data=data)
    for link in family.relationships:
        relationship = RelationshipIn(
            person_id=ids[link.person],
            other_person_id=ids[link.other],
            type_code=link.type,
            has_parental_responsibility=link.parental_responsibility,
        )
        people.add_relationship(session=session, actor=actor, data=relationship)
    for handle, entry in family.people.items():
        if entry.pen_picture:
            people.write_pen_picture(
                session=session, actor=actor, person_id=ids[handle], data=entry.pen_picture
            )
    _add_professionals(session, family, actor, ids, today)
    _open_cases(session, family, users, ids, today)
    _care(session, family, users, ids, library, today)


def _open_cases(
    session: Session, family: Family, users: dict[str, User], ids: dict[str, int], today: date
) -> None:
    for case in family.cases:
        worker = users[case.worker]
        data = CaseIn(
            child_id=ids[case.child],
            allocated_worker_id=worker.id,
            team_id=worker.team_id,
            legal_status=case.legal_status,
            opened_on=story.family_day(case.opened, today=today),
        )
        open_case(session=session, actor=users[family.entered_by], data=data)


def _care(
    session: Session,
    family: Family,
    users: dict[str, User],
    ids: dict[str, int],
    library: Library | None,
    today: date,
) -> None:
    """A looked-after child's history, event by event, as their worker would record it."""
    for entry in (case for case in family.cases if case.care):
        case = _case_of(session, family, entry.child)
        assert case is not None  # opened just above
        for event in entry.care:
            fields = event.model_dump(exclude={"on", "carer"})
            data = CareEventIn(
                **fields,
                on=story.family_day(event.on, today=today),
                carer_id=ids[event.carer] if event.carer else None,
            )
            care.record_event(
                session=session,
                actor=users[entry.worker],
                library=library or _library(),
                case_id=case.id,
                data=data,
                today=today,
            )


@cache
def _library() -> Library:
    """The exemplars' code lists, read once a process: a care event's codes are checked."""
    return load_library(get_settings().exemplars_dir)


def _add_person(session: Session, actor: User, entry: PersonEntry, today: date) -> int:
    details = entry.model_dump(exclude={"born", "pen_picture"})
    if entry.born is not None:
        details["date_of_birth"] = story.family_day(entry.born, today=today)
    person, _matches = people.create_person(session=session, actor=actor, data=PersonIn(**details))
    return person.id


def _add_professionals(
    session: Session, family: Family, actor: User, ids: dict[str, int], today: date
) -> None:
    for entry in family.professionals.values():
        details = ProfessionalIn(**entry.model_dump(exclude={"works_with", "since"}))
        pro = people.create_professional(session=session, actor=actor, data=details)
        since = story.family_day(entry.since, today=today) if entry.since else None
        for handle in entry.works_with:
            people.involve(
                session=session,
                actor=actor,
                person_id=ids[handle],
                professional_id=pro.id,
                started_on=since,
            )


def _cast(session: Session, family: Family, *, case_opened: date) -> Cast:
    """The ids of the family as this database has them, and the timeline of the records."""
    person_ids = {handle: _person_id(session, entry) for handle, entry in family.people.items()}
    pro_ids = {
        handle: session.scalar(
            select(Professional.id).where(Professional.name == entry.name).order_by(Professional.id)
        )
        for handle, entry in family.professionals.items()
    }
    missing = [h for h, found in {**person_ids, **pro_ids}.items() if found is None]
    if missing:
        raise LookupError(f"The demo family has no {', '.join(missing)}: load it first.")
    today = date.today()
    names = story.base_days(case_opened=case_opened, today=today)
    days, faults = story.named(family.timeline, names=names, today=today, key="timeline")
    if faults:
        raise ValueError(f"The demo timeline does not read: {faults}")
    ids = {
        kind: {handle: found for handle, found in found_ids.items() if found is not None}
        for kind, found_ids in (("person", person_ids), ("professional", pro_ids))
    }
    return Cast(ids=ids, days=days, today=today)


def _complete(
    session: Session,
    library: Library,
    users: dict[str, User],
    case_id: int,
    record: RecordFile,
    cast: Cast,
) -> None:
    """Start, fill, submit and finalise one record; anything the exemplar refuses is an error."""
    days, faults = story.named(record.days, names=cast.days, today=cast.today, key="days")
    exemplar = library.latest(record.exemplar)
    answers, more = story.resolve(exemplar, record.answers, replace(cast, days=days))
    if faults or more:
        raise ValueError(f"Demo {record.exemplar} does not read ({faults + more}): run the check.")
    author = users[record.started_by]
    started = records.start(
        session=session, library=library, actor=author, case_id=case_id, exemplar_id=exemplar.id
    )
    result = records.save(
        session=session,
        library=library,
        actor=author,
        context=records.load(session=session, library=library, record_id=started.id),
        base_revision=started.revision,
        answers={key: {"value": value} for key, value in answers.items()},
    )
    if result.errors:
        raise ValueError(f"Demo {record.exemplar} answers refused: {result.errors}")
    records.submit(session=session, library=library, actor=author, record_id=started.id)
    signed = record.sign_off
    records.finalise(
        session=session,
        library=library,
        actor=users[record.finalised_by],
        record_id=started.id,
        comment=signed.comment if signed else None,
        on=days.get(signed.on) if signed and signed.on else None,
    )
