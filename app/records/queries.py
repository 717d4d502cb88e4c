"""Reading records: by id, for a case, the sign-off queue, what is due, what comes next."""

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.service import AuditAction
from app.cases import service as cases
from app.engine import answers as engine
from app.engine.definitions import Section, text_for
from app.engine.library import Exemplar, Library
from app.records.errors import RecordNotFound
from app.records.models import Record, RecordRevision, RecordStatus

if TYPE_CHECKING:
    from app.cases.models import Case


def get(*, session: Session, record_id: int) -> Record:
    record = session.get(Record, record_id)
    if record is None:
        raise RecordNotFound(f"No record with id {record_id}.", field="record_id")
    return record


def written_by(*, session: Session, record: Record, user_id: int) -> bool:
    """Whether a user authored the record or typed any of it (so may not sign it off)."""
    if record.author_id == user_id or record.started_by_id == user_id:
        return True
    typed = select(RecordRevision.id).where(
        RecordRevision.record_id == record.id,
        RecordRevision.author_id == user_id,
        RecordRevision.changed != {},
    )
    return session.scalar(typed.limit(1)) is not None


def get_for_update(*, session: Session, record_id: int) -> Record:
    # Row lock on PostgreSQL so two saves of one record queue; SQLite serialises writes anyway.
    record = session.scalar(select(Record).where(Record.id == record_id).with_for_update())
    if record is None:
        raise RecordNotFound(f"No record with id {record_id}.", field="record_id")
    return record


def definition_of(*, library: Library, record: Record) -> Exemplar:
    """The definition a record was started on: old records keep their own version."""
    return library.get(record.exemplar_id, record.exemplar_version)


def title_of(exemplar: Exemplar) -> str:
    return text_for(exemplar.definition.title, "worker")


def first_name(case: "Case") -> str:
    """The child's first name, as brothers' and sisters' records are told apart ("For Ruby and
    Tyler", "from Ruby's referral")."""
    return case.child.given_names.split()[0]


def childs_record(*, session: Session, case_id: int, exemplar: Exemplar) -> str:
    """ "Ruby's referral and information record": a record named by whose it is, as a source."""
    first = first_name(cases.get_case(session=session, case_id=case_id))
    title = title_of(exemplar)
    return f"{first}'s {title[:1].lower()}{title[1:]}"


def title_of_section(section: Section) -> str:
    return text_for(section.title, "worker")


def records_for_case(*, session: Session, case_id: int) -> list[Record]:
    query = (
        select(Record)
        .where(Record.case_id == case_id)
        .order_by(Record.started_at.desc(), Record.id.desc())
    )
    return list(session.scalars(query))


def records_for_cases(*, session: Session, case_ids: list[int]) -> dict[int, list[Record]]:
    """Each case's records, newest first, in one query."""
    query = (
        select(Record)
        .where(Record.case_id.in_(case_ids))
        .order_by(Record.started_at.desc(), Record.id.desc())
    )
    found: dict[int, list[Record]] = {}
    for record in session.scalars(query):
        found.setdefault(record.case_id, []).append(record)
    return found


def sign_off_queue(*, session: Session, team_id: int | None) -> list[Record]:
    """Submitted records of a team's cases, oldest first: the manager's queue."""
    query = (
        select(Record)
        .where(
            Record.status == RecordStatus.SUBMITTED,
            Record.case_id.in_(cases.team_case_ids(team_id=team_id)),
        )
        .order_by(Record.submitted_at)
    )
    return list(session.scalars(query))


def next_steps(*, library: Library, record: Record) -> list[str]:
    """Exemplars the chosen outcome leads to (empty until an outcome is chosen)."""
    return engine.next_exemplars(
        definition_of(library=library, record=record), answers=record.answers
    )


def due_date(*, library: Library, record: Record) -> tuple[date, str] | None:
    """When the record is due and why, from its timescale (None if it has none or no start)."""
    return engine.due(definition_of(library=library, record=record), answers=record.answers)


def section_statuses(
    exemplar: Exemplar,
    record: Record,
    shown: engine.Visibility,
    facts: Mapping[str, Any],
    frozen: dict[str, Any] | None = None,
) -> dict[str, str]:
    """Each section's task-list status (the GOV.UK pattern): not applicable when its condition
    hides it; completed when the record is finalised, when the worker has marked it complete,
    when an amendment has left it as it was finalised (`frozen`: those answers), or when every
    requirement it has is met (it must have one); in progress once anything is answered; not
    started otherwise."""
    answers = record.answers
    gaps = set(engine.validate(exemplar, answers=answers, facts=facts, mode="submit").errors)
    finalised = record.status == RecordStatus.FINALISED
    statuses = {}
    for s in exemplar.definition.sections:
        kept = frozen is not None and all(answers.get(f.id) == frozen.get(f.id) for f in s.fields)
        marked = s.id in (record.completed_sections or [])
        statuses[s.id] = _status(s, answers, shown, gaps, finalised=finalised or kept or marked)
    return statuses


def _status(
    section: Section,
    answers: dict[str, Any],
    shown: engine.Visibility,
    gaps: set[str],
    *,
    finalised: bool,
) -> str:
    if not shown.sections.get(section.id, True):
        return "not_applicable"
    if finalised:  # or marked complete, or left as finalised
        return "completed"
    asked = [f for f in section.fields if shown.fields.get(f.id, True) and not f.signed_off_by]
    needed = [f for f in asked if f.required or f.required_if or f.min_rows]
    given = [f.id for f in asked if answers.get(f.id) is not None]
    if needed and given and not any(f.id in gaps for f in needed):
        return "completed"
    return "in_progress" if given else "not_started"


def returned_comments(*, session: Session, records: list[Record]) -> dict[int, dict[str, Any]]:
    """Record id → the manager's comment and name, for each record still returned to its author
    (until it is submitted again)."""
    back = [r.id for r in records if r.status == RecordStatus.RETURNED]
    return audit.latest_details(
        session=session, action=AuditAction.RECORD_RETURN, target_type="record", target_ids=back
    )
