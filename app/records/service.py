"""Exemplar records: start, save section by section, submit, finalise, amend, next steps.

Every save is a revision (who typed it, for whom). A save is refused only when someone else has
changed the same answers since the page was loaded. Finalising freezes a snapshot for good.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.auth.access import Forbidden
from app.auth.models import User
from app.db import utcnow
from app.engine import answers as engine
from app.engine.definitions import Section, text_for
from app.engine.library import Exemplar, Library
from app.people import service as people
from app.people.facts import child_facts
from app.people.models import Case
from app.records.errors import (
    FieldConflict,
    InvalidAnswers,
    RecordNotFound,
    StaleRevision,
    WrongStatus,
)
from app.records.models import Record, RecordGroup, RecordRevision, RecordSnapshot, RecordStatus

EDITABLE = {
    RecordStatus.DRAFT,
    RecordStatus.RETURNED,
    RecordStatus.AMENDING,
    RecordStatus.SUBMITTED,
}


@dataclass
class SaveResult:
    record: Record
    errors: dict[str, str]
    visible: engine.Visibility


def get(*, session: Session, record_id: int) -> Record:
    record = session.get(Record, record_id)
    if record is None:
        raise RecordNotFound(f"No record with id {record_id}.", field="record_id")
    return record


def definition_of(*, library: Library, record: Record) -> Exemplar:
    """The definition a record was started on: old records keep their own version."""
    return library.get(record.exemplar_id, record.exemplar_version)


def title_of(exemplar: Exemplar) -> str:
    return text_for(exemplar.definition.title, "worker")


def facts_for(*, session: Session, record: Record) -> dict[str, Any]:
    """Facts for pathways: frozen ones for a finalised record, live ones otherwise."""
    snapshot = latest_snapshot(session=session, record_id=record.id)
    if record.status == RecordStatus.FINALISED and snapshot is not None:
        frozen: dict[str, Any] = snapshot.content["facts"]
        return frozen
    case = people.get_case(session=session, case_id=record.case_id)
    return child_facts(session=session, case=case)


def start(
    *,
    session: Session,
    library: Library,
    actor: User,
    case_id: int,
    exemplar_id: str,
    on_behalf_of: User | None = None,
    group: RecordGroup | None = None,
) -> Record:
    """Start a record on the newest version of an exemplar, pre-filled from what is known."""
    exemplar = library.latest(exemplar_id)
    case = people.get_case(session=session, case_id=case_id)
    author = on_behalf_of or actor
    record = Record(
        case_id=case.id,
        exemplar_id=exemplar.id,
        exemplar_version=exemplar.version,
        started_by_id=actor.id,
        author_id=author.id,
        group=group,
    )
    session.add(record)
    session.flush()
    filled = engine.prefill(
        exemplar,
        facts=child_facts(session=session, case=case),
        answers={},
        earlier=_earlier_lookup(
            session=session, library=library, case_id=case.id, before=record.id
        ),
        today=date.today(),
    )
    _append(
        session=session,
        record=record,
        answers=filled,
        changed=filled,
        actor=actor,
        on_behalf_of=on_behalf_of,
        event="start",
    )
    audit.record(
        session=session,
        actor=actor,
        action="record.start",
        target_type="record",
        target_id=record.id,
        case_id=case.id,
        detail={"exemplar": exemplar.id, "prefilled": sorted(filled)},
    )
    return record


def _earlier_lookup(
    *, session: Session, library: Library, case_id: int, before: int
) -> engine.EarlierLookup:
    """Latest earlier record of an exemplar for this child: finalised first, else newest draft."""

    def lookup(exemplar_id: str) -> engine.EarlierRecord | None:
        rows = session.scalars(
            select(Record)
            .where(
                Record.case_id == case_id, Record.exemplar_id == exemplar_id, Record.id != before
            )
            .order_by(Record.id.desc())
        ).all()
        chosen = next(
            (r for r in rows if r.status == RecordStatus.FINALISED), rows[0] if rows else None
        )
        if chosen is None:
            return None
        when = (chosen.finalised_at or chosen.started_at).date()
        label = title_of(definition_of(library=library, record=chosen))
        return engine.EarlierRecord(
            answers=chosen.answers, label=label, record_id=chosen.id, on=when
        )

    return lookup


def save(
    *,
    session: Session,
    library: Library,
    actor: User,
    record_id: int,
    base_revision: int,
    answers: dict[str, Any],
    section_id: str | None = None,
    on_behalf_of: User | None = None,
) -> SaveResult:
    """Save answers as a new revision; answers of the wrong shape are reported, the rest kept."""
    record = _get_for_update(session=session, record_id=record_id)
    _ensure_editable(record)
    exemplar = definition_of(library=library, record=record)
    facts = facts_for(session=session, record=record)
    changed = {
        key: _own_keys(value, record.answers.get(key))
        for key, value in answers.items()
        if record.answers.get(key) != value
    }
    if on_behalf_of is not None:
        _refuse_judgement(
            session=session, exemplar=exemplar, record=record, actor=actor, keys=changed
        )
        changed = {k: _typed_for(v, actor, on_behalf_of) for k, v in changed.items()}
    _refuse_lost_updates(
        session=session, record=record, base_revision=base_revision, changed=changed
    )
    checked = engine.validate(exemplar, answers=changed, facts=facts, mode="save")
    good = {key: value for key, value in changed.items() if key not in checked.errors}
    if good:
        merged = {
            key: value for key, value in {**record.answers, **good}.items() if value is not None
        }
        settled = engine.settle(exemplar, answers=merged, facts=facts)
        _append(
            session=session,
            record=record,
            answers=settled,
            changed=good,
            actor=actor,
            on_behalf_of=on_behalf_of,
            section_id=section_id,
        )
        _copy_to_siblings(
            session=session,
            record=record,
            exemplar=exemplar,
            section_id=section_id,
            changed=good,
            actor=actor,
        )
    visible = engine.visibility(exemplar, answers=record.answers, facts=facts)
    return SaveResult(record=record, errors=checked.errors, visible=visible)


SERVER_KEYS = ("awaiting_check", "provenance")


def _own_keys(value: Any, before: Any) -> Any:
    """Who typed and who checked an answer is the server's to say, never the client's."""
    if not isinstance(value, dict):
        return value
    return {k: v for k, v in value.items() if k not in SERVER_KEYS}


def _typed_for(value: Any, actor: User, author: User) -> Any:
    """Typed for someone else: it waits for their check before families or courts see it."""
    if value is None:
        return None
    note = {"typed_by": actor.full_name, "for": author.full_name, "on": date.today().isoformat()}
    return {**value, "awaiting_check": note}


def _refuse_judgement(
    *, session: Session, exemplar: Exemplar, record: Record, actor: User, keys: dict[str, Any]
) -> None:
    """Fields marked author_only hold the worker's judgement: nobody types them on their behalf."""
    judged = [key for key in keys if key in exemplar.fields and exemplar.fields[key].author_only]
    if not judged:
        return
    audit.record(
        session=session,
        actor=actor,
        action="denied.author_only",
        target_type="record",
        target_id=record.id,
        case_id=record.case_id,
        allowed=False,
        detail={"fields": judged},
    )
    session.commit()
    label = text_for(exemplar.fields[judged[0]].label, "worker")
    raise Forbidden(f"Only the worker may write '{label}': it is their judgement.", field=judged[0])


