"""A court statement about the child, compiled from the finalised records the worker picks.

Each record is read through the one renderer (service.build, from its frozen snapshot), and its
sections go under their SWET headings with the others', in the order the records were finalised,
each record's part introduced by where it comes from. One front sheet, one contents page, one
paragraph numbering, one statement of truth; the chronology, when chosen, is exhibited at the end.
The printout keeps the record versions it was made from and the witness, number and date it was
signed with, so printing it again gives the same bytes whatever has happened since.
"""

import hashlib
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.service import AuditAction
from app.auth.models import User
from app.engine.display import long_date
from app.engine.library import Exemplar, Library
from app.errors import Invalid
from app.printing import pdf, service, witness
from app.printing.document import Answer, ChronologyEntry, PrintDocument, Section
from app.printing.models import Printout
from app.records import service as records

if TYPE_CHECKING:
    from app.records.models import Record

FIELD = "records"
MOST_RECORDS = 100  # a statement from more is not one a court would read


@dataclass(frozen=True)
class Pick:
    """One finalised version of one record, as the worker ticked it."""

    record_id: int
    version: int


@dataclass(frozen=True)
class Choice:
    """A finalised record the worker may put in the statement (its newest finalised version)."""

    record_id: int
    version: int
    title: str
    finalised_on: date

    @property
    def value(self) -> str:
        return f"{self.record_id}:{self.version}"


@dataclass(frozen=True)
class Read:
    record: "Record"
    version: int
    snapshot_id: int
    on: date
    title: str
    document: PrintDocument
    withheld: list[service.Withheld]


@dataclass(frozen=True)
class Compiled:
    """Everything a compiled statement is made of; rendering needs nothing more."""

    case_id: int
    sources: list[dict[str, Any]]
    frozen: dict[str, Any]
    document: PrintDocument
    withheld: list[service.Withheld]


def choices(*, session: Session, library: Library, case_id: int) -> list[Choice]:
    """The case's finalised records, oldest first, each at its newest finalised version."""
    found = []
    for record in records.records_for_case(session=session, case_id=case_id):
        snapshot = records.latest_snapshot(session=session, record_id=record.id)
        if snapshot is None:
            continue
        title = records.title_of(records.definition_of(library=library, record=record))
        found.append(Choice(record.id, snapshot.version, title, snapshot.finalised_at.date()))
    return sorted(found, key=lambda c: (c.finalised_on, c.record_id))


def parse_picks(values: list[str]) -> list[Pick]:
    """The ticked boxes ("record:version"), each once, or an error naming the field."""
    if not values:
        raise Invalid("Choose at least one finalised record for the statement.", field=FIELD)
    if len(values) > MOST_RECORDS:
        raise Invalid(f"Choose at most {MOST_RECORDS} records.", field=FIELD)
    picks: list[Pick] = []
    for value in values:
        record_id, _, version = value.partition(":")
        if not (record_id.isdigit() and version.isdigit()) or len(value) > 20:
            raise Invalid("Choose records from the list.", field=FIELD)
        pick = Pick(int(record_id), int(version))
        if pick not in picks:
            picks.append(pick)
    return picks


def compile_statement(
    *,
    session: Session,
    library: Library,
    case_id: int,
    picks: list[Pick],
    chronology: bool,
    actor: User,
    kept: dict[str, Any] | None = None,
) -> Compiled:
    """The statement from these finalised versions; `kept` is what its first print froze."""
    read = sorted(
        (_read(session, library, case_id, pick, actor) for pick in picks),
        key=lambda r: (r.on, r.record.id),
    )
    if not read:
        raise Invalid("Choose at least one finalised record for the statement.", field=FIELD)
    newest = read[-1]
    assert newest.document.court is not None
    if kept is None:
        kept = _frozen(session, case_id, actor, newest.document, chronology)
    document = _combined(session, library, read, kept)
    sources = [{"record_id": r.record.id, "version": r.version, "snapshot_id": r.snapshot_id}
               for r in read]  # fmt: skip
    withheld = [replace(w, what=f"{r.title}: {w.what}") for r in read for w in r.withheld]
    return Compiled(case_id, sources, kept, document, withheld)


