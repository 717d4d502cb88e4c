"""The child's story on their page: case notes and visits, meetings, due dates and the chronology,
newest first and grouped by month.

A view over what the page has already read (`Found`, the meetings, the due dates, the chronology):
no query here. Which records are notes, and which notes are visits, is declared in the exemplars
(`timeline:`), never tested by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from typing import TYPE_CHECKING, Any

from app.engine.conditions import Scope, compile_condition, plain
from app.engine.definitions import Visit
from app.engine.library import Library
from app.errors import Invalid
from app.meetings.service import MeetingSummary
from app.pages.views import DueRow, Found
from app.records import service as records
from app.records.chronology import Entry, line_over

if TYPE_CHECKING:
    from app.records.models import Record

# What the timeline can be filtered to (?show=…), in the order the filter offers them.
KINDS: dict[str, str] = {
    "note": "Case notes and visits",
    "meeting": "Meetings",
    "due": "Due dates",
    "chronology": "Chronology",
}


@dataclass(frozen=True)
class Item:
    """One thing on the timeline, linking to where it comes from."""

    on: date
    kind: str
    title: str
    line: str
    href: str
    seen: str = ""  # a visit: "Seen alone", "Seen" or "Not seen"
    status: str = ""  # a record's status, or a due date's (overdue, due, later)
    due: DueRow | None = None


@dataclass(frozen=True)
class Month:
    label: str  # "December 2026"
    items: list[Item]


def of_child(
    *,
    library: Library,
    case_id: int,
    found: Found,
    meetings: list[MeetingSummary],
    dues: list[DueRow],
    chronology: list[Entry],
    show: str = "",
) -> list[Month]:
    """The child's timeline, newest first by month; `show` keeps one kind ("" is every kind)."""
    if show and show not in KINDS:
        raise Invalid(f"show is one of {', '.join(KINDS)}.", field="show")
    items = [
        *(item for r in found.get(case_id, []) if (item := _note(library, r)) is not None),
        *(_meeting(m) for m in meetings if case_id in m.case_ids),
        *(_due(row) for row in dues),
        *(_chronology(entry) for entry in chronology),
    ]
    kept = sorted((i for i in items if not show or i.kind == show), key=_newest_first)
    return [
        Month(label, list(group))
        for label, group in groupby(kept, key=lambda i: i.on.strftime("%B %Y"))
    ]


def _newest_first(item: Item) -> tuple[int, int]:
    return (-item.on.toordinal(), list(KINDS).index(item.kind))


def _note(library: Library, record: Record) -> Item | None:
    exemplar = records.definition_of(library=library, record=record)
    declared = exemplar.definition.timeline
    if declared is None:
        return None
    on = _date(record.answers, declared.date) or record.started_at.date()
    return Item(
        on=on,
        kind="note",
        title=records.title_of(exemplar),
        line=line_over(exemplar, record.answers, declared.line),
        href=f"/records/{record.id}",
        seen=_seen(declared.visit, record.answers),
        status=record.status.value,
    )


def _seen(visit: Visit | None, answers: Mapping[str, Any]) -> str:
    """A visit where the child was not recorded as seen was not one where they were seen."""
    if visit is None or (visit.when and not compile_condition(visit.when)(Scope(answers, {}))):
        return ""
    if plain(answers.get(visit.seen)) != "yes":
        return "Not seen"
    alone = visit.seen_alone and plain(answers.get(visit.seen_alone)) == "yes"
    return "Seen alone" if alone else "Seen"


def _meeting(meeting: MeetingSummary) -> Item:
    local = meeting.starts_at  # already in England and Wales
    what = meeting.kind_words
    return Item(
        on=local.date(),
        kind="meeting",
        title=what[:1].upper() + what[1:],
        line=f"{local.strftime('%-I:%M%p').lower()}, {meeting.venue}",
        href=f"/meetings/{meeting.id}",
    )


def _due(row: DueRow) -> Item:
    return Item(
        on=row.due.on,
        kind="due",
        title=row.due.what,
        line=f"From the {row.due.source_title.lower()}",
        href=_source(row),
        status=row.status,
        due=row,
    )


def _source(row: DueRow) -> str:
    """Where the clock started: the record, or the child's looked-after history."""
    if row.due.source_record_id is None:
        return f"/children/{row.case_id}/looked-after"
    return f"/records/{row.due.source_record_id}"


def _chronology(entry: Entry) -> Item:
    return Item(
        on=date.fromisoformat(entry.on),
        kind="chronology",
        title=entry.what or entry.exemplar_title,
        line=f"{entry.exemplar_title}, {entry.significance} significance",
        href=f"/records/{entry.record_id}",
    )


def _date(answers: Mapping[str, Any], field_id: str) -> date | None:
    value = plain(answers.get(field_id))
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
