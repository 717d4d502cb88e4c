"""The child's chronology: one dated line for each finalised record whose exemplar declares an
event (exemplars/*.yaml, `chronology:`), with the significance the worker gave it.

`build` is pure over the records' frozen answers and the worker's marks, so the page, a draft's
printout and the copy frozen into a snapshot on finalising are all the same list. A snapshot keeps
that list as it stood, so records finalised later never change a finalised document.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.engine.checks import placeholders
from app.engine.conditions import Scope, compile_condition, plain
from app.engine.definitions import SIGNIFICANCES, text_for
from app.engine.display import long_date, value_text
from app.engine.library import Exemplar, Library
from app.errors import Invalid
from app.records.errors import RecordNotFound
from app.records.models import ChronologyMark, Record, RecordSnapshot

QUOTE_MOST = 200  # characters of one quoted narrative: a chronology line is one line


@dataclass(frozen=True)
class Event:
    """One finalised version of one record, as the chronology reads it."""

    record_id: int
    version: int
    exemplar: Exemplar
    answers: Mapping[str, Any]
    started: date  # the fallback date when the event date was never given


@dataclass(frozen=True)
class Entry:
    """One line of the chronology, naming the record and version it comes from."""

    on: str  # ISO date
    dated_by_event: bool  # False: the event date was not answered, so the record's start date
    what: str
    kind: str
    significance: str
    record_id: int
    version: int
    exemplar_title: str
    exemplar_version: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Entry":
        return cls(**{name: data[name] for name in cls.__dataclass_fields__})

    @property
    def date_text(self) -> str:
        """The day in words, saying so when it is the record's start for want of an event date."""
        shown = long_date(self.on)
        return shown if self.dated_by_event else f"{shown} (record started; event date not given)"

    @property
    def source(self) -> str:
        return f"{self.exemplar_title}, record {self.record_id} version {self.version}"


def build(events: Iterable[Event], marks: Mapping[tuple[int, int], str]) -> list[Entry]:
    """Every event's line, oldest first; a worker's mark overrides the declared significance."""
    entries = [entry for event in events if (entry := _entry(event, marks)) is not None]
    return sorted(entries, key=lambda e: (e.on, e.record_id, e.version))


def _entry(event: Event, marks: Mapping[tuple[int, int], str]) -> Entry | None:
    declared = event.exemplar.definition.chronology
    if declared is None:
        return None
    if declared.when and not compile_condition(declared.when)(Scope(event.answers, {})):
        return None
    on = plain(event.answers.get(declared.date))
    return Entry(
        on=str(on) if on else event.started.isoformat(),
        dated_by_event=bool(on),
        what=_line(event, declared.line),
        kind=declared.kind,
        significance=marks.get((event.record_id, event.version), declared.significance),
        record_id=event.record_id,
        version=event.version,
        exemplar_title=text_for(event.exemplar.definition.title, "worker"),
        exemplar_version=event.exemplar.version,
    )


def _line(event: Event, line: str) -> str:
    return line_over(event.exemplar, event.answers, line)


def line_over(exemplar: Exemplar, answers: Mapping[str, Any], line: str) -> str:
    """A declared line with each answer in the worker's words; a blank answer leaves no gap."""
    event = Event(0, 0, exemplar, answers, date.min)
    quoted = {name: _quote(event, name) for name in placeholders(line)}
    text = re.sub(r"\s+", " ", line.format(**quoted))
    return re.sub(r"[\s.:;,]+$", "", text).strip()


def _quote(event: Event, field_id: str) -> str:
    item = event.exemplar.fields[field_id]
    value = plain(event.answers.get(field_id))
    if value is None or value == "" or value == []:
        return ""
    text = value_text(event.exemplar, item, value, audience="worker", names={})
    first = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]  # a narrative's first sentence
    return first if len(first) <= QUOTE_MOST else f"{first[: QUOTE_MOST - 1]}…"


def events_of_case(
    *, session: Session, library: Library, case_id: int, as_of: datetime | None = None
) -> list[Event]:
    """Each record's latest finalised version (finalised by `as_of`, when given)."""
    query = (
        select(RecordSnapshot, Record)
        .join(Record, Record.id == RecordSnapshot.record_id)
        .where(Record.case_id == case_id)
        .order_by(RecordSnapshot.record_id, RecordSnapshot.version)
    )
    if as_of is not None:
        query = query.where(RecordSnapshot.finalised_at <= as_of)
    latest: dict[int, Event] = {}
    for snapshot, record in session.execute(query):
        exemplar = library.get(snapshot.exemplar_id, snapshot.exemplar_version)
        answers = snapshot.content.get("answers", {})
        started = record.started_at.date()
        latest[record.id] = Event(record.id, snapshot.version, exemplar, answers, started)
    return list(latest.values())


def marks_of(
    *, session: Session, record_ids: Iterable[int], as_of: datetime | None = None
) -> dict[tuple[int, int], str]:
    """The newest significance the worker set for each record version."""
    query = (
        select(ChronologyMark)
        .where(ChronologyMark.record_id.in_(list(record_ids)))
        .order_by(ChronologyMark.id)
    )
    if as_of is not None:
        query = query.where(ChronologyMark.set_at <= as_of)
    return {(m.record_id, m.record_version): m.significance for m in session.scalars(query)}


def of_case(
    *,
    session: Session,
    library: Library,
    case_id: int,
    adding: Event | None = None,
    as_of: datetime | None = None,
) -> list[Entry]:
    """The case's chronology now (or as of a moment); `adding` is the record being finalised."""
    events = events_of_case(session=session, library=library, case_id=case_id, as_of=as_of)
    if adding is not None:
        events = [e for e in events if e.record_id != adding.record_id] + [adding]
    marks = marks_of(session=session, record_ids={e.record_id for e in events}, as_of=as_of)
    return build(events, marks)


def mark(
    *, session: Session, actor: User, record_id: int, version: int, significance: str
) -> ChronologyMark:
    """Keep the worker's significance for one entry; earlier marks stay as its history."""
    if significance not in SIGNIFICANCES:
        raise Invalid(f"Significance is one of {', '.join(SIGNIFICANCES)}.", field="significance")
    found = session.scalar(
        select(RecordSnapshot.id).where(
            RecordSnapshot.record_id == record_id, RecordSnapshot.version == version
        )
    )
    if found is None:
        raise RecordNotFound(
            f"Record {record_id} has no finalised version {version}.", field="version"
        )
    row = ChronologyMark(
        record_id=record_id, record_version=version, significance=significance, set_by_id=actor.id
    )
    session.add(row)
    session.flush()
    return row


def history(*, session: Session, record_id: int) -> list[ChronologyMark]:
    """Every significance set on a record's entries, oldest first."""
    query = (
        select(ChronologyMark)
        .where(ChronologyMark.record_id == record_id)
        .order_by(ChronologyMark.id)
    )
    return list(session.scalars(query))
