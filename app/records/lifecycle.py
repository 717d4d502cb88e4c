"""A record's life: saved, submitted, returned, finalised, amended.

One table says which step may follow which status and what status it leads to; `move` is the only
place a record's status changes.
"""

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.service import AuditAction
from app.auth.models import User
from app.db import utcnow
from app.engine import answers as engine
from app.engine.library import Library
from app.errors import Invalid
from app.records import case_effects, revisions, signoff, snapshots
from app.records.errors import InvalidAnswers, WrongStatus
from app.records.models import Record, RecordSnapshot, RecordStatus
from app.records.queries import definition_of, get_for_update
from app.records.revisions import Event

S = RecordStatus
# (status now, step) -> status after. A step missing from the table is refused.
TRANSITIONS: dict[tuple[RecordStatus, Event], RecordStatus] = {
    **{(status, Event.SAVE): status for status in (S.DRAFT, S.RETURNED, S.AMENDING, S.SUBMITTED)},
    **{(status, Event.SUBMIT): S.SUBMITTED for status in (S.DRAFT, S.RETURNED, S.AMENDING)},
    (S.SUBMITTED, Event.SUBMIT): S.SUBMITTED,  # changed after submitting: submit again
    (S.SUBMITTED, Event.RETURN): S.RETURNED,
    (S.SUBMITTED, Event.FINALISE): S.FINALISED,
    (S.FINALISED, Event.AMEND): S.AMENDING,
}
EDITABLE = frozenset(status for status, step in TRANSITIONS if step == Event.SAVE)
REFUSALS = {
    Event.SAVE: "This record is {status}; amend it to make changes.",
    Event.SUBMIT: "This record is {status}; amend it to make changes.",
    Event.RETURN: "Only a submitted record can be returned.",
    Event.FINALISE: "Submit the record before finalising it.",
    Event.AMEND: "Only a finalised record can be amended.",
}
AUDITED = {
    Event.SUBMIT: AuditAction.RECORD_SUBMIT,
    Event.RETURN: AuditAction.RECORD_RETURN,
    Event.FINALISE: AuditAction.RECORD_FINALISE,
    Event.AMEND: AuditAction.RECORD_AMEND,
}


def ensure_editable(record: Record) -> None:
    _after(record, Event.SAVE)


def _after(record: Record, step: Event) -> RecordStatus:
    after = TRANSITIONS.get((record.status, step))
    if after is None:
        message = REFUSALS[step].format(status=record.status.value)
        raise WrongStatus(message, field="status")
    return after


def move(
    *,
    session: Session,
    record: Record,
    actor: User,
    step: Event,
    detail: dict[str, Any] | None = None,
    signed: dict[str, Any] | None = None,
) -> None:
    """Take one step in the record's life: the new status, a revision (holding what the sign-off
    wrote, if anything) and an audit event."""
    record.status = _after(record, step)
    answers = signoff.applied(record.answers, signed or {})
    changed = {key: value for key, value in (signed or {}).items() if value is not None}
    revisions.append(
        session=session, record=record, answers=answers, changed=changed, actor=actor, event=step
    )
    audit.record(
        session=session,
        actor=actor,
        action=AUDITED[step],
        target_type="record",
        target_id=record.id,
        case_id=record.case_id,
        detail=detail,
    )


def submit(*, session: Session, library: Library, actor: User, record_id: int) -> Record:
    """Check every requirement that applies now, then mark the record complete and submitted."""
    record = get_for_update(session=session, record_id=record_id)
    _after(record, Event.SUBMIT)
    exemplar = definition_of(library=library, record=record)
    facts = snapshots.facts_for(session=session, record=record)
    checked = engine.validate(exemplar, answers=record.answers, facts=facts, mode="submit")
    if checked.errors:
        raise InvalidAnswers(checked.errors)
    record.submitted_at = record.completed_at = utcnow()
    move(session=session, record=record, actor=actor, step=Event.SUBMIT)
    return record


def return_record(
    *, session: Session, library: Library, actor: User, record_id: int, comment: str
) -> Record:
    """The manager sends a submitted record back with a comment; the worker can edit it again.

    The sign-off fields say who returned it, when, "returned" and the comment."""
    record = get_for_update(session=session, record_id=record_id)
    exemplar = definition_of(library=library, record=record)
    signed = signoff.filled(exemplar, actor=actor, step="return", comment=comment)
    detail = {"comment": comment, "by": actor.full_name}
    move(
        session=session, record=record, actor=actor, step=Event.RETURN, detail=detail, signed=signed
    )
    return record


def finalise(
    *,
    session: Session,
    library: Library,
    actor: User,
    record_id: int,
    comment: str | None = None,
    on: date | None = None,
) -> RecordSnapshot:
    """Sign off: write the manager's decision into the record, then freeze it (answers,
    pre-filled values, the facts as they are today) and do to the case what the exemplar says."""
    record = get_for_update(session=session, record_id=record_id)
    _after(record, Event.FINALISE)
    exemplar = definition_of(library=library, record=record)
    signed = signoff.filled(exemplar, actor=actor, step="approve", comment=comment, on=on)
    answers = signoff.applied(record.answers, signed)
    snapshot = snapshots.freeze(
        session=session, library=library, record=record, actor=actor, answers=answers
    )
    record.finalised_at = snapshot.finalised_at = utcnow()
    detail = {"version": record.version, "checksum": snapshot.checksum}
    move(
        session=session,
        record=record,
        actor=actor,
        step=Event.FINALISE,
        detail=detail,
        signed=signed,
    )
    case_effects.apply(session=session, exemplar=exemplar, record=record, actor=actor)
    return snapshot


def amend(*, session: Session, actor: User, record_id: int, reason: str) -> Record:
    """Open a finalised record for amendment as its next version, with the reason kept in the
    amendment's event; the old snapshot stays, printable as it was."""
    reason = reason.replace("\x00", "").strip()
    if not reason:
        raise Invalid("Say why the record is being amended.", field="reason")
    record = get_for_update(session=session, record_id=record_id)
    _after(record, Event.AMEND)
    record.version += 1
    move(
        session=session,
        record=record,
        actor=actor,
        step=Event.AMEND,
        detail={"version": record.version, "reason": reason[:2000]},
    )
    return record
