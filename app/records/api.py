"""JSON API for exemplars and records: start, save, check, submit, finalise, amend, next step."""

from typing import Any

from fastapi import APIRouter
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.auth import access
from app.auth.access import Action
from app.auth.models import User
from app.deps import ApiUser, CsrfChecked, Id, LibraryDep, SessionDep
from app.engine import answers as engine
from app.engine.library import Library
from app.errors import Invalid
from app.records import service
from app.records.models import Record
from app.records.schemas import (
    AnswersIn,
    ConfirmIn,
    DiffOut,
    ExemplarSummary,
    NextStep,
    RecordOut,
    ReturnIn,
    RevisionOut,
    SaveOut,
    SectionOut,
    SnapshotOut,
    StartGroup,
    StartRecord,
    VisibilityIn,
    VisibilityOut,
)

router = APIRouter(prefix="/api", tags=["exemplars and records"], dependencies=[CsrfChecked])


@router.get("/exemplars")
def list_exemplars(library: LibraryDep, user: ApiUser) -> list[ExemplarSummary]:
    return [
        ExemplarSummary(
            id=e.id, version=e.version, title=service.title_of(e), retired=e.definition.retired
        )
        for e in sorted(library.exemplars.values(), key=lambda e: (e.id, e.version))
    ]


@router.get("/exemplars/{exemplar_id}")
def get_exemplar(
    exemplar_id: str, library: LibraryDep, user: ApiUser, version: int | None = None
) -> dict[str, Any]:
    """The whole definition (newest version unless one is asked for), as the YAML says it."""
    exemplar = library.get(exemplar_id, version) if version else library.latest(exemplar_id)
    return exemplar.definition.model_dump(mode="json", by_alias=True, exclude_none=True)


@router.post("/cases/{case_id}/records", status_code=201)
def start_record(
    case_id: Id, body: StartRecord, db: SessionDep, library: LibraryDep, user: ApiUser
) -> RecordOut:
    action = Action.ON_BEHALF if body.on_behalf_of_id else Action.WRITE
    access.require_case(session=db, user=user, action=action, case_id=case_id)
    on_behalf_of = _user(db, body.on_behalf_of_id)
    record = service.start(
        session=db,
        library=library,
        actor=user,
        case_id=case_id,
        exemplar_id=body.exemplar_id,
        on_behalf_of=on_behalf_of,
    )
    db.commit()
    return _out(db, library, record)


@router.post("/record-groups", status_code=201)
def start_group(
    body: StartGroup, db: SessionDep, library: LibraryDep, user: ApiUser
) -> list[RecordOut]:
    for case_id in body.case_ids:
        access.require_case(session=db, user=user, action=Action.WRITE, case_id=case_id)
    records = service.start_group(
        session=db,
        library=library,
        actor=user,
        case_ids=body.case_ids,
        exemplar_id=body.exemplar_id,
        family_id=body.family_id,
    )
    db.commit()
    return [_out(db, library, record) for record in records]


@router.get("/cases/{case_id}/records")
def case_records(
    case_id: Id, db: SessionDep, library: LibraryDep, user: ApiUser
) -> list[RecordOut]:
    access.require_case(session=db, user=user, action=Action.VIEW, case_id=case_id)
    return [
        _out(db, library, record)
        for record in service.records_for_case(session=db, case_id=case_id)
    ]


@router.get("/records/{record_id}")
def get_record(record_id: Id, db: SessionDep, library: LibraryDep, user: ApiUser) -> RecordOut:
    record = _record(db, user, record_id, Action.VIEW)
    audit.record(
        session=db,
        actor=user,
        action="record.view",
        target_type="record",
        target_id=record.id,
        case_id=record.case_id,
        detail={"via": "api"},
    )
    db.commit()
    return _out(db, library, record)


@router.patch("/records/{record_id}/answers")
def save_answers(
    record_id: Id, body: AnswersIn, db: SessionDep, library: LibraryDep, user: ApiUser
) -> SaveOut:
    """Save answers (a draft: nothing is required yet). 409 names answers someone else changed."""
    action = Action.ON_BEHALF if body.on_behalf_of_id else Action.WRITE
    _record(db, user, record_id, action)
    result = service.save(
        session=db,
        library=library,
        actor=user,
        record_id=record_id,
        base_revision=body.base_revision,
        answers=body.answers,
        section_id=body.section_id,
        on_behalf_of=_user(db, body.on_behalf_of_id),
    )
    db.commit()
    return SaveOut(
        revision=result.record.revision, errors=result.errors, visible=_visible(result.visible)
    )


@router.post("/records/{record_id}/visibility")
def which_apply(
    record_id: Id, body: VisibilityIn, db: SessionDep, library: LibraryDep, user: ApiUser
) -> VisibilityOut:
    """Which sections and fields apply with these (unsaved) answers: the one evaluator decides."""
    record = _record(db, user, record_id, Action.VIEW)
    exemplar = service.definition_of(library=library, record=record)
    facts = service.facts_for(session=db, record=record)
    shown = engine.visibility(exemplar, answers={**record.answers, **body.answers}, facts=facts)
    return _visible(shown)


@router.post("/records/{record_id}/submit")
def submit(record_id: Id, db: SessionDep, library: LibraryDep, user: ApiUser) -> RecordOut:
    _record(db, user, record_id, Action.SUBMIT)
    record = service.submit(session=db, library=library, actor=user, record_id=record_id)
    db.commit()
    return _out(db, library, record)


@router.post("/records/{record_id}/finalise")
def finalise(record_id: Id, db: SessionDep, user: ApiUser) -> SnapshotOut:
    """Sign off: the manager approves, and the record is frozen."""
    _record(db, user, record_id, Action.APPROVE)
    snapshot = service.finalise(session=db, actor=user, record_id=record_id)
    db.commit()
    return SnapshotOut.model_validate(snapshot)


