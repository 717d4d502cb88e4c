"""Brothers and sisters: records started together, one task list for the group, and a sibling's
record offered as a source when a child's record is started later.

Only shared sections (declared `shared: true` in the exemplar) cross from one child to another:
they hold the family's facts. A child's own sections are about that child and never leave them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.service import AuditAction
from app.auth.models import User
from app.cases import service as cases
from app.cases.policy import Action, allowed
from app.engine import answers as engine
from app.engine.definitions import Section, text_for
from app.engine.display import long_date
from app.engine.library import Exemplar, Library
from app.errors import Invalid
from app.people import service as people
from app.people.schemas import FamilyOut
from app.records import drafts, lifecycle, revisions
from app.records.context import RecordContext, load
from app.records.models import Record, RecordStatus
from app.records.queries import (
    childs_record,
    definition_of,
    first_name,
    section_statuses,
    title_of,
)

if TYPE_CHECKING:
    from app.audit.models import AuditEvent
    from app.cases.models import Case


def together(names: list[str]) -> str:
    """ "Ruby", "Ruby and Tyler", "Ruby, Jade and Tyler"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# --- Starting together --------------------------------------------------------------------------


@dataclass(frozen=True)
class Child:
    case_id: int
    name: str
    ticked: bool


@dataclass(frozen=True)
class StartTogether:
    """What the "Start for: ☑ Ruby ☑ Jade ☐ Tyler" form offers for one household."""

    family_id: int
    family_name: str
    exemplars: list[tuple[str, str]]
    children: list[Child]


def group_exemplars(library: Library) -> list[tuple[str, str]]:
    """The current exemplars whose YAML lets brothers and sisters be started together."""
    return [(e.id, title_of(e)) for e in library.current() if e.definition.scope == "sibling_group"]


def start_choices(
    *, session: Session, library: Library, user: User, family_id: int
) -> StartTogether | None:
    """The family page's form: every child of the household whose record the user may write."""
    family = people.get_family(session=session, family_id=family_id)
    members = people.member_ids(family)
    return _choices(session, library, user, (family.id, family.name, members), ticked=None)


def home_choices(
    *, session: Session, library: Library, user: User, case: "Case", families: list[FamilyOut]
) -> StartTogether | None:
    """The child's page's form: the household the child lives in (already read for the page,
    so the form costs the page one statement), the child ticked."""
    home = next(
        (
            f
            for f in families
            if any(m.person.id == case.child_id and m.lives_here for m in f.members)
        ),
        None,
    )
    if home is None:
        return None
    members = [m.person.id for m in home.members]
    return _choices(session, library, user, (home.id, home.name, members), ticked=case.id)


def _choices(
    session: Session,
    library: Library,
    user: User,
    household: tuple[int, str, list[int]],
    *,
    ticked: int | None,
) -> StartTogether | None:
    """None under two children the user may write, or when no exemplar may be started so."""
    family_id, name, members = household
    exemplars = group_exemplars(library)
    found = cases.cases_of_children(session=session, child_ids=members) if exemplars else []
    writable = [
        c
        for c in found
        if allowed(user=user, action=Action.WRITE, case=c) and not cases.is_closed(c)
    ]
    if len(writable) < 2:
        return None
    children = [Child(c.id, c.child.full_name, c.id == ticked) for c in writable]
    return StartTogether(family_id, name, exemplars, children)


def start_together(
    *,
    session: Session,
    library: Library,
    actor: User,
    family_id: int,
    case_ids: list[int],
    exemplar_id: str,
) -> list[Record]:
    """One record per ticked child of the household (linked as a group when more than one)."""
    if exemplar_id not in library.ids():
        raise Invalid("Choose a record to start.", field="exemplar_id")
    chosen = _children_of(session=session, family_id=family_id, case_ids=case_ids)
    if len(chosen) == 1:
        record = drafts.start(
            session=session,
            library=library,
            actor=actor,
            case_id=chosen[0],
            exemplar_id=exemplar_id,
        )
        return [record]
    return drafts.start_group(
        session=session,
        library=library,
        actor=actor,
        case_ids=chosen,
        exemplar_id=exemplar_id,
        family_id=family_id,
    )


