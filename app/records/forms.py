"""HTML forms for a section, both ways: answers to form values, posted form values to answers.

Names follow GOV.UK patterns: a date is `<id>-day`, `<id>-month`, `<id>-year`; the absence choice is
`<id>__absent`; a yes/no's time qualifier is `<id>__when`; a group's cell is
`<id>__<row>__<column>`.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.engine.definitions import FieldDef, Section, text_for
from app.engine.display import ABSENT_WORDS, describe
from app.engine.library import Exemplar
from app.timescales.calendar import typed_date

Form = Mapping[str, list[str]]
SPARE_ROWS = 1  # an empty row under the filled ones, so a row can be added without JavaScript


@dataclass
class FieldView:
    """Everything the `_field.html` macro needs for one question."""

    item: FieldDef
    label: str
    hint: str
    guidance: str
    shown: bool
    value: Any  # str, list of str, or {"day", "month", "year"} for a date; rows for a group
    when: str = ""
    absent: str = ""
    link: str = ""
    source: str | None = None
    confirmed: bool = False
    error: str | None = None
    options: list[tuple[str, str]] = field(default_factory=list)


def views(
    exemplar: Exemplar,
    section: Section,
    *,
    answers: Mapping[str, Any],
    shown: Mapping[str, bool],
    people: list[tuple[int, str]],
    errors: Mapping[str, str] | None = None,
    posted: Form | None = None,
) -> list[FieldView]:
    """One view per field; after a failed post the worker's own typing is shown, not the old."""
    result = []
    for item in section.fields:
        answer = answers.get(item.id)
        view = _view(exemplar, item, answer, people)
        view.shown = shown.get(item.id, True)
        view.error = (errors or {}).get(item.id)
        if posted is not None:
            _take_posted(view, posted)
        result.append(view)
    return result


def _view(
    exemplar: Exemplar, item: FieldDef, answer: Any, people: list[tuple[int, str]]
) -> FieldView:
    answer = answer if isinstance(answer, Mapping) else {}
    value = answer.get("value")
    view = FieldView(
        item=item,
        label=text_for(item.label, "worker"),
        hint=text_for(item.hint, "worker"),
        guidance=item.guidance or "",
        shown=True,
        value=_form_value(item, value),
        absent=answer.get("absent", ""),
        link=answer.get("link", ""),
        confirmed=bool(answer.get("confirmed")),
        source=describe(exemplar, item, answer).source,
    )
    if item.type == "yes_no" and isinstance(value, Mapping):
        view.value, view.when = value.get("answer", ""), value.get("when") or ""
    if item.type in ("choice", "multi_choice"):
        view.options = [(o.code, text_for(o.label, "worker")) for o in exemplar.options(item)]
    if item.type in ("person", "professional"):
        view.options = [(str(pid), name) for pid, name in people]
    if item.type == "group":
        rows = list(value or []) + [{}] * SPARE_ROWS
        columns = item.fields or []
        view.value = [[_cell(exemplar, c, row.get(c.id), people) for c in columns] for row in rows]
    return view


def _cell(
    exemplar: Exemplar, column: FieldDef, value: Any, people: list[tuple[int, str]]
) -> FieldView:
    """One cell of a group row: a column's view holding that row's value."""
    cell = _view(exemplar, column, {"value": value} if value is not None else None, people)
    if column.type == "date" and value:
        cell.value = date.fromisoformat(value).strftime("%d/%m/%Y")
    return cell


