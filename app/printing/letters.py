"""Letters written from a record's answers (the letter before proceedings), one to each person the
record names: each kept as a printout of the record and logged in the distribution log.

What a letter says, whom it goes to and which answers fill it are declared in
`printouts/letters/<kind>.yaml` (read with file:line errors like the exemplars); nothing here knows
an exemplar's id or a field's. A new kind of letter is a YAML file and a template.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.service import AuditAction
from app.auth.models import User
from app.cases import service as cases
from app.engine.conditions import plain
from app.engine.definitions import text_for
from app.engine.library import Library
from app.engine.yamlfile import ExemplarErrors, display, read, validate
from app.engine.yamlfile import plain as plain_yaml
from app.errors import Invalid
from app.people import service as people
from app.printing import pdf
from app.printing.models import Printout, PrintoutDelivery

if TYPE_CHECKING:
    from app.records.models import Record

FOLDER = pdf.PRINTOUTS / "letters"
LOCAL = ZoneInfo("Europe/London")
METHODS = ("post", "email", "in person")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Recipients(_Strict):
    """Who gets a letter: the rows of a table of the record whose yes/no column is yes."""

    rows: str
    person: str
    when: str


class LetterKind(_Strict):
    title: str
    exemplar: str
    template: str
    to: Recipients
    answers: dict[str, str]  # the letter's part -> the record's field
    needed: list[str] = Field(default_factory=list)
    words: dict[str, Any]


@cache
def kinds() -> dict[str, LetterKind]:
    """Every kind of letter shipped (printouts/letters/), by its file's name."""
    return load(FOLDER)


def load(folder: Path) -> dict[str, LetterKind]:
    """The letters declared in a folder; ExemplarErrors naming file:line for each mistake."""
    found, problems = {}, []
    for path in sorted(folder.glob("*.yaml")):
        document = read(path, display(path))
        kind, wrong = validate(document, LetterKind, plain_yaml(document.data))
        problems.extend(wrong)
        if kind is not None:
            found[path.stem] = kind
    if problems:
        raise ExemplarErrors(problems)
    return found


def kinds_for(exemplar_id: str) -> dict[str, LetterKind]:
    """The letters a record of this exemplar can write."""
    return {name: kind for name, kind in kinds().items() if kind.exemplar == exemplar_id}


def kind_of(*, record: Record, kind: str) -> LetterKind:
    found = kinds_for(record.exemplar_id).get(kind)
    if found is None:
        # The record exists and may be printed: only the name asked for is wrong.
        raise Invalid(
            f"A {record.exemplar_id} record writes no letter called {kind}.", field="kind"
        )
    return found


def problems(library: Library) -> list[str]:
    """What a letter names that its exemplar lacks: each a sentence naming the letter's file."""
    found = []
    for name, kind in kinds().items():
        exemplar = next((e for e in library.current() if e.id == kind.exemplar), None)
        if exemplar is None:
            found.append(f"{name}.yaml: no exemplar {kind.exemplar}")
            continue
        rows = exemplar.fields.get(kind.to.rows)
        columns = {c.id for c in (rows.fields or [])} if rows is not None else set()
        wanted = [kind.to.rows, *kind.answers.values()]
        found += [
            f"{name}.yaml: {kind.exemplar} has no field {f}"
            for f in wanted
            if f not in exemplar.fields
        ]
        found += [
            f"{name}.yaml: {kind.to.rows} has no column {c}"
            for c in (kind.to.person, kind.to.when)
            if c not in columns
        ]
        found += [
            f"{name}.yaml: needed {n} is not a part of the letter"
            for n in kind.needed
            if n not in kind.answers
        ]
    return found


@dataclass(frozen=True)
class Recipient:
    person_id: int
    name: str
    address: str | None


def recipients(*, session: Session, record: Record, kind: LetterKind) -> list[Recipient]:
    """Everyone the record's table marks for a letter, once each, at their own address."""
    rows = plain(record.answers.get(kind.to.rows)) or []
    chosen: list[Recipient] = []
    for row in rows:
        person = row.get(kind.to.person)
        if not isinstance(person, dict) or _answer_of(row.get(kind.to.when)) != "yes":
            continue
        if any(r.person_id == person["id"] for r in chosen):
            continue
        found = people.get_person(session=session, person_id=int(person["id"]))
        home = people.home_of(session=session, person_id=found.id)
        address = found.address or (home.address if home is not None else None)
        chosen.append(Recipient(found.id, found.full_name, address))
    return chosen


def _answer_of(cell: Any) -> Any:
    """A table's cell as stored: a bare value, or a yes/no with its qualifier."""
    return cell.get("answer") if isinstance(cell, dict) else cell


@dataclass(frozen=True)
class Sender:
    name: str
    job_title: str | None
    work_address: str | None
    phone: str | None
    email: str | None