def _children_of(*, session: Session, family_id: int, case_ids: list[int]) -> list[int]:
    """The ticked cases, each a child of the household, in the order given, once each."""
    if not case_ids:
        raise Invalid("Choose at least one child.", field="case_ids")
    family = people.get_family(session=session, family_id=family_id)
    members = set(people.member_ids(family))
    chosen = list(dict.fromkeys(case_ids))
    for case in cases.get_cases(session=session, case_ids=chosen):
        if case.child_id not in members:
            raise Invalid(f"{case.child.full_name} is not in this household.", field="case_ids")
    return chosen


# --- One task list for the group ----------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    section: Section
    title: str
    status: str
    href: str


@dataclass(frozen=True)
class ChildPart:
    record: Record
    name: str
    tasks: list[Task]
    here: bool  # the record this task list belongs to


@dataclass(frozen=True)
class GroupTaskList:
    shared: list[Task]
    shared_for: str
    children: list[ChildPart]


def group_task_list(
    *, session: Session, library: Library, user: User, context: RecordContext
) -> tuple[GroupTaskList | None, list["AuditEvent"]]:
    """The group's shared sections once, then each child's own sections under their name.

    Returns the reads to audit too: the page shows each sibling's record the user may see."""
    record = context.record
    if record.group_id is None:
        return None, []
    contexts = [context] + [
        load(session=session, library=library, record_id=r.id)
        for r in _group_records(session, record)
    ]
    # In the order they were started, so every child's task list reads the same.
    contexts.sort(key=lambda c: c.record.id)
    seen = [c for c in contexts if c is context or _may_see(user, c.case)]
    parts = [_child_part(c, here=c is context) for c in seen]
    shared = [t for t in _tasks(context) if t.section.shared]
    names = together([first_name(c.case) for c in seen])
    reads = [_read(user, c.record) for c in seen if c is not context]
    return GroupTaskList(shared, names, parts), reads


def _may_see(user: User, case: "Case") -> bool:
    return allowed(user=user, action=Action.VIEW, case=case)


def _group_records(session: Session, record: Record) -> list[Record]:
    query = select(Record).where(Record.group_id == record.group_id, Record.id != record.id)
    return list(session.scalars(query.order_by(Record.id)))


def _tasks(context: RecordContext) -> list[Task]:
    status = section_statuses(
        context.exemplar, context.record, context.visibility, context.facts, None
    )
    base = f"/records/{context.record.id}/sections/"
    return [
        Task(s, text_for(s.title, "worker"), status[s.id], base + s.id)
        for s in context.exemplar.definition.sections
    ]


def _child_part(context: RecordContext, *, here: bool) -> ChildPart:
    own = [t for t in _tasks(context) if not t.section.shared]
    return ChildPart(context.record, context.case.child.full_name, own, here)


def _read(user: User, record: Record) -> "AuditEvent":
    return audit.event(
        actor=user,
        action=AuditAction.RECORD_VIEW,
        target_type="record",
        target_id=record.id,
        case_id=record.case_id,
        detail={"via": "sibling group task list"},
    )


# --- A sibling's record as a source -------------------------------------------------------------


@dataclass(frozen=True)
class Offered:
    field_id: str
    label: str
    value: Any  # the stored answer, {"value": …} (and maybe more), as the sibling has it


@dataclass(frozen=True)
class SiblingOffer:
    """ "Ruby's referral, 3 June 2026 has answers for N questions"."""

    source: Record
    label: str  # "Ruby's referral and information record"
    on: str  # ISO date
    answers: list[Offered]

    @property
    def heading(self) -> str:
        return f"{self.label}, {long_date(self.on)}"

    def origin(self) -> dict[str, Any]:
        return {"source": self.label, "on": self.on, "record_id": self.source.id}


def sibling_offer(
    *, session: Session, library: Library, user: User, context: RecordContext
) -> SiblingOffer | None:
    """A brother's or sister's record of the same exemplar (finalised first, else the newest)
    with answers in shared sections this record has not got yet; None when there is none."""
    # A record started with its brothers and sisters already shares these sections with them.
    if context.record.status not in lifecycle.EDITABLE or context.record.group_id is not None:
        return None
    source = _sibling_source(session=session, user=user, context=context)
    if source is None:
        return None
    exemplar = definition_of(library=library, record=source)
    label = childs_record(session=session, case_id=source.case_id, exemplar=exemplar)
    when = (source.finalised_at or source.started_at).date().isoformat()
    offered = list(_offered(context.exemplar, source, context.record.answers))
    return SiblingOffer(source, label, when, offered) if offered else None


