"""Answers against a definition: what shows, what is wrong, what is pre-filled, what comes next.

An answer is stored as {"value": …} or {"absent": code}; blank is no entry at all. Type errors are
reported on every save, requirements only on submit, and neither blocks moving between sections.
"""

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pydantic import ValidationError

from app.engine import fieldtypes
from app.engine.conditions import Scope, compile_condition, plain
from app.engine.definitions import FieldDef, Prefill, text_for
from app.engine.fieldtypes import Ref
from app.engine.library import Exemplar
from app.engine.schema import ABSENCE_CODES
from app.timescales.calendar import add_working_days

ENVELOPE_KEYS = {
    "value",
    "absent",
    "link",
    "prefilled",
    "confirmed",
    "awaiting_check",
    "provenance",
}
REFERENCE_TYPES = ("person", "professional")
FACT_SOURCES = {
    "child": "the child's details",
    "case": "the case",
    "family": "the family's details",
    "meeting": "the meeting",
    "placement": "the current placement",
}


@dataclass
class Visibility:
    sections: dict[str, bool] = field(default_factory=dict)
    fields: dict[str, bool] = field(default_factory=dict)


@dataclass
class Checked:
    errors: dict[str, str]


@dataclass(frozen=True)
class EarlierRecord:
    """The answers of the latest earlier record of some exemplar, and how to name it."""

    answers: Mapping[str, Any]
    label: str
    record_id: int
    on: date


EarlierLookup = Callable[[str], EarlierRecord | None]


def visibility(
    exemplar: Exemplar, *, answers: Mapping[str, Any], facts: Mapping[str, Any]
) -> Visibility:
    """Which sections and fields apply to this child now (a field needs its section shown too)."""
    scope = Scope(answers, facts)
    shown = Visibility()
    for section_id, section_if, fields in exemplar.pathway:
        open_ = section_if is None or section_if(scope)
        shown.sections[section_id] = open_
        for field_id, field_if in fields:
            shown.fields[field_id] = open_ and (field_if is None or field_if(scope))
    return shown


def _holds(source: str | None, scope: Scope, *, default: bool) -> bool:
    return default if source is None else compile_condition(source)(scope)


def validate(
    exemplar: Exemplar,
    *,
    answers: Mapping[str, Any],
    facts: Mapping[str, Any],
    mode: Literal["save", "submit"] = "save",
) -> Checked:
    """Field id → plain message for every answer of the wrong shape, and on submit every gap."""
    errors = shape_errors(exemplar, answers)
    if mode == "submit":
        scope = Scope(answers, facts)
        for item, required_if in exemplar.requirements:
            if item.id in errors or not _shown(exemplar, item.id, scope):
                continue
            needed = item.required or (required_if is not None and required_if(scope))
            message = _gap(item, answers.get(item.id), needed)
            if message:
                errors[item.id] = message
    return Checked(errors=errors)


def _shown(exemplar: Exemplar, field_id: str, scope: Scope) -> bool:
    section_if, field_if = exemplar.conditions_of[field_id]
    return (section_if is None or section_if(scope)) and (field_if is None or field_if(scope))


def shape_errors(exemplar: Exemplar, answers: Mapping[str, Any]) -> dict[str, str]:
    """The compiled check first (fast); words for each fault come from the field's own check."""
    try:
        exemplar.adapter.validate_python(answers)
        return {}
    except ValidationError as error:
        faulty = sorted({str(item["loc"][0]) for item in error.errors() if item["loc"]})
    errors: dict[str, str] = {}
    for field_id in faulty:
        item = exemplar.fields.get(field_id)
        if item is None:
            errors[field_id] = f"There is no field '{field_id}' in {exemplar.id}."
            continue
        message = _envelope_problem(exemplar, item, answers[field_id])
        errors[field_id] = message or "This answer is not in a form we can keep."
    return errors


def reference_errors(
    exemplar: Exemplar, answers: Mapping[str, Any], allowed: Collection[Ref]
) -> dict[str, str]:
    """Field id → why, for each answer naming someone who is not around this child. `allowed`
    is passed in as data (the people and professionals of the child's world), like facts."""
    errors: dict[str, str] = {}
    for field_id, answer in answers.items():
        item = exemplar.fields.get(field_id)
        if item is None or not isinstance(answer, Mapping):
            continue
        for column, value in _named(item, answer.get("value")):
            key = fieldtypes.ref_key(value, column.type)
            flagged = isinstance(value, Mapping) and value.get("unresolved")
            if key is not None and not flagged and key not in allowed:
                errors[field_id] = (
                    f"Choose a {column.type} from the list: {column.type} {key[1]} is not "
                    "among the people and professionals around this child."
                )
    return errors