def _read(session: Session, library: Library, case_id: int, pick: Pick, actor: User) -> Read:
    record = records.get(session=session, record_id=pick.record_id)
    if record.case_id != case_id:
        raise Invalid(f"Record {pick.record_id} is not one of this child's.", field=FIELD)
    snapshot = next(
        (s for s in records.snapshots(session=session, record_id=record.id)
         if s.version == pick.version),
        None,
    )  # fmt: skip
    if snapshot is None:
        raise Invalid(
            f"Version {pick.version} of record {record.id} was never finalised.", field=FIELD
        )
    document, withheld = service.build(
        session=session,
        library=library,
        record=record,
        audience="court",
        author=actor,
        version=pick.version,
    )
    exemplar = records.definition_of(library=library, record=record)
    on = _event_day(exemplar, snapshot.content["answers"]) or snapshot.finalised_at.date()
    title = records.title_of(exemplar)
    return Read(record, pick.version, snapshot.id, on, title, document, withheld)


def _event_day(exemplar: Exemplar, answers: dict[str, Any]) -> date | None:
    """The day the record is about (the assessment completed, the review held), as its
    chronology line is dated; the statement orders and introduces its records by it."""
    declared = exemplar.definition.chronology
    answer = answers.get(declared.date) if declared else None
    value = answer.get("value") if isinstance(answer, dict) else None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _frozen(
    session: Session, case_id: int, actor: User, newest: PrintDocument, chronology: bool
) -> dict[str, Any]:
    """What a reprint must not read afresh: the witness, the number, the date, the exhibit."""
    assert newest.court is not None
    return {
        **witness.as_signed(newest.court),
        "statement_number": _next_number(session, case_id, actor),
        "statement_date": datetime.now(UTC).date().isoformat(),
        "chronology": chronology,
    }


def _combined(
    session: Session, library: Library, read: list[Read], kept: dict[str, Any]
) -> PrintDocument:
    """The newest record's document (its child, people and diagram, frozen with it), carrying
    every record's sections in date order, each introduced by its source."""
    words = pdf.court_settings()["compiled"]
    newest = read[-1]
    sections = _once(read, str(words["source"]))
    exhibit = str(words["chronology_exhibit"]) if kept["chronology"] else ""
    headings = pdf.court_settings()["headings"]
    assert newest.document.court is not None
    court = replace(
        newest.document.court,
        statement_number=int(kept["statement_number"]),
        statement_date=date.fromisoformat(str(kept["statement_date"])),
        exhibits=(f"{exhibit.capitalize()}: {headings['chronology']}",) if exhibit else (),
        chronology_exhibit=exhibit,
        compiled_from=tuple(_worded(words["made_from"], r) for r in read),
    )
    document = replace(
        newest.document,
        title=str(words["title"]),
        sections=sections,
        court=court,
        chronology=_chronology(session, library, newest) if exhibit else (),
        record_status="",
        reference=f"{court.case_number}/statement {court.statement_number}",
    )
    return witness.thaw(document, kept)


def _once(read: list[Read], wording: str) -> tuple[Section, ...]:
    """Every record's sections in date order, each introduced by its source; a section exactly
    as an earlier record already gave it (the child's details, the household) is left out.
    Seen on the page: five records repeated the same tables for eight pages."""
    seen: set[tuple[str, str, tuple[Answer, ...]]] = set()
    written: set[str] = set()
    kept: list[Section] = []
    for r in read:
        for section in r.document.sections:
            same = (section.court_heading, section.title, section.answers)
            answers = tuple(a for a in section.answers if _new_prose(a, written))
            if same not in seen and answers:
                seen.add(same)
                kept.append(replace(section, answers=answers, source=_worded(wording, r)))
    return tuple(kept)


