"""JSON API for exemplars and records: start, save, check, submit, finalise, amend, next step."""

from typing import Annotated, Any

from fastapi import APIRouter
from sqlalchemy.orm import Session

from app.access import ENTER, Granted, SignedIn, Target, allow, keep_refusal, on_record
from app.cases.policy import Action
from app.deps import CsrfChecked, Id, LibraryDep, SessionDep
from app.engine import answers as engine
from app.engine.library import Library
from app.errors import Invalid
from app.records import service
from app.records.context import RecordContext
from app.records.models import Record
from app.records.schemas import (
    AmendIn,
    AnswersIn,
    ConfirmIn,
    DiffOut,
    ExemplarSummary,
    FinaliseIn,
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
Viewing = Annotated[RecordContext, on_record(Action.VIEW)]
Entering = Annotated[RecordContext, on_record(ENTER)]


@router.get("/exemplars")
def list_exemplars(library: LibraryDep, user: SignedIn) -> list[ExemplarSummary]:
    return [
        ExemplarSummary(
            id=e.id, version=e.version, title=service.title_of(e), retired=e.definition.retired
        )
        for e in sorted(library.exemplars.values(), key=lambda e: (e.id, e.version))
    ]


@router.get("/exemplars/{exemplar_id}")
def get_exemplar(
    exemplar_id: str, library: LibraryDep, user: SignedIn, version: int | None = None
) -> dict[str, Any]:
    """The whole definition (newest version unless one is asked for), as the YAML says it."""
    exemplar = library.get(exemplar_id, version) if version else library.latest(exemplar_id)
    return exemplar.definition.model_dump(mode="json", by_alias=True, exclude_none=True)


@router.post("/cases/{case_id}/records", status_code=201)
def start_record(
    case_id: Id,
    body: StartRecord,
    db: SessionDep,
    library: LibraryDep,
    granted: Annotated[Granted, allow(ENTER, Target.CASE)],
) -> RecordOut:
    record = service.start(
        session=db,
        library=library,
        actor=granted.user,
        case_id=case_id,
        exemplar_id=body.exemplar_id,
        on_behalf_of=granted.typing_for(body.on_behalf_of_id),
    )
    db.commit()
    return _out(db, library, record)


@router.post("/record-groups", status_code=201)
def start_group(
    body: StartGroup,
    db: SessionDep,
    library: LibraryDep,
    granted: Annotated[Granted, allow(Action.WRITE, Target.NO_CASE)],
) -> list[RecordOut]:
    granted.check_cases(db, body.case_ids, Action.WRITE)
    records = service.start_group(
        session=db,
        library=library,
        actor=granted.user,
        case_ids=body.case_ids,
        exemplar_id=body.exemplar_id,
        family_id=body.family_id,
    )
    db.commit()
    return [_out(db, library, record) for record in records]


@router.get("/cases/{case_id}/records")
def case_records(
    case_id: Id,
    db: SessionDep,
    library: LibraryDep,
    granted: Annotated[Granted, allow(Action.VIEW, Target.CASE)],
) -> list[RecordOut]:
    found = service.records_for_case(session=db, case_id=case_id)
    return [_out(db, library, record) for record in found]


@router.get("/records/{record_id}")
def get_record(record_id: Id, db: SessionDep, library: LibraryDep, record: Viewing) -> RecordOut:
    return _out(db, library, record.record, record)


@router.patch("/records/{record_id}/answers")
def save_answers(
    record_id: Id, body: AnswersIn, db: SessionDep, library: LibraryDep, record: Entering
) -> SaveOut:
    """Save answers (a draft: nothing is required yet). 409 names answers someone else changed."""
    granted: Granted = record.granted
    try:
        result = service.save(
            session=db,
            library=library,
            actor=granted.user,
            context=record,
            base_revision=body.base_revision,
            answers=body.answers,
            section_id=body.section_id,
            on_behalf_of=granted.typing_for(body.on_behalf_of_id),
        )
    except (service.AuthorOnly, service.NotTheirSection) as refused:
        keep_refusal(db, granted.user, refused, case_id=record.case.id)
        raise
    db.commit()
    return SaveOut(
        revision=result.record.revision, errors=result.errors, visible=_visible(result.visible)
    )


@router.post("/records/{record_id}/visibility")
def which_apply(record_id: Id, body: VisibilityIn, record: Viewing) -> VisibilityOut:
    """Which sections and fields apply with these (unsaved) answers: the one evaluator decides."""
    answers = {**record.answers, **body.answers}
    return _visible(engine.visibility(record.exemplar, answers=answers, facts=record.facts))


@router.post("/records/{record_id}/submit")
def submit(
    record_id: Id,
    db: SessionDep,
    library: LibraryDep,
    record: Annotated[RecordContext, on_record(Action.SUBMIT)],
) -> RecordOut:
    actor = record.granted.user
    submitted = service.submit(session=db, library=library, actor=actor, record_id=record_id)
    db.commit()
    return _out(db, library, submitted)


@router.post("/records/{record_id}/finalise")
def finalise(
    record_id: Id,
    db: SessionDep,
    library: LibraryDep,
    record: Annotated[RecordContext, on_record(Action.APPROVE)],
    body: FinaliseIn | None = None,
) -> SnapshotOut:
    """Sign off: the manager approves (their name, role, date and decision go into the record's
    sign-off fields), and the record is frozen."""
    snapshot = service.finalise(
        session=db,
        library=library,
        actor=record.granted.user,
        record_id=record_id,
        comment=body.comment if body else None,
    )
    db.commit()
    return SnapshotOut.model_validate(snapshot)


@router.post("/records/{record_id}/amend")
def amend(
    record_id: Id,
    db: SessionDep,
    library: LibraryDep,
    record: Annotated[RecordContext, on_record(Action.WRITE)],
    body: AmendIn,
) -> RecordOut:
    """Open a finalised record as its next version, saying why."""
    actor = record.granted.user
    amended = service.amend(session=db, actor=actor, record_id=record_id, reason=body.reason)
    db.commit()
    return _out(db, library, amended)


@router.get("/records/{record_id}/revisions")
def revisions(record_id: Id, db: SessionDep, record: Viewing) -> list[RevisionOut]:
    return [
        RevisionOut.model_validate(r) for r in service.revisions(session=db, record_id=record_id)
    ]


@router.get("/records/{record_id}/snapshots")
def snapshots(record_id: Id, db: SessionDep, record: Viewing) -> list[SnapshotOut]:
    return [
        SnapshotOut.model_validate(s) for s in service.snapshots(session=db, record_id=record_id)
    ]


@router.get("/records/{record_id}/diff")
def diff(record_id: Id, db: SessionDep, record: Viewing, from_version: int = 1) -> DiffOut:
    """What changed between a finalised version and the newest answers (or next version)."""
    frozen = {
        s.version: s.content["answers"] for s in service.snapshots(session=db, record_id=record_id)
    }
    if from_version not in frozen:
        raise Invalid(
            f"Version {from_version} of this record was never finalised.", field="from_version"
        )
    to_version = from_version + 1 if from_version + 1 in frozen else record.record.version
    after = frozen.get(to_version, record.answers)
    return DiffOut(
        from_version=from_version,
        to_version=to_version,
        changes=service.diff(frozen[from_version], after),
    )


@router.post("/records/{record_id}/next", status_code=201)
def start_next(
    record_id: Id,
    body: NextStep,
    db: SessionDep,
    library: LibraryDep,
    context: Annotated[RecordContext, on_record(Action.WRITE)],
) -> RecordOut:
    """Start an exemplar the outcome leads to, for the same child, pre-filled."""
    record = context.record
    offered = service.next_steps(library=library, record=record)
    if body.exemplar_id not in offered:
        message = f"This record's outcome leads to {', '.join(offered) or 'nothing yet'}."
        raise Invalid(message, field="exemplar_id")
    started = service.start(
        session=db,
        library=library,
        actor=context.granted.user,
        case_id=record.case_id,
        exemplar_id=body.exemplar_id,
    )
    db.commit()
    return _out(db, library, started)


def _visible(shown: engine.Visibility) -> VisibilityOut:
    return VisibilityOut(sections=shown.sections, fields=shown.fields)


def _out(
    db: Session, library: Library, record: Record, context: RecordContext | None = None
) -> RecordOut:
    context = context or service.load(session=db, library=library, record_id=record.id)
    exemplar, shown = context.exemplar, context.visibility
    due = service.due_date(library=library, record=record)
    frozen = service.amended_from(session=db, record=record)
    status = service.section_statuses(exemplar, record, shown, context.facts, frozen)
    sections = [
        SectionOut(id=s.id, title=service.title_of_section(s), status=status[s.id])
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
    context: Annotated[RecordContext, on_record(Action.CONFIRM)],
    body: ConfirmIn | None = None,
) -> RecordOut:
    """The author has checked what was typed for them: it may now reach families and courts."""
    ids = body.field_ids if body else None
    actor = context.granted.user
    record = service.confirm(session=db, actor=actor, record_id=record_id, field_ids=ids)
    db.commit()
    return _out(db, library, record)


@router.post("/records/{record_id}/return")
def return_record(
    record_id: Id,
    body: ReturnIn,
    db: SessionDep,
    library: LibraryDep,
    context: Annotated[RecordContext, on_record(Action.APPROVE)],
) -> RecordOut:
    """Send a submitted record back to its author with a comment (one click in the queue)."""
    record = service.return_record(
        session=db,
        library=library,
        actor=context.granted.user,
        record_id=record_id,
        comment=body.comment,
    )
    db.commit()
    return _out(db, library, record)


@router.get("/sign-off")
def sign_off_queue(
    db: SessionDep,
    library: LibraryDep,
    granted: Annotated[Granted, allow(Action.APPROVE, Target.NO_CASE)],
) -> list[RecordOut]:
    """Submitted records waiting for this manager's team; approving never blocks the next step."""
    queue = service.sign_off_queue(session=db, team_id=granted.user.team_id)
    return [_out(db, library, record) for record in queue]
