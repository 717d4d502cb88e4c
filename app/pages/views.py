"""View models for the pages that join domains: what a caseload row and a record row show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, get_args

from sqlalchemy.orm import Session

from app.engine.definitions import SIGNIFICANCES as SIGNIFICANCES
from app.engine.definitions import ChronologyKind
from app.engine.library import Library
from app.errors import Invalid
from app.records import service as records
from app.records.chronology import Entry

if TYPE_CHECKING:
    from app.records.models import Record


KINDS: tuple[str, ...] = get_args(ChronologyKind)


def filtered(entries: list[Entry], *, kind: str, significance: str) -> list[Entry]:
    """The entries of one kind and significance ("" is any); an unknown filter names itself."""
    for name, given, known in (
        ("kind", kind, KINDS),
        ("significance", significance, SIGNIFICANCES),
    ):
        if given and given not in known:
            raise Invalid(f"{name} is one of {', '.join(known)}.", field=name)
    return [
        e
        for e in entries
        if (not kind or e.kind == kind) and (not significance or e.significance == significance)
    ]


# Still being written: editable and not yet with the manager.
IN_PROGRESS = records.EDITABLE - {records.RecordStatus.SUBMITTED}


@dataclass(frozen=True)
class RecordRow:
    record: Record
    title: str
    due: tuple[date, str] | None


def record_row(library: Library, record: Record) -> RecordRow:
    exemplar = records.definition_of(library=library, record=record)
    return RecordRow(
        record, records.title_of(exemplar), records.due_date(library=library, record=record)
    )


def work_of(db: Session, library: Library, case_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per case: drafts in progress and the nearest due date among records not yet completed."""
    found = records.records_for_cases(session=db, case_ids=case_ids)
    every = [r for rows in found.values() for r in rows]
    comments = records.returned_comments(session=db, records=every)
    work = {case_id: _work(library, found.get(case_id, [])) for case_id in case_ids}
    for case_id, rows in found.items():
        work[case_id]["returned"] = [
            {"id": r.id, "title": record_row(library, r).title, **comments[r.id]}
            for r in rows
            if r.id in comments
        ]
    return work


def _work(library: Library, rows: list[Record]) -> dict[str, Any]:
    open_records = [
        r
        for r in rows
        if r.status in records.EDITABLE and r.status != records.RecordStatus.SUBMITTED
    ]
    dues = [
        (due, r)
        for r in open_records
        if (due := records.due_date(library=library, record=r)) is not None
    ]
    soonest = min(dues, key=lambda pair: pair[0][0]) if dues else None
    next_due = None
    if soonest:
        exemplar = records.definition_of(library=library, record=soonest[1])
        next_due = {"on": soonest[0][0], "what": records.title_of(exemplar), "id": soonest[1].id}
    return {"drafts": len(open_records), "next_due": next_due}
