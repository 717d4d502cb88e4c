"""Ofsted's Annex A lists, built from the records through a mapping declared in YAML
(`app/returns/mappings/<country>/annex_a.yaml`): list -> columns -> where each value comes from.

Nothing here names a list, a heading, an exemplar or a field: the mapping does. The builder walks
every case's records once, makes one row per record a list is made from, and writes each list as
CSV (the standard library's csv) and all of them as one workbook (openpyxl, the maintained XLSX
writer; a sheet per list).
"""

from __future__ import annotations

import csv
import io
from collections import abc
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.service import AuditAction
from app.cases import service as cases
from app.cases.facts import child_facts
from app.engine.conditions import ConditionError, Scope, compile_condition, plain
from app.engine.library import Library
from app.engine.yamlfile import ExemplarErrors, Problem, display, read, validate
from app.engine.yamlfile import plain as plain_yaml
from app.records import service as records

if TYPE_CHECKING:
    from app.audit.models import AuditEvent
    from app.auth.models import User
    from app.records.models import Record

MAPPINGS = Path(__file__).resolve().parent / "mappings"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Latest(_Strict):
    exemplars: list[str] = Field(min_length=1)
    field: str | dict[str, str]  # one field id, or one per exemplar


class Count(_Strict):
    exemplars: list[str] = Field(min_length=1)
    date: str | dict[str, str]
    months: int = Field(ge=1, le=120)
    when: str | None = None


class Choice(_Strict):
    when: str
    value: str


SOURCES = ("fact", "answer", "latest", "count", "first", "blank")