def confirm(
    *, session: Session, actor: User, record_id: int, field_ids: list[str] | None = None
) -> Record:
    """The author checks what was typed for them; it then carries who typed and who confirmed."""
    record = _get_for_update(session=session, record_id=record_id)
    if record.author_id != actor.id:
        raise Forbidden(
            "Only the record's author can confirm what was typed for them.", field="record_id"
        )
    waiting = {
        k: v for k, v in record.answers.items() if isinstance(v, dict) and "awaiting_check" in v
    }
    chosen = {k: v for k, v in waiting.items() if field_ids is None or k in field_ids}
    confirmed = {k: _confirmed(v, actor) for k, v in chosen.items()}
    if confirmed:
        _append(
            session=session,
            record=record,
            answers={**record.answers, **confirmed},
            changed=confirmed,
            actor=actor,
            event="confirm",
        )
    return record


def _confirmed(value: dict[str, Any], actor: User) -> dict[str, Any]:
    typed = value["awaiting_check"]
    provenance = {
        **typed,
        "confirmed_by": actor.full_name,
        "confirmed_on": date.today().isoformat(),
    }
    return {**{k: v for k, v in value.items() if k != "awaiting_check"}, "provenance": provenance}


def awaiting_check(record: Record) -> list[str]:
    return [k for k, v in record.answers.items() if isinstance(v, dict) and "awaiting_check" in v]


def return_record(*, session: Session, actor: User, record_id: int, comment: str) -> Record:
    """The manager sends a submitted record back with a comment; the worker can edit it again."""
    record = _get_for_update(session=session, record_id=record_id)
    if record.status != RecordStatus.SUBMITTED:
        raise WrongStatus("Only a submitted record can be returned.", field="status")
    record.status = RecordStatus.RETURNED
    _mark(session=session, record=record, actor=actor, event="return", detail={"comment": comment})
    return record