def _named(item: FieldDef, value: Any) -> list[tuple[FieldDef, Any]]:
    """Each person or professional value in an answer, a group's cells included."""
    if item.type in REFERENCE_TYPES:
        return [(item, value)] if value is not None else []
    if item.type != "group" or not isinstance(value, list):
        return []
    columns = {c.id: c for c in item.fields or [] if c.type in REFERENCE_TYPES}
    return [
        (columns[key], cell)
        for row in value
        if isinstance(row, Mapping)
        for key, cell in row.items()
        if key in columns and cell is not None
    ]


def names_someone(exemplar: Exemplar, field_ids: Collection[str]) -> bool:
    """Whether any of these fields (or their columns) holds a person or professional."""
    return any(
        item.type in REFERENCE_TYPES or any(c.type in REFERENCE_TYPES for c in item.fields or [])
        for item in (exemplar.fields.get(f) for f in field_ids)
        if item is not None
    )


def _envelope_problem(exemplar: Exemplar, item: FieldDef, answer: Any) -> str | None:
    if not isinstance(answer, Mapping) or not set(answer) <= ENVELOPE_KEYS:
        return 'Send {"value": …} or {"absent": "not_known"}.'
    if "absent" in answer:
        if answer["absent"] not in ABSENCE_CODES:
            return f"Choose one of: {', '.join(ABSENCE_CODES)}."
        return "An answer cannot be both given and absent." if "value" in answer else None
    if "value" not in answer:
        return 'Send {"value": …} or {"absent": "not_known"}.'
    return value_problem(exemplar, item, answer["value"])


def value_problem(exemplar: Exemplar, item: FieldDef, value: Any) -> str | None:
    """Why `value` does not fit the field, in words a worker understands, or None."""
    return fieldtypes.value_problem(exemplar, item, value)


def _gap(item: FieldDef, answer: Any, needed: bool) -> str | None:
    """On submit: a required field with no value (an absence code does not meet a requirement)."""
    rows = plain(answer)
    if needed and rows in (None, "", []):
        return f"Answer '{text_for(item.label, 'worker')}' before submitting."
    if item.min_rows and isinstance(rows, list) and len(rows) < item.min_rows:
        return f"Add at least {item.min_rows} rows to '{text_for(item.label, 'worker')}'."
    return None


def settle(
    exemplar: Exemplar, *, answers: Mapping[str, Any], facts: Mapping[str, Any]
) -> dict[str, Any]:
    """Answers with those hidden fields removed whose definition says `when_hidden: clear`."""
    shown = visibility(exemplar, answers=answers, facts=facts)
    return {
        key: value
        for key, value in answers.items()
        if shown.fields.get(key, True) or exemplar.fields[key].when_hidden == "keep"
    }


@dataclass
class PrefillContext:
    """What every pre-fill source may read: the case's facts and the child's earlier records
    (each exemplar looked up once however many fields name it)."""

    facts: Mapping[str, Any]
    earlier: EarlierLookup
    today: date
    cache: dict[str, EarlierRecord | None] = field(default_factory=dict)

    def record_of(self, exemplar_id: str) -> EarlierRecord | None:
        if exemplar_id not in self.cache:
            self.cache[exemplar_id] = self.earlier(exemplar_id)
        return self.cache[exemplar_id]


def _from_fact(item: FieldDef, source: Prefill, context: PrefillContext) -> Any:
    value = context.facts.get(f"{source.source}.{source.attribute}")
    value = _as_field_value(item, _mapped(source, value))
    origin = {"source": FACT_SOURCES[source.source], "on": context.today.isoformat()}
    return {"value": value, "prefilled": origin} if value not in (None, []) else None


def _from_earlier(item: FieldDef, source: Prefill, context: PrefillContext) -> Any:
    record = context.record_of(source.exemplar or "")
    answer = record.answers.get(source.field or "") if record else None
    if record is None or not isinstance(answer, Mapping) or "value" not in answer:
        return None
    origin = {"source": record.label, "on": record.on.isoformat(), "record_id": record.record_id}
    value = _mapped(source, answer["value"])
    return {"value": value, "prefilled": origin} if value not in (None, []) else None