def _form_value(item: FieldDef, value: Any) -> Any:
    if value is None:
        return (
            {"day": "", "month": "", "year": ""}
            if item.type == "date"
            else ("" if item.type != "multi_choice" else [])
        )
    if item.type == "date":
        year, month, day = str(value).split("-")
        return {"day": str(int(day)), "month": str(int(month)), "year": year}
    if item.type == "multi_choice":
        return list(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _take_posted(view: FieldView, posted: Form) -> None:
    key = view.item.id
    if view.item.type == "date":
        view.value = {part: _first(posted, f"{key}-{part}") for part in ("day", "month", "year")}
    elif view.item.type == "multi_choice":
        view.value = posted.get(key, [])
    elif view.item.type != "group":
        view.value = _first(posted, key)
    view.when = _first(posted, f"{key}__when")
    view.absent = _first(posted, f"{key}__absent")


def _first(posted: Form, name: str) -> str:
    values = posted.get(name) or [""]
    return values[0]


def parse(
    exemplar: Exemplar, section: Section, posted: Form, *, current: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Answers from a posted section form, and a message for each value that cannot be read.

    An unchanged value keeps its stored envelope (and so where it was pre-filled from); "keep"
    confirms a pre-filled value; a cleared field becomes None, which removes it.
    """
    answers: dict[str, Any] = {}
    problems: dict[str, str] = {}
    keep = set(posted.get("keep", []))
    for item in section.fields:
        try:
            answer = _answer(item, posted)
        except ValueError as error:
            problems[item.id] = str(error)
            continue
        before = current.get(item.id)
        if isinstance(before, Mapping) and answer is not None and _same(before, answer):
            answer = dict(before)
        if answer is not None and item.id in keep:
            answer = {**answer, "confirmed": True}
        if answer is not None or before is not None:
            answers[item.id] = answer
    return answers, problems


def _same(before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    keys = ("value", "absent", "link")
    return all(before.get(key) == after.get(key) for key in keys)


def _answer(item: FieldDef, posted: Form) -> dict[str, Any] | None:
    absent = _first(posted, f"{item.id}__absent")
    if absent in ABSENT_WORDS:
        link = _first(posted, f"{item.id}__link").strip()
        return {"absent": absent, "link": link} if link else {"absent": absent}
    value = _value(item, posted, item.id)
    return None if value in (None, "", []) else {"value": value}


def _value(item: FieldDef, posted: Form, name: str) -> Any:
    if item.type == "date":
        return _date(posted, name)
    if item.type == "multi_choice":
        return [v for v in posted.get(name, []) if v]
    if item.type == "group":
        return _rows(item, posted, name)
    raw = _first(posted, name)
    text = raw if item.type == "narrative" else raw.strip()
    if text.strip() == "":
        return None
    if item.type == "yes_no" and item.qualifier:
        when = _first(posted, f"{name}__when")
        return {"answer": text, "when": when} if when else text
    if item.type == "number":
        return _number(text)
    if item.type in ("person", "professional"):
        return int(text) if text.isdigit() else _refuse("Choose from the list.")
    return text


def _refuse(message: str) -> Any:
    raise ValueError(message)


def _number(text: str) -> int | float:
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        raise ValueError("Enter a number, like 3 or 2.5.") from None
    return int(number) if number.is_integer() else number


def _date(posted: Form, name: str) -> str | None:
    parts = [_first(posted, f"{name}-{part}").strip() for part in ("day", "month", "year")]
    if not any(parts):
        single = _first(posted, name).strip()  # a group cell: one box, 23/11/2026 or 2026-11-23
        return _one_box_date(single) if single else None
    if not all(parts):
        raise ValueError("The date must include a day, month and year.")
    try:
        return date(int(parts[2]), int(parts[1]), int(parts[0])).isoformat()
    except ValueError:
        raise ValueError("Enter a real date, for example 23 11 2026.") from None


def _one_box_date(text: str) -> str:
    day = typed_date(text)
    if day is None:
        raise ValueError("Enter a real date, for example 23/11/2026.")
    return day.isoformat()


def _rows(item: FieldDef, posted: Form, name: str) -> list[dict[str, Any]]:
    numbers = sorted(
        {
            int(key.split("__")[1])
            for key in posted
            if key.startswith(f"{name}__") and key.count("__") == 2
        }
    )
    rows = []
    for number in numbers:
        row = {}
        for column in item.fields or []:
            cell = _value(column, posted, f"{name}__{number}__{column.id}")
            if cell not in (None, "", []):
                row[column.id] = cell
        if row:
            rows.append(row)
    return rows