def sign_off_queue(*, session: Session, team_id: int | None) -> list[Record]:
    """Submitted records of a team's cases, oldest first: the manager's queue."""
    query = (
        select(Record)
        .join(Case, Case.id == Record.case_id)
        .where(Record.status == RecordStatus.SUBMITTED, Case.team_id == team_id)
        .order_by(Record.submitted_at)
    )
    return list(session.scalars(query))


def _refuse_lost_updates(
    *, session: Session, record: Record, base_revision: int, changed: dict[str, Any]
) -> None:
    """Refuse a save that would overwrite answers someone else changed after `base_revision`."""
    if base_revision >= record.revision or not changed:
        return
    since = session.scalars(
        select(RecordRevision).where(
            RecordRevision.record_id == record.id, RecordRevision.number > base_revision
        )
    ).all()
    touched = {key for revision in since for key in revision.changed}
    conflicts = [
        FieldConflict(field_id=key, theirs=record.answers.get(key), mine=value)
        for key, value in changed.items()
        if key in touched
    ]
    if conflicts:
        raise StaleRevision(current=record.revision, conflicts=conflicts)


def _get_for_update(*, session: Session, record_id: int) -> Record:
    # Row lock on PostgreSQL so two saves of one record queue; SQLite serialises writes anyway.
    record = session.scalar(select(Record).where(Record.id == record_id).with_for_update())
    if record is None:
        raise RecordNotFound(f"No record with id {record_id}.", field="record_id")
    return record


def _ensure_editable(record: Record) -> None:
    if record.status not in EDITABLE:
        raise WrongStatus(
            f"This record is {record.status.value}; amend it to make changes.", field="status"
        )


def _append(
    *,
    session: Session,
    record: Record,
    answers: dict[str, Any],
    changed: dict[str, Any],
    actor: User,
    on_behalf_of: User | None = None,
    section_id: str | None = None,
    event: str = "save",
) -> RecordRevision:
    record.revision += 1
    record.answers = answers
    revision = RecordRevision(
        record=record,
        number=record.revision,
        answers=answers,
        changed=changed,
        section_id=section_id,
        author_id=actor.id,
        on_behalf_of_id=on_behalf_of.id if on_behalf_of else None,
        event=event,
    )
    session.add(revision)
    session.flush()
    return revision


def _copy_to_siblings(
    *,
    session: Session,
    record: Record,
    exemplar: Exemplar,
    section_id: str | None,
    changed: dict[str, Any],
    actor: User,
) -> None:
    """Answers in shared sections of a sibling group are typed once and written to every child."""
    shared = {
        key: value
        for key, value in changed.items()
        if exemplar.sections[exemplar.section_of[key]].shared
    }
    if record.group_id is None or not shared:
        return
    siblings = session.scalars(
        select(Record).where(Record.group_id == record.group_id, Record.id != record.id)
    ).all()
    for sibling in siblings:
        if sibling.status in EDITABLE:
            answers = {k: v for k, v in {**sibling.answers, **shared}.items() if v is not None}
            _append(
                session=session,
                record=sibling,
                answers=answers,
                changed=shared,
                actor=actor,
                section_id=section_id,
                event="shared",
            )


def submit(*, session: Session, library: Library, actor: User, record_id: int) -> Record:
    """Check every requirement that applies now, then mark the record complete and submitted."""
    record = _get_for_update(session=session, record_id=record_id)
    _ensure_editable(record)
    exemplar = definition_of(library=library, record=record)
    facts = facts_for(session=session, record=record)
    checked = engine.validate(exemplar, answers=record.answers, facts=facts, mode="submit")
    if checked.errors:
        raise InvalidAnswers(checked.errors)
    record.status = RecordStatus.SUBMITTED
    record.submitted_at = record.completed_at = utcnow()
    _mark(session=session, record=record, actor=actor, event="submit")
    return record


def finalise(*, session: Session, actor: User, record_id: int) -> RecordSnapshot:
    """Freeze the record: answers, pre-filled values and the facts as they are today."""
    record = _get_for_update(session=session, record_id=record_id)
    if record.status not in {RecordStatus.SUBMITTED, RecordStatus.APPROVED}:
        raise WrongStatus("Submit the record before finalising it.", field="status")
    case = people.get_case(session=session, case_id=record.case_id)
    content = {
        "exemplar_id": record.exemplar_id,
        "exemplar_version": record.exemplar_version,
        "answers": record.answers,
        "facts": child_facts(session=session, case=case),
        "people": people.snapshot_people(session=session, case_id=case.id),
        "revision": record.revision,
    }
    snapshot = RecordSnapshot(
        record_id=record.id,
        version=record.version,
        exemplar_id=record.exemplar_id,
        exemplar_version=record.exemplar_version,
        content=content,
        checksum=checksum(content),
        finalised_by_id=actor.id,
    )
    session.add(snapshot)
    record.status = RecordStatus.FINALISED
    record.finalised_at = snapshot.finalised_at = utcnow()
    _mark(
        session=session,
        record=record,
        actor=actor,
        event="finalise",
        detail={"version": record.version, "checksum": snapshot.checksum},
    )
    return snapshot