# Where a pre-fill may come from (`from:` in YAML): one entry per source, checked in
# app/engine/checks.py by the entry of the same name.
PrefillSource = Callable[[FieldDef, Prefill, PrefillContext], dict[str, Any] | None]
PREFILL_SOURCES: dict[str, PrefillSource] = {
    "child": _from_fact,
    "case": _from_fact,
    "family": _from_fact,
    "meeting": _from_fact,  # facts known when a record is started from a meeting's page
    "placement": _from_fact,  # the looked-after child's current placement episode
    "record": _from_earlier,
}


def _mapped(source: Prefill, value: Any) -> Any:
    """Rows with the field's own columns, each taken from the source column the YAML names;
    a row left with nothing in it is dropped."""
    if source.columns is None or not isinstance(value, list):
        return value
    rows = []
    for row in value:
        if not isinstance(row, Mapping):
            continue
        cells = {mine: row.get(theirs) for mine, theirs in source.columns.items()}
        kept = {key: cell for key, cell in cells.items() if cell is not None}
        if kept:
            rows.append(kept)
    return rows


def prefill(
    exemplar: Exemplar,
    *,
    facts: Mapping[str, Any],
    answers: Mapping[str, Any],
    earlier: EarlierLookup,
    today: date,
) -> dict[str, Any]:
    """Answers for unanswered fields that name a source, each marked with where it came from."""
    context = PrefillContext(facts=facts, earlier=earlier, today=today)
    filled: dict[str, Any] = {}
    for field_id, item in exemplar.fields.items():
        if item.prefill is None or answers.get(field_id) is not None:
            continue
        found = _first_found(item, item.prefill, context)
        if found is not None and value_problem(exemplar, item, found.get("value")) is None:
            filled[field_id] = found
    return filled


def _first_found(item: FieldDef, source: Prefill | None, context: PrefillContext) -> Any:
    """The value of the first source in the chain (`otherwise:`) that has one."""
    while source is not None:
        found = PREFILL_SOURCES[source.source](item, source, context)
        if found is not None:
            return found
        source = source.otherwise
    return None


def _as_field_value(item: FieldDef, value: Any) -> Any:
    """A fact's value in the shape the field keeps (a yes/no from true or false, rows with
    each cell in its column's shape, and so on)."""
    if item.fields and isinstance(value, list):
        columns = {column.id: column for column in item.fields}
        return [_row_of(columns, row) for row in value if isinstance(row, Mapping)]
    return fieldtypes.kind_of(item.type).from_fact(value)


def _row_of(columns: Mapping[str, FieldDef], row: Mapping[str, Any]) -> dict[str, Any]:
    """One fact row as a group's row: its columns' cells in their shapes, unknowns left out."""
    cells = {key: _as_field_value(columns[key], raw) for key, raw in row.items() if key in columns}
    return {key: cell for key, cell in cells.items() if cell is not None}


def next_exemplars(exemplar: Exemplar, *, answers: Mapping[str, Any]) -> list[str]:
    """The exemplars the chosen outcome leads to; none until an outcome is chosen."""
    outcomes = exemplar.definition.outcomes
    if outcomes is None:
        return []
    chosen = plain(answers.get(outcomes.field))
    return list(outcomes.leads_to.get(chosen, [])) if isinstance(chosen, str) else []


def due(exemplar: Exemplar, *, answers: Mapping[str, Any]) -> tuple[date, str] | None:
    """When the record is due and why, from the exemplar's timescale and its clock-start date."""
    timescale = exemplar.definition.timescale
    started = plain(answers.get(timescale.clock_start)) if timescale else None
    if timescale is None or not isinstance(started, str):
        return None
    try:
        # A stored date past the calendar's end (an old slip, 9999-12-31) has no due date:
        # the page still opens and shows the date to correct.
        start = date.fromisoformat(started)
        on = add_working_days(start, timescale.working_days)
    except (ValueError, OverflowError):
        return None
    label = text_for(exemplar.fields[timescale.clock_start].label, "worker")
    why = f"{timescale.working_days} working days from {label.lower()}"
    return on, why + (f" ({timescale.rule})" if timescale.rule else "")
