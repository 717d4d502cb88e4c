"""HTML forms for a section, both ways: answers to form values, posted form values to answers.

Names follow GOV.UK patterns: a date is `<id>-day`, `<id>-month`, `<id>-year`; the absence choice is
`<id>__absent`; a yes/no's time qualifier is `<id>__when`; a group's cell is
`<id>__<row>__<column>`. How each type reads and fills its inputs is its entry in
app/engine/fieldtypes.py; this module walks a section's fields and keeps envelopes.
"""

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from app.engine.definitions import FieldDef, Section, text_for
from app.engine.display import ABSENT_WORDS, describe
from app.engine.fieldtypes import FieldKind, FormContext, kind_of, parse_value
from app.engine.fieldtypes import Form as Form
from app.engine.library import Exemplar

People = list[tuple[tuple[str, int], str]]  # ((kind, id), how a picker offers them)


@dataclass
class FieldView:
    """Everything the `_field.html` macro needs for one question."""

    item: FieldDef
    kind: FieldKind  # names the type's partial and whether the frame is a fieldset
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
    signed: str | None = None  # a sign-off field: what the manager's sign-off wrote, read-only
    # An author-only field shown to a typist: read-only, saying who writes it and what it holds.
    written_by: str | None = None
    stored: str = ""


def views(
    exemplar: Exemplar,
    section: Section,
    *,
    answers: Mapping[str, Any],
    shown: Mapping[str, bool],
    people: People,
    errors: Mapping[str, str] | None = None,
    posted: Form | None = None,
    adding: str | None = None,
    author: str | None = None,
    not_theirs: Mapping[str, str] | None = None,
) -> list[FieldView]:
    """One view per field; after a failed post the worker's own typing is shown, not the old.

    `adding` names a group that gets one more empty row ("Add another" pressed without JavaScript).
    `author` names the worker a typist types for: their author-only fields are shown read-only.
    `not_theirs` names the fields of a section another role writes, with who: read-only too.
    """
    result = []
    cell = partial(_cell, exemplar, people=people)
    for item in section.fields:
        answer = answers.get(item.id)
        view = _view(exemplar, item, answer, people)
        view.shown = shown.get(item.id, True)
        view.error = (errors or {}).get(item.id)
        if posted is not None:
            _take_posted(view, posted, cell)
        if item.id == adding and view.kind.has_columns:
            view.value = [*view.value, [cell(column, None) for column in item.fields or []]]
        if author is not None and item.author_only:
            view.written_by = f"Written by the allocated worker ({author})"
            view.stored = describe(exemplar, item, answer).text
        if item.id in (not_theirs or {}):
            view.written_by = (not_theirs or {})[item.id]
            view.stored = describe(exemplar, item, answer).text
        result.append(view)
    return result


def _view(
    exemplar: Exemplar, item: FieldDef, answer: Any, people: People, *, in_group: bool = False
) -> FieldView:
    answer = answer if isinstance(answer, Mapping) else {}
    kind = kind_of(item.type)
    cell = partial(_cell, exemplar, people=people)
    context = FormContext(exemplar, people, partial(text_for, audience="worker"), cell, in_group)
    form = kind.to_form(item, answer.get("value"), context)
    return FieldView(
        item=item,
        kind=kind,
        label=text_for(item.label, "worker"),
        hint=text_for(item.hint, "worker"),
        guidance=item.guidance or "",
        shown=True,
        value=form.value,
        when=form.when,
        options=form.options,
        absent=answer.get("absent", ""),
        link=answer.get("link", ""),
        confirmed=bool(answer.get("confirmed")),
        source=describe(exemplar, item, answer).source,
        signed=describe(exemplar, item, answer).text if item.signed_off_by else None,
    )


def _cell(exemplar: Exemplar, column: FieldDef, value: Any, *, people: People) -> FieldView:
    """One cell of a group row: a column's view holding that row's value."""
    answer = {"value": value} if value is not None else None
    return _view(exemplar, column, answer, people, in_group=True)


Cell = Callable[[FieldDef, Any], FieldView]


def _take_posted(view: FieldView, posted: Form, cell: Cell, name: str | None = None) -> None:
    key = name or view.item.id
    if view.kind.has_columns:
        view.value = _posted_rows(view.item, posted, cell, key)
        return
    if view.kind.from_post is not None:
        view.value = view.kind.from_post(posted, key)
    view.when = _first(posted, f"{key}__when")
    view.absent = _first(posted, f"{key}__absent")


def _posted_rows(item: FieldDef, posted: Form, cell: Cell, key: str) -> list[list[FieldView]]:
    """Every row the worker had on the page, typed cells as typed, so a refused save loses none."""
    rows = []
    for number in row_numbers(posted, key):
        cells = []
        for column in item.fields or []:
            view = cell(column, None)
            _take_posted(view, posted, cell, f"{key}__{number}__{column.id}")
            cells.append(view)
        rows.append(cells)
    return rows or [[cell(column, None) for column in item.fields or []]]


def row_numbers(posted: Form, key: str) -> list[int]:
    """The row numbers a posted form holds for a group, in order (gaps where rows were removed)."""
    found = set()
    for name in posted:
        parts = name.split("__")
        if name.startswith(f"{key}__") and len(parts) >= 3 and parts[1].isdigit():
            found.add(int(parts[1]))
    return sorted(found)


def _first(posted: Form, name: str) -> str:
    values = posted.get(name) or [""]
    return values[0]


def parse(
    exemplar: Exemplar,
    section: Section,
    posted: Form,
    *,
    current: Mapping[str, Any],
    skip: Collection[str] = (),
) -> tuple[dict[str, Any], dict[str, str]]:
    """Answers from a posted section form, and a message for each value that cannot be read.

    An unchanged value keeps its stored envelope (and so where it was pre-filled from); "keep"
    confirms a pre-filled value; a cleared field becomes None, which removes it. Fields in `skip`
    (another role's, shown read-only) have no input, so their absence clears nothing.
    """
    answers: dict[str, Any] = {}
    problems: dict[str, str] = {}
    keep = set(posted.get("keep", []))
    for item in section.fields:
        if item.signed_off_by or item.id in skip:  # not an input on this page
            continue
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
    value = parse_value(item, posted, item.id)
    return None if value in (None, "", []) else {"value": value}