def _mark(
    *,
    session: Session,
    record: Record,
    actor: User,
    event: str,
    detail: dict[str, Any] | None = None,
) -> None:
    """A step in the record's life (submit, finalise, amend): a revision and an audit event."""
    _append(
        session=session, record=record, answers=record.answers, changed={}, actor=actor, event=event
    )
    audit.record(
        session=session,
        actor=actor,
        action=f"record.{event}",
        target_type="record",
        target_id=record.id,
        case_id=record.case_id,
        detail=detail,
    )


def checksum(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def amend(*, session: Session, actor: User, record_id: int) -> Record:
    """Open a finalised record for amendment as its next version; the old snapshot stays."""
    record = _get_for_update(session=session, record_id=record_id)
    if record.status != RecordStatus.FINALISED:
        raise WrongStatus("Only a finalised record can be amended.", field="status")
    record.status = RecordStatus.AMENDING
    record.version += 1
    _mark(
        session=session,
        record=record,
        actor=actor,
        event="amend",
        detail={"version": record.version},
    )
    return record


def latest_snapshot(*, session: Session, record_id: int) -> RecordSnapshot | None:
    return session.scalar(
        select(RecordSnapshot)
        .where(RecordSnapshot.record_id == record_id)
        .order_by(RecordSnapshot.version.desc())
        .limit(1)
    )


def snapshots(*, session: Session, record_id: int) -> list[RecordSnapshot]:
    query = (
        select(RecordSnapshot)
        .where(RecordSnapshot.record_id == record_id)
        .order_by(RecordSnapshot.version)
    )
    return list(session.scalars(query))


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Field id -> {"before", "after"} for every answer that differs."""
    keys = sorted(set(old) | set(new))
    return {
        key: {"before": old.get(key), "after": new.get(key)}
        for key in keys
        if old.get(key) != new.get(key)
    }


def revisions(*, session: Session, record_id: int) -> list[RecordRevision]:
    query = (
        select(RecordRevision)
        .where(RecordRevision.record_id == record_id)
        .order_by(RecordRevision.number)
    )
    return list(session.scalars(query))


def next_steps(*, library: Library, record: Record) -> list[str]:
    """Exemplars the chosen outcome leads to (empty until an outcome is chosen)."""
    return engine.next_exemplars(
        definition_of(library=library, record=record), answers=record.answers
    )


def records_for_case(*, session: Session, case_id: int) -> list[Record]:
    query = (
        select(Record)
        .where(Record.case_id == case_id)
        .order_by(Record.started_at.desc(), Record.id.desc())
    )
    return list(session.scalars(query))


def start_group(
    *,
    session: Session,
    library: Library,
    actor: User,
    case_ids: list[int],
    exemplar_id: str,
    family_id: int | None,
) -> list[Record]:
    """One record per child, linked, so shared sections are typed once for the sibling group."""
    exemplar = library.latest(exemplar_id)
    if exemplar.definition.scope != "sibling_group":
        raise WrongStatus(
            f"{title_of(exemplar)} is written for one child at a time.", field="exemplar_id"
        )
    group = RecordGroup(family_id=family_id, exemplar_id=exemplar_id, created_by_id=actor.id)
    session.add(group)
    return [
        start(
            session=session,
            library=library,
            actor=actor,
            case_id=case_id,
            exemplar_id=exemplar_id,
            group=group,
        )
        for case_id in case_ids
    ]


def due_date(*, library: Library, record: Record) -> tuple[date, str] | None:
    """When the record is due and why, from its timescale (None if it has none or no start)."""
    return engine.due(definition_of(library=library, record=record), answers=record.answers)


def title_of_section(section: Section) -> str:
    return text_for(section.title, "worker")


def section_status(section: Section, answers: dict[str, Any], shown: engine.Visibility) -> str:
    """For the task list: not applicable, not started or in progress."""
    if not shown.sections.get(section.id, True):
        return "not_applicable"
    given = [item.id for item in section.fields if answers.get(item.id) is not None]
    return "in_progress" if given else "not_started"