def compose(
    *, session: Session, library: Library, record: Record, kind: LetterKind, council: str
) -> dict[str, Any]:
    """What the letter's template needs, or Invalid naming the question still to answer."""
    exemplar = library.get(record.exemplar_id, record.exemplar_version)
    parts = {part: plain(record.answers.get(field)) for part, field in kind.answers.items()}
    for part in kind.needed:
        if parts.get(part) in (None, "", []):
            field = kind.answers[part]
            words = text_for(exemplar.fields[field].label, "worker")
            raise Invalid(f"Answer '{words}' before writing the letter.", field=field)
    to = recipients(session=session, record=record, kind=kind)
    if not to:
        raise Invalid(
            "Nobody in the record is marked as having parental responsibility.",
            field=kind.to.rows,
        )
    case = cases.get_case(session=session, case_id=record.case_id)
    sender = _sender(case.allocated_worker)
    born = case.child.date_of_birth
    fill = {
        "child": case.child.given_names.split()[0],
        "child_full": case.child.full_name,
        "born": f"{born.day} {born:%B %Y}" if born else "not known",
        "reference": case.case_number,
        "council": council,
        "worker": sender.name,
    }
    dated = _date(parts.get("dated")) or datetime.now(LOCAL).date()
    return {
        "council": council,
        "sender": sender,
        "child_full": fill["child_full"],
        "dated": _long(dated),
        "words": _filled(kind.words, fill),
        "worries": parts.get("worries") or "",
        "must_change": parts.get("must_change") or "",
        "support": parts.get("support") or "",
        "meeting_date": _long(_date(parts.get("meeting_date"))),
        "meeting_time": parts.get("meeting_time") or "",
        "meeting_place": parts.get("meeting_place") or "",
        # The offer is in every letter unless the record says it was not made (and why).
        "fgdm_offered": parts.get("fgdm_offered") != "no",
        "letters": [{"name": r.name, "address": r.address} for r in to],
        "recipients": to,
    }


def _sender(worker: User | None) -> Sender:
    if worker is None:
        raise Invalid("This child has no allocated worker to sign the letter.", field="case_id")
    if not (worker.work_phone or worker.work_email):
        # A parent told to contact the worker must be told how: no letter without a way back.
        raise Invalid(
            f"Add a work phone or email for {worker.full_name} on their profile: "
            "the letter tells each parent how to reach them.",
            field="work_phone",
        )
    return Sender(
        worker.full_name,
        worker.job_title,
        worker.work_address,
        worker.work_phone,
        worker.work_email,
    )


def _filled(words: Any, fill: dict[str, str]) -> Any:
    if isinstance(words, str):
        return words.format(**fill)
    if isinstance(words, list):
        return [_filled(w, fill) for w in words]
    if isinstance(words, dict):
        return {k: _filled(v, fill) for k, v in words.items()}
    return words


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _long(day: date | None) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}" if day else ""


@dataclass(frozen=True)
class Sent:
    printout: Printout
    delivery: PrintoutDelivery
    pdf: bytes


def send(
    *,
    session: Session,
    library: Library,
    actor: User,
    record: Record,
    kind_name: str,
    council: str,
    method: str,
) -> list[Sent]:
    """One letter to each recipient: rendered, kept as a printout of the record, logged as sent
    by `method` and audited on the child's trail."""
    if method not in METHODS:
        raise Invalid(f"Choose how the letters go: {', '.join(METHODS)}.", field="method")
    kind = kind_of(record=record, kind=kind_name)
    context = compose(session=session, library=library, record=record, kind=kind, council=council)
    sent = []
    for letter in context["letters"]:
        rendered = pdf.letter(kind.template, context | {"letters": [letter]})
        sent.append(_keep(session, actor, record, kind_name, letter["name"], method, rendered))
    return sent


def _keep(
    session: Session,
    actor: User,
    record: Record,
    kind_name: str,
    name: str,
    method: str,
    rendered: pdf.Rendered,
) -> Sent:
    printout = Printout(
        record_id=record.id,
        record_version=record.version,
        audience=kind_name[:20],
        checksum=hashlib.sha256(rendered.html.encode()).hexdigest(),
        pages=rendered.pages,
        withheld=[],
        recipient=name,
        created_by_id=actor.id,
    )
    session.add(printout)
    session.flush()
    delivery = PrintoutDelivery(
        printout_id=printout.id, recipient=name, method=method, sent_by_id=actor.id
    )
    session.add(delivery)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action=AuditAction.RECORD_PRINT,
        target_type="record",
        target_id=record.id,
        case_id=record.case_id,
        detail={"letter": kind_name, "printout": printout.id, "method": method},
    )
    return Sent(printout, delivery, rendered.pdf)


def sent_for(*, session: Session, record_id: int, kind_name: str) -> list[PrintoutDelivery]:
    """The distribution log of this record's letters of one kind, oldest first."""
    query = (
        select(PrintoutDelivery)
        .join(Printout, Printout.id == PrintoutDelivery.printout_id)
        .where(Printout.record_id == record_id, Printout.audience == kind_name[:20])
        .order_by(PrintoutDelivery.id)
    )
    return list(session.scalars(query))


def preview(
    *, session: Session, library: Library, record: Record, kind_name: str, council: str
) -> bytes:
    """Every recipient's letter in one PDF, kept nowhere: to read before sending."""
    kind = kind_of(record=record, kind=kind_name)
    context = compose(session=session, library=library, record=record, kind=kind, council=council)
    return pdf.letter(kind.template, context).pdf