def _sibling_source(*, session: Session, user: User, context: RecordContext) -> Record | None:
    record = context.record
    siblings = [c for c in _siblings_of(session, context.case) if _may_see(user, c)]
    rows = session.scalars(
        select(Record)
        .where(
            Record.case_id.in_([c.id for c in siblings]),
            Record.exemplar_id == record.exemplar_id,
        )
        .order_by(Record.id.desc())
    ).all()
    finalised = [r for r in rows if r.status == RecordStatus.FINALISED]
    newest = finalised or rows
    return newest[0] if newest else None


def _siblings_of(session: Session, case: "Case") -> list["Case"]:
    """The other children with a case in the households this child belongs to."""
    families = people.families_of(session=session, person_id=case.child_id)
    ids = {pid for f in families for pid in people.member_ids(f)} - {case.child_id}
    return cases.cases_of_children(session=session, child_ids=sorted(ids))


def _offered(exemplar: Exemplar, source: Record, answers: dict[str, Any]) -> Iterable[Offered]:
    """The source's answers in this exemplar's shared sections that this record lacks."""
    for section in exemplar.definition.sections:
        if not section.shared:
            continue
        for item in section.fields:
            theirs = source.answers.get(item.id)
            if isinstance(theirs, dict) and "value" in theirs and item.id not in answers:
                yield Offered(item.id, text_for(item.label, "worker"), theirs)


def take_from_sibling(
    *,
    session: Session,
    library: Library,
    actor: User,
    context: RecordContext,
    source_id: int,
    field_ids: list[str] | None,
    on_behalf_of: User | None = None,
) -> int:
    """Keep the sibling's answers (all, or the fields named), each marked "from Ruby's …, date".

    The offer is worked out again here, so only what the page could offer is ever taken."""
    offer = sibling_offer(session=session, library=library, user=actor, context=context)
    if offer is None or offer.source.id != source_id:
        raise Invalid(
            "That record is no longer offered; go back to the task list.", field="source_id"
        )
    by_id = {o.field_id: o for o in offer.answers}
    chosen = list(by_id) if field_ids is None else field_ids
    if not chosen:
        raise Invalid("Choose at least one answer to keep.", field="fields")
    unknown = [f for f in chosen if f not in by_id]
    if unknown:
        raise Invalid(f"{unknown[0]} is not one of the answers offered.", field="fields")
    kept = {f: {"value": by_id[f].value["value"], "prefilled": offer.origin()} for f in chosen}
    _write(session=session, actor=actor, context=context, kept=kept, on_behalf_of=on_behalf_of)
    audit.record(
        session=session,
        actor=actor,
        action=AuditAction.RECORD_VIEW,
        target_type="record",
        target_id=source_id,
        case_id=offer.source.case_id,
        detail={"via": "kept for a sibling's record", "fields": len(kept)},
    )
    return len(kept)


def _write(
    *,
    session: Session,
    actor: User,
    context: RecordContext,
    kept: dict[str, Any],
    on_behalf_of: User | None,
) -> None:
    """One revision with the kept answers. Not `drafts.save`: a save drops any origin a client
    sends, while here the server itself says where each answer came from."""
    lifecycle.ensure_editable(context.record)
    checked = engine.validate(context.exemplar, answers=kept, facts=context.facts, mode="save")
    if checked.errors:
        field_id, message = next(iter(checked.errors.items()))
        raise Invalid(message, field=f"answers.{field_id}")
    merged = {**context.record.answers, **kept}
    revisions.append(
        session=session,
        record=context.record,
        answers=engine.settle(context.exemplar, answers=merged, facts=context.facts),
        changed=kept,
        actor=actor,
        on_behalf_of=on_behalf_of,
        event=revisions.Event.FROM_SIBLING,
    )


def offer_reads(user: User, offer: SiblingOffer | None) -> list["AuditEvent"]:
    """The read of the sibling's record that showing its answers is."""
    return [] if offer is None else [_read(user, offer.source)]
