"""A statutory return's mapping: which exemplar field feeds which item, declared in YAML per
country (mappings/<country>/<return>.yaml), read with line numbers and linted against the
exemplars, so a renamed field is an error at its line rather than a quietly empty census item.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.engine.conditions import ConditionError, compile_condition
from app.engine.library import Library, UnknownExemplar
from app.engine.yamlfile import Document, ExemplarErrors, Problem, read, validate

FOLDER = Path(__file__).parent / "mappings"
# Shown in problems: where the file sits in the repository.
DISPLAY_ROOT = Path(__file__).parents[2]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Item(Strict):
    """One census item: a field's answer, a 0/1 from its codes, or a fixed value."""

    field: str | None = None
    attribute: str | None = None  # of the person record (identity items)
    is_: list[str] | None = Field(default=None, alias="is")
    is_not: list[str] | None = None
    codes: dict[str, str] | None = None  # our code -> the census's
    value: str | None = None
    missing: str | None = None  # the census problem while it is unanswered

    @model_validator(mode="after")
    def _one_source(self) -> "Item":
        if sum(x is not None for x in (self.field, self.attribute, self.value)) != 1:
            raise ValueError("give one of field, attribute or value")
        return self


def _item(value: Any) -> Any:
    return {"field": value} if isinstance(value, str) else value


class Source(Strict):
    exemplar: str
    date: str
    when: str | None = None
    starts: Literal["CINdetails"] | None = None
    adds: str | None = None
    completes: str | None = None
    items: dict[str, Item] = Field(default_factory=dict)
    episode: dict[str, Item] = Field(default_factory=dict)
    child: dict[str, Item] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _short_items(cls, data: Any) -> Any:
        if isinstance(data, dict):  # "Item: field_id" is short for {field: field_id}
            for part in ("items", "episode", "child"):
                if isinstance(data.get(part), dict):
                    data = {**data, part: {k: _item(v) for k, v in data[part].items()}}
        return data

    @model_validator(mode="after")
    def _one_action(self) -> "Source":
        if sum(x is not None for x in (self.starts, self.adds, self.completes)) != 1:
            raise ValueError("give one of starts, adds or completes")
        return self

    @property
    def module(self) -> str:
        return self.starts or self.adds or self.completes or ""


class Check(Strict):
    item: str
    unless: str | None = None
    problem: str


class Mapping(Strict):
    return_: str = Field(alias="return")
    country: str
    title: str
    schema_: str = Field(alias="schema")
    person: dict[str, Item]
    episode_checks: list[Check] = Field(default_factory=list)
    child_checks: list[Check] = Field(default_factory=list)
    sources: list[Source]

    def sources_for(self, exemplar_id: str) -> Iterator[tuple[int, Source]]:
        return ((n, s) for n, s in enumerate(self.sources) if s.exemplar == exemplar_id)


def path_of(country: str, name: str) -> Path:
    return FOLDER / country / f"{name}.yaml"


def read_mapping(path: Path) -> tuple[Document, Mapping]:
    """The mapping and its document (for places); ExemplarErrors at file:line if it is wrong."""
    shown = _display(path)
    document = read(path, shown)
    mapping, problems = validate(document, Mapping, document.data)
    if mapping is None:
        raise ExemplarErrors(problems)
    return document, mapping


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(DISPLAY_ROOT))
    except ValueError:
        return str(path)


def lint(
    *,
    library: Library,
    path: Path,
    items: dict[str, set[str]],
    person_attributes: set[str],
    every_exemplar: bool = True,
) -> list[Problem]:
    """Every mistake in a mapping, at its line: an unknown exemplar (when `every_exemplar`),
    field, code, module or item, or a condition that does not read.

    `items`: each module's items, as the return's builder knows its message."""
    try:
        document, mapping = read_mapping(path)
    except ExemplarErrors as failure:
        return failure.problems
    problems = [
        document.problem(("person", name, "attribute"), f"the person has no '{item.attribute}'")
        for name, item in mapping.person.items()
        if item.attribute and item.attribute not in person_attributes
    ]
    for n, source in enumerate(mapping.sources):
        problems += _lint_source(document, library, items, n, source, every_exemplar)
    return problems


def _lint_source(
    document: Document,
    library: Library,
    items: dict[str, set[str]],
    n: int,
    source: Source,
    every_exemplar: bool,
) -> list[Problem]:
    at = ("sources", n)
    try:
        exemplar = library.latest(source.exemplar)
    except UnknownExemplar:
        message = f"there is no exemplar '{source.exemplar}'"
        return [document.problem((*at, "exemplar"), message)] if every_exemplar else []
    problems = []
    if source.module not in items:
        problems.append(document.problem(at, f"the census has no module '{source.module}'"))
    if source.date not in exemplar.fields:
        problems.append(_no_field(document, (*at, "date"), source.exemplar, source.date))
    if source.when:
        problems += _lint_condition(document, (*at, "when"), source.when, set(exemplar.fields))
    parts = (("items", source.module), ("episode", "CINdetails"), ("child", "Child"))
    for part, module in parts:
        for name, item in getattr(source, part).items():
            where = (*at, part, name)
            if name not in items.get(module, set()):
                problems.append(document.problem(where, f"'{name}' is not an item of {module}"))
            problems += _lint_item(document, where, exemplar, source.exemplar, item)
    return problems


def _lint_item(
    document: Document, where: tuple[Any, ...], exemplar: Any, exemplar_id: str, item: Item
) -> list[Problem]:
    if item.field is None:
        return []
    field = exemplar.fields.get(item.field)
    if field is None:
        return [_no_field(document, (*where, "field"), exemplar_id, item.field)]
    codes = exemplar.codes(field)
    wanted = [*(item.is_ or []), *(item.is_not or []), *(item.codes or {})]
    return [
        document.problem(where, f"'{code}' is not an option of {exemplar_id}.{item.field}")
        for code in wanted
        if code not in codes
    ]


def _no_field(document: Document, where: tuple[Any, ...], exemplar_id: str, name: str) -> Problem:
    return document.problem(where, f"the exemplar '{exemplar_id}' has no field '{name}'")


def _lint_condition(
    document: Document, where: tuple[Any, ...], source: str, fields: set[str]
) -> list[Problem]:
    try:
        compiled = compile_condition(source)
    except ConditionError as refused:
        return [document.problem(where, f"the condition does not read: {refused}")]
    unknown = sorted(n for n in compiled.names if "." not in n and n not in fields)
    return [document.problem(where, f"the condition names no field '{n}'") for n in unknown]