class Column(_Strict):
    heading: str = Field(min_length=1, max_length=300)
    fact: str | None = None
    answer: str | dict[str, str] | None = None
    latest: Latest | None = None
    count: Count | None = None
    first: list[Choice] | None = None
    blank: str | None = None  # the reason nothing is recorded for this heading
    codes: dict[str, str] | None = None  # stored code (see _key) -> published value
    date: bool = False

    @model_validator(mode="after")
    def _one_source(self) -> Column:
        given = [name for name in SOURCES if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(f"a column takes its value from exactly one of {', '.join(SOURCES)}")
        return self


class Rows(_Strict):
    exemplars: list[str] = Field(min_length=1)
    when: str | None = None


class AnnexList(_Strict):
    number: int = Field(ge=1, le=99)
    title: str
    rows: Rows
    columns: list[Column] = Field(min_length=1)


class Mapping(_Strict):
    title: str
    country: str
    date_format: str = "%d/%m/%Y"
    child_columns: list[Column] = Field(default_factory=list)
    values: dict[str, Any] = Field(default_factory=dict)  # anchors for the lists, read there
    lists: list[AnnexList] = Field(min_length=1)


def load_mapping(country: str = "england", *, path: Path | None = None) -> Mapping:
    """The country's mapping, or ExemplarErrors naming file:line for each mistake (a condition
    that cannot be read included)."""
    path = path or MAPPINGS / country / "annex_a.yaml"
    where = display(path)
    if not path.exists():
        raise ExemplarErrors([Problem(where, 0, 0, f"no Annex A mapping for {country}")])
    document = read(path, where)
    mapping, problems = validate(document, Mapping, plain_yaml(document.data))
    if mapping is None:
        raise ExemplarErrors(problems)
    problems = [document.problem(at, message) for at, message in _conditions(mapping)]
    if problems:
        raise ExemplarErrors(problems)
    return mapping


def _conditions(mapping: Mapping) -> list[tuple[list[str | int], str]]:
    """Every condition in the mapping that cannot be read, with where it is."""
    found: list[tuple[list[str | int], str]] = []
    for i, listed in enumerate(mapping.lists):
        at: list[str | int] = ["lists", i]
        conditions = [([*at, "rows", "when"], listed.rows.when)]
        for j, column in enumerate(listed.columns):
            here = [*at, "columns", j]
            if column.count is not None:
                conditions.append(([*here, "count", "when"], column.count.when))
            for k, choice in enumerate(column.first or []):
                conditions.append(([*here, "first", k, "when"], choice.when))
        for path, source in conditions:
            try:
                compile_condition(source) if source else None
            except ConditionError as error:
                found.append((path, f"cannot read the condition: {error.message}"))
    return found


def problems(mapping: Mapping, library: Library) -> list[str]:
    """Exemplars and fields the mapping names that the library lacks, each in a sentence: a
    misspelt field would otherwise export as a column that is always blank."""
    fields = {e.id: set(e.fields) for e in library.current()}
    found = []
    for listed in mapping.lists:
        where = f"list {listed.number}"
        wanted: list[tuple[str, str | None]] = [(x, None) for x in listed.rows.exemplars]
        for column in listed.columns:
            wanted += _named(column, listed.rows.exemplars)
            if isinstance(column.answer, dict):
                missing = [x for x in listed.rows.exemplars if x not in column.answer]
                found += [f"{where}: '{column.heading}' names no field of {x}" for x in missing]
        for exemplar_id, field in wanted:
            if exemplar_id not in fields:
                found.append(f"{where}: no exemplar {exemplar_id}")
            elif field is not None and field not in fields[exemplar_id]:
                found.append(f"{where}: {exemplar_id} has no field {field}")
    return found


def _named(column: Column, row_exemplars: list[str]) -> list[tuple[str, str | None]]:
    """(exemplar, field) pairs a column reads."""
    if column.answer is not None:
        return [(x, _field(column.answer, x)) for x in row_exemplars if _field(column.answer, x)]
    source = column.latest or column.count
    if source is None:
        return []
    named = source.field if isinstance(source, Latest) else source.date
    return [(x, _field(named, x)) for x in source.exemplars]


@dataclass(frozen=True)
class Sheet:
    """One list as exported: its number, title, headings in order and rows."""

    number: int
    title: str
    headings: list[str]
    rows: list[list[Any]]

    @property
    def name(self) -> str:
        return f"List {self.number}"


def build(*, session: Session, mapping: Mapping, on: date) -> list[Sheet]:
    """Every list of the mapping, from every case's records as of `on` (the reference date)."""
    sheets = [
        Sheet(listed.number, listed.title, _headings(mapping, listed), [])
        for listed in mapping.lists
    ]
    case_ids = cases.all_case_ids(session=session)
    by_case = records.records_for_cases(session=session, case_ids=case_ids)
    for case in cases.get_cases(session=session, case_ids=case_ids):
        held = list(reversed(by_case.get(case.id, [])))  # oldest first, as the rows read
        if not held:
            continue
        facts = child_facts(session=session, case=case, on=on)
        child = _Child(facts, held, on, mapping.date_format)
        for listed, sheet in zip(mapping.lists, sheets, strict=True):
            for record in child.rows_for(listed.rows):
                columns = [*mapping.child_columns, *listed.columns]
                sheet.rows.append([child.value(column, record) for column in columns])
    return sheets


def _headings(mapping: Mapping, listed: AnnexList) -> list[str]:
    return [c.heading for c in (*mapping.child_columns, *listed.columns)]


class _Child:
    """One child's facts and records, and the value of any column for one of their records."""

    def __init__(
        self, facts: abc.Mapping[str, Any], held: list[Record], on: date, fmt: str
    ) -> None:
        self.facts, self.held, self.on, self.fmt = facts, held, on, fmt

    def scope(self, record: Record) -> Scope:
        return Scope(record.answers, self.facts)

    def rows_for(self, rows: Rows) -> list[Record]:
        chosen = [r for r in self.held if r.exemplar_id in rows.exemplars]
        if rows.when:
            test = compile_condition(rows.when)
            chosen = [r for r in chosen if test(self.scope(r))]
        return chosen

    def value(self, column: Column, record: Record) -> Any:
        raw = self._raw(column, record)
        key = _key(raw)
        if column.codes is not None and key is not None and key in column.codes:
            return column.codes[key]
        if column.date and isinstance(raw, str) and raw:
            return date.fromisoformat(raw).strftime(self.fmt)
        return raw

    def _raw(self, column: Column, record: Record) -> Any:
        if column.fact is not None:
            return self.facts.get(column.fact)
        if column.answer is not None:
            return plain(record.answers.get(_field(column.answer, record.exemplar_id) or ""))
        if column.latest is not None:
            return self._latest(column.latest)
        if column.count is not None:
            return self._count(column.count)
        for choice in column.first or []:
            if compile_condition(choice.when)(self.scope(record)):
                return choice.value
        return None

    def _latest(self, latest: Latest) -> Any:
        newest = [r for r in self.held if r.exemplar_id in latest.exemplars]
        if not newest:
            return None
        record = newest[-1]
        return plain(record.answers.get(_field(latest.field, record.exemplar_id) or ""))

    def _count(self, count: Count) -> int:
        since = _months_before(self.on, count.months)
        test = compile_condition(count.when) if count.when else None
        counted = 0
        for record in self.held:
            if record.exemplar_id not in count.exemplars:
                continue
            day = plain(record.answers.get(_field(count.date, record.exemplar_id) or ""))
            dated = isinstance(day, str) and since < day <= self.on.isoformat()
            counted += dated and (test is None or test(self.scope(record)))
        return counted


def _field(named: str | dict[str, str], exemplar_id: str) -> str | None:
    return named if isinstance(named, str) else named.get(exemplar_id)


def _key(value: Any) -> str | None:
    """A value as the mapping's codes name it: yes/no facts as "true" and "false", not known as
    "null" (so YAML's own booleans never meet Python's); lists and tables have no code."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, (str, int)) else None


def _months_before(day: date, months: int) -> str:
    """The ISO date `months` before `day` (the last day of a shorter month where needed)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, last).isoformat()
        except ValueError:
            continue
    raise AssertionError("every month has a 28th")


# Writing ------------------------------------------------------------------------------------------


def csv_of(sheet: Sheet) -> bytes:
    """One list as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read £ and é)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(sheet.headings)
    writer.writerows([["" if v is None else v for v in row] for row in sheet.rows])
    return out.getvalue().encode("utf-8-sig")


def xlsx_of(sheets: list[Sheet]) -> bytes:
    """Every list in one workbook, a sheet each named as the specification numbers it."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for sheet in sheets:
        page = book.create_sheet(sheet.name)
        page.append(sheet.headings)
        for row in sheet.rows:
            page.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def file_name(sheet: Sheet) -> str:
    words = "_".join(sheet.title.lower().replace(",", "").split()[:4])
    return f"annex_a_list_{sheet.number}_{words}.csv"


def export_event(*, actor: User | None, sheets: list[Sheet], form: str, on: date) -> AuditEvent:
    """Who exported which lists (their row counts), in what form and as of when: never a row."""
    return audit.event(
        actor=actor,
        action=AuditAction.RETURNS_EXPORT,
        target_type="return",
        detail={
            "return": "annex_a",
            "form": form,
            "reference_date": on.isoformat(),
            "rows": {s.name: len(s.rows) for s in sheets},
        },
    )
