"""View models for the pages that join domains: what a caseload row and a record row show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, get_args

from sqlalchemy.orm import Session

from app.engine.definitions import SIGNIFICANCES as SIGNIFICANCES
from app.engine.definitions import ChronologyKind, text_for
from app.engine.display import long_date
from app.engine.library import Exemplar, Library
from app.errors import Invalid
from app.records import service as records
from app.records.chronology import Entry

if TYPE_CHECKING:
    from app.cases.models import CareEvent
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


Found = dict[int, list["Record"]]  # case id → its records, read once a page
Care = dict[int, list["CareEvent"]]  # case id → its care events, read once a page


def work_of(
    db: Session, library: Library, case_ids: list[int], found: Found
) -> dict[int, dict[str, Any]]:
    """Per case: drafts in progress and the nearest due date among records not yet completed."""
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


@dataclass(frozen=True)
class DueRow:
    """One thing due, for whose child, and where it stands today."""

    case_id: int
    child: str
    due: records.Due
    status: str  # overdue, due (this week), later


def due_rows(
    db: Session,
    library: Library,
    children: dict[int, tuple[str, str]],
    today: date,
    found: Found,
    care: Care | None = None,
) -> dict[int, list[DueRow]]:
    """Case id → what is due for that child (`children`: case id → name and legal status)."""
    dues = records.due_for_cases(
        session=db,
        library=library,
        legal_statuses={case_id: status for case_id, (_, status) in children.items()},
        today=today,
        found=found,
        care=care,
    )
    return {
        case_id: [DueRow(case_id, children[case_id][0], d, d.status(today)) for d in dues]
        for case_id, dues in dues.items()
    }


def pressing(rows: dict[int, list[DueRow]]) -> list[DueRow]:
    """Overdue and due this week across the children, the oldest first."""
    every = [row for case_rows in rows.values() for row in case_rows]
    return sorted((r for r in every if r.status != "later"), key=lambda r: r.due.on)


def awaiting_and_drafts(
    library: Library, children: dict[int, str], author_id: int, found: Found
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The author's records with answers typed for them to check (which, and who typed them),
    and their drafts still being written."""
    awaiting, drafts = [], []
    for case_id, rows in found.items():
        for r in rows:
            if r.author_id != author_id or r.status not in IN_PROGRESS:
                continue
            exemplar = records.definition_of(library=library, record=r)
            typed = typed_sections(exemplar, r)
            item = {
                "record": r,
                "title": records.title_of(exemplar),
                "child": children[case_id],
                "case_id": case_id,
                "typed": typed,
            }
            if typed:
                typists = sorted({name for s in typed for name in s["typed_by"]})
                awaiting.append({**item, "typed_by": typists})
            if r.status != records.RecordStatus.RETURNED:  # listed with the manager's comment
                drafts.append(item)
    return awaiting, drafts


def typed_sections(exemplar: Exemplar, record: Record) -> list[dict[str, Any]]:
    """Each section holding answers typed for the author to check: its title, who typed them
    and when, in the exemplar's order."""
    found: dict[str, dict[str, Any]] = {}
    for field_id in records.awaiting_check(record):
        if field_id not in exemplar.section_of:
            continue
        note = record.answers[field_id]["awaiting_check"]
        section = exemplar.sections[exemplar.section_of[field_id]]
        row = found.setdefault(
            section.id, {"id": section.id, "title": records.title_of_section(section),
                         "typed_by": set(), "on": note.get("on", ""), "fields": []},
        )  # fmt: skip
        row["typed_by"].add(note["typed_by"])
        row["fields"].append(text_for(exemplar.fields[field_id].label, "worker"))
        row["on"] = max(row["on"], note.get("on", ""))
    order = [s.id for s in exemplar.definition.sections]
    rows = sorted(found.values(), key=lambda row: order.index(row["id"]))
    return [
        {
            **row,
            "typed_by": sorted(row["typed_by"]),
            "on": long_date(row["on"]) if row["on"] else "",
        }
        for row in rows
    ]


def signoff_ages(queue: list[Record], children: dict[int, str], today: date) -> list[Any]:
    """Each record waiting for sign-off with how many days it has waited."""
    return [
        {
            "record": r,
            "child": children.get(r.case_id, ""),
            "days": (today - r.submitted_at.date()).days if r.submitted_at else 0,
        }
        for r in queue
    ]
