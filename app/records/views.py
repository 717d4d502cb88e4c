"""What the record pages show, built from a record in context: no queries beyond what they need."""

from typing import Any

from sqlalchemy.orm import Session

from app.cases import service as cases
from app.engine import answers as engine
from app.engine.definitions import FieldDef, text_for
from app.engine.display import describe
from app.engine.library import Library
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


def page(library: Library, context: RecordContext) -> dict[str, Any]:
    """What every record page shows around its content."""
    record, exemplar = context.record, context.exemplar
    return {
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


def people_around(
    db: Session, context: RecordContext, fields: list[FieldDef] | None = None
) -> list[tuple[tuple[str, int], str]]:
    """Who a picker offers, with their role: read only when `fields` have such answers."""
    asked = context.exemplar.fields.values() if fields is None else fields
    if not any(_names_someone(item) for item in asked):
        return []
    return [(s.key, s.label) for s in cases.network(session=db, case=context.case)]


def names_around(db: Session, context: RecordContext) -> dict[tuple[str, int], str]:
    """How each reference reads on the page: the names frozen with a finalised record first, the
    live ones for the rest (snapshots from before references were typed froze no professionals)."""
    if not any(_names_someone(item) for item in context.exemplar.fields.values()):
        return {}
    live = {s.key: s.name for s in cases.network(session=db, case=context.case)}
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
