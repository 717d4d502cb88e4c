"""A loaded folder of exemplars: definitions by id and version, code lists and the glossary."""

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pydantic import TypeAdapter

from app.engine.conditions import Compiled, compile_condition
from app.engine.definitions import (
    Codelist,
    Definition,
    FieldDef,
    Glossary,
    Option,
    Section,
    text_for,
)
from app.engine.readers import Audience
from app.engine.schema import answers_adapter
from app.errors import NotFound


class UnknownExemplar(NotFound):
    def __init__(self, exemplar_id: str, version: int | None = None) -> None:
        which = f"{exemplar_id} version {version}" if version else exemplar_id
        super().__init__(f"There is no exemplar {which}.", field="exemplar_id")


@dataclass
class Exemplar:
    """One definition with its indices: top-level fields by id and the section each sits in."""

    definition: Definition
    file: str
    codelists: dict[str, Codelist] = field(default_factory=dict)
    fields: dict[str, FieldDef] = field(init=False)
    section_of: dict[str, str] = field(init=False)
    sections: dict[str, Section] = field(init=False)

    def __post_init__(self) -> None:
        self.sections = {section.id: section for section in self.definition.sections}
        self.fields = {}
        self.section_of = {}
        for section in self.definition.sections:
            for item in section.fields:
                self.fields.setdefault(item.id, item)
                self.section_of.setdefault(item.id, section.id)

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def version(self) -> int:
        return self.definition.version

    def options(self, item: FieldDef) -> list[Option]:
        """A choice field's options, inline or from its code list."""
        if item.options:
            return item.options
        listed = self.codelists.get(item.codelist or "")
        return listed.options if listed else []

    def codes(self, item: FieldDef) -> set[str]:
        return {option.code for option in self.options(item)}

    @cached_property
    def adapter(self) -> TypeAdapter[Any]:
        """The compiled shape check of a whole answer set (built on first use, then kept)."""
        return answers_adapter(self.fields, self.codes)

    @cached_property
    def pathway(self) -> list[tuple[str, Compiled | None, list[tuple[str, Compiled | None]]]]:
        """Each section's condition and its fields' conditions, compiled once."""
        return [
            (s.id, _compiled(s.show_if), [(f.id, _compiled(f.show_if)) for f in s.fields])
            for s in self.definition.sections
        ]

    @cached_property
    def conditions_of(self) -> dict[str, tuple[Compiled | None, Compiled | None]]:
        """Field id → (its section's show_if, its own show_if), compiled."""
        return {
            field_id: (section_if, field_if)
            for _, section_if, fields in self.pathway
            for field_id, field_if in fields
        }

    @cached_property
    def requirements(self) -> list[tuple[FieldDef, Compiled | None]]:
        """Fields with a requirement or a minimum of rows, and their required_if, compiled once."""
        return [
            (f, _compiled(f.required_if))
            for f in self.fields.values()
            if f.required or f.required_if or f.min_rows
        ]


def _compiled(source: str | None) -> Compiled | None:
    return compile_condition(source) if source else None


@dataclass
class Library:
    exemplars: dict[tuple[str, int], Exemplar]
    codelists: dict[str, Codelist]
    glossary: Glossary
    warnings: list[Any] = field(default_factory=list)  # loader Problems that do not stop loading

    def get(self, exemplar_id: str, version: int) -> Exemplar:
        found = self.exemplars.get((exemplar_id, version))
        if found is None:
            raise UnknownExemplar(exemplar_id, version)
        return found

    def latest(self, exemplar_id: str) -> Exemplar:
        """The newest version that is not retired: the one new records start on."""
        live = [e for (i, _), e in self.exemplars.items() if i == exemplar_id]
        live = [e for e in live if not e.definition.retired]
        if not live:
            raise UnknownExemplar(exemplar_id)
        return max(live, key=lambda e: e.version)

    def ids(self) -> list[str]:
        return sorted({exemplar_id for exemplar_id, _ in self.exemplars})

    def code_label(self, codelist: str, code: str | None, audience: Audience = "worker") -> str:
        """A stored code in a reader's words from its code list ("cin" → "Not looked after: child
        in need"); a free-text value typed before the list existed ("None") matches its code
        without regard to case; a value the list does not hold is shown as typed."""
        if not code:
            return ""
        options = self.codelists.get(codelist)
        for option in options.options if options else []:
            if option.code.casefold() == str(code).casefold():
                return text_for(option.label, audience)
        return str(code).replace("_", " ")

    def current(self) -> list[Exemplar]:
        return [
            self.latest(exemplar_id) for exemplar_id in self.ids() if self._has_live(exemplar_id)
        ]

    def _has_live(self, exemplar_id: str) -> bool:
        return any(
            i == exemplar_id and not e.definition.retired for (i, _), e in self.exemplars.items()
        )
