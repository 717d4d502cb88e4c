"""What the record pages show, built from a record in context: no queries beyond what they need."""

from typing import Any

from sqlalchemy.orm import Session

from app.attachments import service as attachments
from app.cases import service as cases
from app.cases.policy import Action, allowed, writing_action
from app.engine import answers as engine
from app.engine.definitions import FieldDef, text_for
from app.engine.display import Shown, describe
from app.engine.library import Exemplar, Library
from app.people import service as people
from app.records import service
from app.records.context import RecordContext
from app.records.models import RecordStatus

PICKED = ("person", "professional")  # field types whose answers name someone around the child


def identity(context: RecordContext) -> dict[str, Any]:
    """The child's identity bar: from the case and child already loaded with the record."""
    child = context.case.child
    return {
        "case": context.case,
        "child": child,
        "age_years": people.age_years(child.date_of_birth),
    }


def typing_for(context: RecordContext) -> str | None:
    """The allocated worker's name when the user only types for them (business support)."""
    if writing_action(context.granted.user) != Action.ON_BEHALF:
        return None
    author = context.case.allocated_worker
    return author.full_name if author is not None else "not yet allocated"


def page(library: Library, context: RecordContext) -> dict[str, Any]:
    """What every record page shows around its content; Submit only to those who may submit."""
    record, exemplar = context.record, context.exemplar
    user, case = context.granted.user, context.case
    return {
        "can_submit": allowed(user=user, action=Action.SUBMIT, case=case, named=True),
        "typing_for": typing_for(context),
        "title": service.title_of(exemplar),
        "record": record,
        "exemplar": exemplar,
        "child": identity(context),
        "due": service.due_date(library=library, record=record),
        "editable": record.status in service.EDITABLE,
        "next_steps": [
            (e, service.title_of(library.latest(e)))
            for e in service.next_steps(library=library, record=record)
        ],
    }


# Who each typed reference names: (kind, id) -> name.
Names = dict[tuple[str, int], str]


def people_around(
    db: Session, context: RecordContext, fields: list[FieldDef] | None = None
) -> list[tuple[tuple[str, int], str]]:
    """Who a picker offers, with their role: read only when `fields` have such answers."""
    asked = list(context.exemplar.fields.values() if fields is None else fields)
    files = _files_around(db, context, asked)
    if not any(_names_someone(item) for item in asked):
        return files
    return [(s.key, s.label) for s in cases.network(session=db, case=context.case)] + files


def _files_around(
    db: Session, context: RecordContext, asked: list[FieldDef]
) -> list[tuple[tuple[str, int], str]]:
    """The child's files an attachment field offers: those not withdrawn, and any it holds."""
    if not any(item.type == "attachment" for item in asked):
        return []
    case_id = context.record.case_id
    offered = attachments.for_case(session=db, case_id=case_id)
    held = [
        i
        for item in asked
        if item.type == "attachment"
        for i in (context.answers.get(item.id) or {}).get("value") or []
    ]
    kept = attachments.by_ids(session=db, case_id=case_id, ids=held)
    found = {a.id: a for a in [*offered, *kept]}
    return [(("attachment", a.id), a.title) for a in found.values()]


def names_around(db: Session, context: RecordContext) -> dict[tuple[str, int], str]:
    """How each reference reads on the page: the names frozen with a finalised record first, the
    live ones for the rest (snapshots from before references were typed froze no professionals);
    an attached file reads as its title."""
    files = dict(_files_around(db, context, list(context.exemplar.fields.values())))
    if not any(_names_someone(item) for item in context.exemplar.fields.values()):
        return files
    live = {s.key: s.name for s in cases.network(session=db, case=context.case)} | files
    if context.record.status != RecordStatus.FINALISED:
        return live
    return live | service.names_of(service.source_of(session=db, record=context.record))


def _names_someone(item: FieldDef) -> bool:
    return item.type in PICKED or any(_names_someone(column) for column in item.fields or [])


def summary(db: Session, context: RecordContext, answers: dict[str, Any]) -> list[dict[str, Any]]:
    """Every section that applies, with each shown answer in the worker's words."""
    exemplar = context.exemplar
    shown = context.visibility if answers is context.answers else None
    if shown is None:  # an earlier revision: its own answers decide what applied
        shown = engine.visibility(exemplar, answers=answers, facts=context.facts)
    names = names_around(db, context)
    return [
        {
            "section": s,
            "title": text_for(s.title, "worker"),
            "answers": [
                (f, describe(exemplar, f, answers.get(f.id), names=names))
                for f in s.fields
                if shown.fields.get(f.id)
            ],
        }
        for s in exemplar.definition.sections
        if shown.sections.get(s.id)
    ]


def can_amend(context: RecordContext) -> bool:
    """Amend is offered on a finalised record to whoever may write to the child's record (the
    page was reached through a view check, so a restricted case has already named them)."""
    finalised = context.record.status == service.RecordStatus.FINALISED
    user = context.granted.user
    return finalised and allowed(user=user, action=Action.WRITE, case=context.case, named=True)


def changes(db: Session, context: RecordContext) -> list[dict[str, str]]:
    """While amending: each answer that differs from the last finalised version, old and new; in
    a group, each cell that differs, named by its row and column."""
    record, exemplar = context.record, context.exemplar
    if record.status != service.RecordStatus.AMENDING:
        return []
    frozen = service.latest_snapshot(session=db, record_id=record.id)
    if frozen is None:
        return []
    names = names_around(db, context)
    rows: list[dict[str, str]] = []
    for field_id, change in service.diff(frozen.content["answers"], record.answers).items():
        item = exemplar.fields.get(field_id)
        if item is None:
            continue
        place = {"field": field_id, "section": exemplar.section_of[field_id]}
        if item.fields:
            rows += [place | cell for cell in _cells(exemplar, item, change, names)]
            continue
        before = in_one_line(describe(exemplar, item, change["before"], names=names))
        after = in_one_line(describe(exemplar, item, change["after"], names=names))
        rows.append(
            place | {"label": text_for(item.label, "worker"), "before": before, "after": after}
        )
    return rows


def _cells(
    exemplar: Exemplar, item: FieldDef, change: dict[str, Any], names: Names
) -> list[dict[str, str]]:
    """The cells of a group that changed: "Plan lines, row 1: Person responsible", old and new."""
    old, new = (_rows(change[key]) for key in ("before", "after"))
    found = []
    for number in range(1, max(len(old), len(new)) + 1):
        was = old[number - 1] if number <= len(old) else {}
        now = new[number - 1] if number <= len(new) else {}
        for column in item.fields or []:
            if was.get(column.id) == now.get(column.id):
                continue
            label = f"{text_for(item.label, 'worker')}, row {number}: "
            found.append(
                {
                    "label": label + text_for(column.label, "worker"),
                    "before": _cell(exemplar, column, was.get(column.id), names),
                    "after": _cell(exemplar, column, now.get(column.id), names),
                }
            )
    return found


def _rows(answer: Any) -> list[dict[str, Any]]:
    value = answer.get("value") if isinstance(answer, dict) else None
    return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


def _cell(exemplar: Exemplar, column: FieldDef, value: Any, names: Names) -> str:
    answer = {"value": value} if value is not None else None
    return describe(exemplar, column, answer, names=names).text


def in_one_line(shown: Shown) -> str:
    """An answer in one line: a group's rows as "label: text; …", one row after another."""
    if shown.kind != "rows" or not shown.rows:
        return str(shown.text)
    return " / ".join("; ".join(f"{label}: {text}" for label, text in row) for row in shown.rows)
