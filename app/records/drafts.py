"""Drafts: start a record pre-filled from what is known, save answers as revisions.

A save is refused only when someone else has changed the same answers since the page was loaded.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.service import AuditAction
from app.auth.models import User
from app.cases import service as cases
from app.cases.facts import child_facts
from app.engine import answers as engine
from app.engine.library import Exemplar, Library
from app.errors import Invalid
from app.people import service as people
from app.records import authorship, dictation, lifecycle, revisions, signoff
from app.records.context import RecordContext
from app.records.errors import FieldConflict, StaleRevision, WrongStatus
from app.records.models import Record, RecordGroup, RecordRevision, RecordStatus
from app.records.queries import childs_record, definition_of, title_of


@dataclass
class SaveResult:
    record: Record
    errors: dict[str, str]
    visible: engine.Visibility
    # A typist's words for the author's judgement, not saved (field id → why); the page shows
    # them back so nothing typed is lost.
    withheld: dict[str, str] = field(default_factory=dict)


def start(
    *,
    session: Session,
    library: Library,
    actor: User,
    case_id: int,
    exemplar_id: str,
    on_behalf_of: User | None = None,
    group: RecordGroup | None = None,
    known: dict[str, Any] | None = None,
) -> Record:
    """Start a record on the newest version of an exemplar, pre-filled from what is known.

    `known`: facts the caller knows besides the child's (a meeting's date and attendance).
    """
    exemplar = library.latest(exemplar_id)
    case = cases.get_case(session=session, case_id=case_id)
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
        facts=child_facts(session=session, case=case) | (known or {}),
        answers={},
        earlier=_earlier_lookup(
            session=session, library=library, case_id=case.id, before=record.id
        ),
        today=date.today(),
    )
    revisions.append(
        session=session,
        record=record,
        answers=filled,
        changed=filled,
        actor=actor,
        on_behalf_of=on_behalf_of,
        event=revisions.Event.START,
    )
    audit.record(
        session=session,
        actor=actor,
        action=AuditAction.RECORD_START,
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
    context: RecordContext,
    base_revision: int,
    answers: dict[str, Any],
    section_id: str | None = None,
    on_behalf_of: User | None = None,
    withhold_judgement: bool = False,
) -> SaveResult:
    """Save answers as a new revision; answers of the wrong shape are reported, the rest kept.

    A typist's answer to a judgement field refuses the save, or with `withhold_judgement` (a
    page, where the typing must not be lost) is left out and named in `withheld`.
    """
    record, exemplar, facts = context.record, context.exemplar, context.facts
    lifecycle.ensure_editable(record)
    changed = {
        key: dictation.own_keys(value, record.answers.get(key))
        for key, value in answers.items()
        if record.answers.get(key) != value
    }
    signoff.refuse(exemplar, changed)
    authorship.refuse_others(
        exemplar=exemplar,
        answers=record.answers,
        changed=changed,
        facts=facts,
        writer=on_behalf_of or actor,
        record_id=record.id,
    )
    withheld: dict[str, str] = {}
    if on_behalf_of is not None:
        if withhold_judgement:
            withheld = {
                key: dictation.withheld_words(exemplar, key, on_behalf_of)
                for key in dictation.judged(exemplar, changed)
            }
            changed = {k: v for k, v in changed.items() if k not in withheld}
            _keep_withheld(session=session, actor=actor, record=record, withheld=withheld)
        dictation.refuse_judgement(exemplar=exemplar, record=record, keys=changed)
        changed = {k: dictation.typed_for(v, actor, on_behalf_of) for k, v in changed.items()}
    _refuse_lost_updates(
        session=session, record=record, base_revision=base_revision, changed=changed, actor=actor
    )
    _refuse_strangers(context, changed)
    checked = engine.validate(exemplar, answers=changed, facts=facts, mode="save")
    good = {key: value for key, value in changed.items() if key not in checked.errors}
    if good:
        merged = {
            key: value for key, value in {**record.answers, **good}.items() if value is not None
        }
        settled = engine.settle(exemplar, answers=merged, facts=facts)
        revisions.append(
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
    visible = context.refreshed()
    return SaveResult(record=record, errors=checked.errors, visible=visible, withheld=withheld)


def _keep_withheld(
    *, session: Session, actor: User, record: Record, withheld: dict[str, str]
) -> None:
    """What a typist may not write stays in the trail, in the same unit of work as the save."""
    if not withheld:
        return
    audit.record(
        session=session,
        actor=actor,
        action=AuditAction.DENIED_AUTHOR_ONLY,
        target_type="record",
        target_id=record.id,
        case_id=record.case_id,
        allowed=False,
        detail={"fields": sorted(withheld)},
    )


def mark_section(
    *, session: Session, actor: User, record: Record, section_id: str, complete: bool
) -> None:
    """The worker says a section is complete, or not yet (GOV.UK's "Have you completed this
    section?"); the task list shows it Completed until they say otherwise."""
    lifecycle.ensure_editable(record)
    marked = set(record.completed_sections or [])
    if (section_id in marked) == complete:
        return
    record.completed_sections = sorted(marked | {section_id} if complete else marked - {section_id})
    audit.record(
        session=session,
        actor=actor,
        action=AuditAction.RECORD_SECTION_MARK,
        target_type="record",
        target_id=record.id,
        case_id=record.case_id,
        detail={"section": section_id, "complete": complete},
    )


def _refuse_strangers(context: RecordContext, changed: dict[str, Any]) -> None:
    """A person or professional from outside the child's world is refused, naming the field:
    the pickers never offer one, so it is a mistake or a probe, not a draft to keep."""
    if not engine.names_someone(context.exemplar, changed):
        return
    errors = engine.reference_errors(context.exemplar, changed, context.references)
    if errors:
        field_id, message = next(iter(errors.items()))
        raise Invalid(message, field=f"answers.{field_id}")


def _refuse_lost_updates(
    *, session: Session, record: Record, base_revision: int, changed: dict[str, Any], actor: User
) -> None:
    """Refuse a save that would overwrite answers someone else changed after `base_revision`.

    The base must be a revision the record has had: a page cannot have shown one from the future.
    The user's own later saves are no conflict (quick saves from one page, or one that landed
    just before the connection dropped): the newest of their own typing wins.
    """
    if base_revision > record.revision:
        message = f"This record has no revision {base_revision}; reload the page."
        raise Invalid(message, field="base_revision")
    if base_revision == record.revision or not changed:
        return
    since = session.scalars(
        select(RecordRevision).where(
            RecordRevision.record_id == record.id,
            RecordRevision.number > base_revision,
            RecordRevision.author_id.is_distinct_from(actor.id),
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


def _copy_to_siblings(
    *,
    session: Session,
    record: Record,
    exemplar: Exemplar,
    section_id: str | None,
    changed: dict[str, Any],
    actor: User,
) -> None:
    """Answers in shared sections of a sibling group are typed once and written to every child
    (the whole section as it stands, kept pre-fills included); a field offered to siblings goes
    to each child who has no answer to it yet, as a pre-fill from this child's record."""
    if record.group_id is None:
        return
    touched = {exemplar.section_of[key] for key in changed}
    shared = {
        key: record.answers.get(key)
        for key in exemplar.fields
        if (section := exemplar.section_of[key]) in touched and exemplar.sections[section].shared
    }
    offered = {
        key: value
        for key, value in changed.items()
        if exemplar.fields[key].offer_to_siblings and isinstance(value, dict) and "value" in value
    }
    if not shared and not offered:
        return
    siblings = session.scalars(
        select(Record).where(Record.group_id == record.group_id, Record.id != record.id)
    ).all()
    # Named only when something is offered: a shared save alone needs no source.
    origin = {
        "source": childs_record(session=session, case_id=record.case_id, exemplar=exemplar)
        if offered
        else "",
        "on": date.today().isoformat(),
        "record_id": record.id,
    }
    for sibling in (s for s in siblings if s.status in lifecycle.EDITABLE):
        given = {**_changed_for(sibling, shared), **_offers_for(sibling, offered, origin)}
        if given:
            answers = {k: v for k, v in {**sibling.answers, **given}.items() if v is not None}
            revisions.append(
                session=session,
                record=sibling,
                answers=answers,
                changed=given,
                actor=actor,
                section_id=section_id,
                event=revisions.Event.SHARED,
            )


def _changed_for(sibling: Record, shared: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in shared.items() if sibling.answers.get(key) != value}


def _offers_for(sibling: Record, offered: dict[str, Any], origin: dict[str, Any]) -> dict[str, Any]:
    """Offers for the answers this sibling has not given (a pre-fill never covers an answer)."""
    return {
        key: {"value": value["value"], "prefilled": origin}
        for key, value in offered.items()
        if sibling.answers.get(key) is None
        or sibling.answers[key].get("prefilled", {}).get("record_id") == origin["record_id"]
    }


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
    if family_id is not None:
        people.get_family(session=session, family_id=family_id)  # 404 naming family_id
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