@router.post("/records/{record_id}/amend")
def amend(record_id: Id, db: SessionDep, library: LibraryDep, user: ApiUser) -> RecordOut:
    _record(db, user, record_id, Action.WRITE)
    record = service.amend(session=db, actor=user, record_id=record_id)
    db.commit()
    return _out(db, library, record)


@router.get("/records/{record_id}/revisions")
def revisions(record_id: Id, db: SessionDep, user: ApiUser) -> list[RevisionOut]:
    _record(db, user, record_id, Action.VIEW)
    return [
        RevisionOut.model_validate(r) for r in service.revisions(session=db, record_id=record_id)
    ]


@router.get("/records/{record_id}/snapshots")
def snapshots(record_id: Id, db: SessionDep, user: ApiUser) -> list[SnapshotOut]:
    _record(db, user, record_id, Action.VIEW)
    return [
        SnapshotOut.model_validate(s) for s in service.snapshots(session=db, record_id=record_id)
    ]


@router.get("/records/{record_id}/diff")
def diff(record_id: Id, db: SessionDep, user: ApiUser, from_version: int = 1) -> DiffOut:
    """What changed between a finalised version and the newest answers (or next version)."""
    record = _record(db, user, record_id, Action.VIEW)
    frozen = {
        s.version: s.content["answers"] for s in service.snapshots(session=db, record_id=record_id)
    }
    if from_version not in frozen:
        raise Invalid(
            f"Version {from_version} of this record was never finalised.", field="from_version"
        )
    to_version = from_version + 1 if from_version + 1 in frozen else record.version
    after = frozen.get(to_version, record.answers)
    return DiffOut(
        from_version=from_version,
        to_version=to_version,
        changes=service.diff(frozen[from_version], after),
    )


@router.post("/records/{record_id}/next", status_code=201)
def start_next(
    record_id: Id, body: NextStep, db: SessionDep, library: LibraryDep, user: ApiUser
) -> RecordOut:
    """Start an exemplar the outcome leads to, for the same child, pre-filled."""
    record = _record(db, user, record_id, Action.WRITE)
    offered = service.next_steps(library=library, record=record)
    if body.exemplar_id not in offered:
        message = f"This record's outcome leads to {', '.join(offered) or 'nothing yet'}."
        raise Invalid(message, field="exemplar_id")
    started = service.start(
        session=db,
        library=library,
        actor=user,
        case_id=record.case_id,
        exemplar_id=body.exemplar_id,
    )
    db.commit()
    return _out(db, library, started)


def _record(db: Session, user: User, record_id: Id, action: Action) -> Record:
    """The record, if the table lets `user` do `action` to its child's case."""
    record = service.get(session=db, record_id=record_id)
    access.require_case(session=db, user=user, action=action, case_id=record.case_id)
    return record


def _user(db: Session, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    found = db.get(User, user_id)
    if found is None:
        raise Invalid(f"No user with id {user_id}.", field="on_behalf_of_id")
    return found


def _visible(shown: engine.Visibility) -> VisibilityOut:
    return VisibilityOut(sections=shown.sections, fields=shown.fields)


def _out(db: Session, library: Library, record: Record) -> RecordOut:
    exemplar = service.definition_of(library=library, record=record)
    facts = service.facts_for(session=db, record=record)
    shown = engine.visibility(exemplar, answers=record.answers, facts=facts)
    due = service.due_date(library=library, record=record)
    sections = [
        SectionOut(
            id=s.id,
            title=service.title_of_section(s),
            status=service.section_status(s, record.answers, shown),
        )
        for s in exemplar.definition.sections
    ]
    return RecordOut(
        id=record.id,
        case_id=record.case_id,
        exemplar_id=record.exemplar_id,
        exemplar_version=record.exemplar_version,
        title=service.title_of(exemplar),
        status=record.status,
        revision=record.revision,
        version=record.version,
        answers=record.answers,
        sections=sections,
        next_steps=service.next_steps(library=library, record=record),
        due=due[0] if due else None,
        due_reason=due[1] if due else None,
        started_at=record.started_at,
        submitted_at=record.submitted_at,
        finalised_at=record.finalised_at,
    )


@router.post("/records/{record_id}/confirm")
def confirm(
    record_id: Id,
    db: SessionDep,
    library: LibraryDep,
    user: ApiUser,
    body: ConfirmIn | None = None,
) -> RecordOut:
    """The author has checked what was typed for them: it may now reach families and courts."""
    _record(db, user, record_id, Action.CONFIRM)
    ids = body.field_ids if body else None
    record = service.confirm(session=db, actor=user, record_id=record_id, field_ids=ids)
    db.commit()
    return _out(db, library, record)


@router.post("/records/{record_id}/return")
def return_record(
    record_id: Id, body: ReturnIn, db: SessionDep, library: LibraryDep, user: ApiUser
) -> RecordOut:
    """Send a submitted record back to its author with a comment (one click in the queue)."""
    _record(db, user, record_id, Action.APPROVE)
    record = service.return_record(
        session=db, actor=user, record_id=record_id, comment=body.comment
    )
    db.commit()
    return _out(db, library, record)


@router.get("/sign-off")
def sign_off_queue(db: SessionDep, library: LibraryDep, user: ApiUser) -> list[RecordOut]:
    """Submitted records waiting for this manager's team; approving never blocks the next step."""
    access.require(session=db, user=user, action=Action.APPROVE, case=None)
    queue = service.sign_off_queue(session=db, team_id=user.team_id)
    return [_out(db, library, record) for record in queue]