def _new_prose(answer: Answer, written: set[str]) -> bool:
    """False for prose an earlier record already gave word for word (a pre-filled reason for
    referral, say): the court reads it once, under the record it first came from."""
    if answer.kind != "narrative" or not answer.text:
        return True
    words = " ".join(answer.text.split())
    if words in written:
        return False
    written.add(words)
    return True


def _worded(wording: str, read: Read) -> str:
    record = read.title[:1].lower() + read.title[1:]
    return wording.format(
        record=record,
        Record=read.title,
        date=long_date(read.on.isoformat()),
        version=read.version,
    )


def _chronology(session: Session, library: Library, newest: Read) -> tuple[ChronologyEntry, ...]:
    """The chronology as frozen with the newest record chosen, so it never changes after."""
    entries = records.chronology_for_print(
        session=session, library=library, record=newest.record, version=newest.version
    )
    return tuple(ChronologyEntry(e.date_text, e.what, e.source, e.significance) for e in entries)


def _next_number(session: Session, case_id: int, actor: User) -> int:
    """One more than this witness's statements in the case: records they printed for the court
    and statements they compiled."""
    theirs = [
        r.id
        for r in records.records_for_case(session=session, case_id=case_id)
        if r.author_id == actor.id
    ]
    single = select(func.count(func.distinct(Printout.record_id))).where(
        Printout.record_id.in_(theirs), Printout.audience == "court"
    )
    compiled = select(func.count(Printout.id)).where(
        Printout.case_id == case_id,
        Printout.record_id.is_(None),
        Printout.created_by_id == actor.id,
    )
    return 1 + int(session.scalar(single) or 0) + int(session.scalar(compiled) or 0)


def store(
    *, session: Session, actor: User, compiled: Compiled, rendered: pdf.Rendered
) -> service.Printed:
    """Keep the statement (what it was made from, what it froze) and audit it."""
    printout = Printout(
        record_id=None,
        record_version=None,
        case_id=compiled.case_id,
        sources=compiled.sources,
        frozen=compiled.frozen,
        audience="court",
        finalised=True,
        checksum=hashlib.sha256(rendered.html.encode()).hexdigest(),
        pages=rendered.pages,
        withheld=[{"what": w.what, "why": w.why} for w in compiled.withheld],
        created_by_id=actor.id,
    )
    session.add(printout)
    session.flush()
    _audit(session, actor, printout, again=False)
    return service.Printed(printout=printout, pdf=rendered.pdf, withheld=compiled.withheld)


def again(*, session: Session, library: Library, actor: User, printout: Printout) -> Compiled:
    """A compiled statement as it was first printed: its records' versions, its witness."""
    if printout.record_id is not None or printout.frozen is None:
        raise Invalid("This printout is not a compiled statement.", field="printout_id")
    picks = [Pick(int(s["record_id"]), int(s["version"])) for s in printout.sources]
    compiled = compile_statement(
        session=session,
        library=library,
        case_id=service.case_of(session=session, printout=printout),
        picks=picks,
        chronology=bool(printout.frozen["chronology"]),
        actor=actor,
        kept=printout.frozen,
    )
    _audit(session, actor, printout, again=True)
    return compiled


def _audit(session: Session, actor: User, printout: Printout, *, again: bool) -> None:
    detail = {
        "audience": "court",
        "printout": printout.id,
        "checksum": printout.checksum,
        "records": [[s["record_id"], s["version"]] for s in printout.sources],
        "again": again,
    }
    audit.record(
        session=session,
        actor=actor,
        action=AuditAction.RECORD_PRINT,
        target_type="case",
        target_id=service.case_of(session=session, printout=printout),
        case_id=service.case_of(session=session, printout=printout),
        detail=detail,
    )


def made_for(*, session: Session, case_id: int) -> list[Printout]:
    """The statements compiled for this child, newest first."""
    query = (
        select(Printout)
        .where(Printout.case_id == case_id, Printout.record_id.is_(None))
        .order_by(Printout.id.desc())
    )
    return list(session.scalars(query))
