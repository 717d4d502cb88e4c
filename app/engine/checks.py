"""Cross-checks and lint over a loaded library: the mistakes a single file's schema cannot see.

Every condition must name real fields and facts with values of the right kind; pre-fill and
outcomes must point at things that exist; no required field may be impossible to show; pathways
must not go round in circles; labels must exist for the readers an exemplar declares.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from string import Formatter
from typing import Any

from app.engine import court, glossary
from app.engine.conditions import (
    SEARCH_LIMIT,
    Compiled,
    ConditionError,
    compile_condition,
    satisfiable,
    search_size,
)
from app.engine.definitions import (
    SIGN_OFF_DECISIONS,
    SUMMARY_HEADINGS,
    FieldDef,
    Prefill,
    Section,
    Text,
    has_form,
)
from app.engine.facts import FACTS
from app.engine.fieldtypes import around, kind_of
from app.engine.library import Exemplar, Library
from app.engine.yamlfile import Document, Problem, suggest

Path = tuple[str | int, ...]
ABSENT = {"absent": "not_known"}
# Combinations of answers the never-shown check may try in one exemplar (the real ones need a few
# hundred at most): beyond it a condition is assumed to be met, so a hostile file costs a bounded
# time instead of fields × combinations.
SEARCH_BUDGET = 50_000
ANY_ANSWER = "answered"  # a court sentence for whatever the answer is
COURT_SENTENCE_WORDS = 5  # a numbered paragraph shorter than this reads as a form's answer


@dataclass
class Place:
    """A field or section with where it sits in the file and the section it belongs to."""

    path: Path
    section: Section
    item: FieldDef | None = None
    column_of: FieldDef | None = None  # the group, when `item` is one of its columns


def places(exemplar: Exemplar) -> Iterator[Place]:
    for si, section in enumerate(exemplar.definition.sections):
        yield Place(("sections", si), section)
        for fi, item in enumerate(section.fields):
            path: Path = ("sections", si, "fields", fi)
            yield Place(path, section, item)
            for ci, column in enumerate(item.fields or []):
                yield Place((*path, "fields", ci), section, column, item)


def check_library(library: Library, documents: dict[tuple[str, int], Document]) -> list[Problem]:
    problems: list[Problem] = []
    for key, exemplar in library.exemplars.items():
        checker = _Checker(library, exemplar, documents[key])
        problems.extend(checker.run())
    return problems


class _Checker:
    def __init__(self, library: Library, exemplar: Exemplar, document: Document) -> None:
        self.library = library
        self.exemplar = exemplar
        self.document = document
        self.problems: list[Problem] = []
        self.compiled: dict[Path, Compiled] = {}
        self.verdicts: dict[str, bool] = {}  # condition text → can it be met
        self.budget = SEARCH_BUDGET

    def error(self, path: Path, message: str, severity: str = "error") -> None:
        self.problems.append(self.document.problem(path, message, severity))

    def run(self) -> list[Problem]:
        self._unique_ids()
        for place in places(self.exemplar):
            self._place(place)
        self._outcomes()
        self._timescale()
        self._due_next()
        self._chronology()
        self._timeline()
        self._on_finalise()
        self._summary()
        if not any(p.severity == "error" for p in self.problems):
            self._reachability()
            self._cycles()
        return self.problems

    def _unique_ids(self) -> None:
        seen: dict[str, Path] = {}
        for place in places(self.exemplar):
            if place.column_of is not None:
                continue
            kind = "field" if place.item else "section"
            name = f"{kind}:{place.item.id if place.item else place.section.id}"
            if name in seen:
                self.error(
                    (*place.path, "id"), f"the {kind} id '{name[len(kind) + 1 :]}' is used twice"
                )
            seen[name] = place.path

    def _place(self, place: Place) -> None:
        owner = place.item or place.section
        for key in ("show_if", "required_if"):
            source = getattr(owner, key, None)
            if source:
                self._condition((*place.path, key), source)
        self._court_heading(place.path, owner.court_heading)
        self._family_words(place)
        item = place.item
        if item is None:
            self._written_by(place.path, place.section)
            return
        if item.codelist and item.codelist not in self.library.codelists:
            known = self.library.codelists
            self.error(
                (*place.path, "codelist"),
                f"no code list '{item.codelist}'{suggest(item.codelist, known)}",
            )
        if item.prefill:
            self._prefill(place.path, item)
        if item.holds == "decision":
            self._decision_codes(place.path, item)
        if item.court_sentence:
            self._court_sentence(place.path, item)
        self._labels(place, item)

    def _court_heading(self, path: Path, code: str | None) -> None:
        """A court heading must be one the statement has and does not fill itself."""
        fed = court.headings().fed
        if code is not None and code not in fed:
            self.error(
                (*path, "court_heading"),
                f"no court heading '{code}'{suggest(code, fed)}; the headings are in"
                f" printouts/court/court.yaml: {', '.join(fed)}",
            )

    def _court_sentence(self, path: Path, item: FieldDef) -> None:
        """Each sentence is keyed by a value the field can hold (or "answered") and quotes only
        {child} and {answer}."""
        codes = {
            c
            for c in kind_of(item.type).candidates(self.exemplar, item, set())
            if isinstance(c, str)
        }
        for key, sentence in (item.court_sentence or {}).items():
            where = (*path, "court_sentence", key)
            if key != ANY_ANSWER and key not in codes:
                known = sorted(codes | {ANY_ANSWER})
                self.error(where, f"'{key}' is not a value of {item.id}; use {', '.join(known)}")
            if len(sentence.split()) < COURT_SENTENCE_WORDS:
                self.error(where, "a court sentence needs five words or more to stand as evidence")
            try:
                quoted = set(placeholders(sentence))
            except ValueError as error:
                self.error(where, f"court sentence: {error}")
                continue
            if quoted - {"child", "answer"}:
                odd = ", ".join(sorted(quoted - {"child", "answer"}))
                self.error(
                    where, f"a court sentence quotes only {{child}} and {{answer}}, not {odd}"
                )

    def _decision_codes(self, path: Path, item: FieldDef) -> None:
        """Approve and return write their own codes into a sign-off decision field."""
        missing = sorted(set(SIGN_OFF_DECISIONS.values()) - self.exemplar.codes(item))
        if missing:
            self.error(
                (*path, "holds"),
                f"a sign-off decision needs the options {', '.join(missing)} (approve, return)",
            )

    def _condition(self, path: Path, source: str) -> None:
        try:
            compiled = compile_condition(source)
        except ConditionError as error:
            self.error(path, f"condition '{_shortened(source)}': {error.message}")
            return
        self.compiled[path] = compiled
        for name in sorted(compiled.names):
            if "." in name and name not in FACTS:
                self.error(
                    path, f"'{name}' is not a fact an exemplar can use{suggest(name, FACTS)}"
                )
            elif "." not in name and name not in self.exemplar.fields:
                hint = suggest(name, self.exemplar.fields)
                self.error(
                    path, f"'{name}' in '{source}' is not a field of {self.exemplar.id}{hint}"
                )
        for comparison in compiled.comparisons:
            for literal in comparison.literals:
                problem = self._literal_problem(comparison.name, literal)
                if problem:
                    self.error(path, f"type mismatch in '{source}': {problem}")

    def _literal_problem(self, name: str, literal: Any) -> str | None:
        """Why `literal` can never equal a value of `name`, or None if it can."""
        if "." in name:
            fact = FACTS.get(name)
            if fact is None:
                return None
            allowed = {"boolean": (bool,), "number": (int, float), "date": (str,), "list": (str,)}
            if fact.kind == "code" and literal not in fact.codes:
                return f"{name} is one of {', '.join(fact.codes)}, never {literal!r}"
            kinds = allowed.get(fact.kind, (str,))
            if not isinstance(literal, kinds) or (bool not in kinds and isinstance(literal, bool)):
                return f"{name} is {fact.kind}, never {literal!r}"
            return None
        item = self.exemplar.fields.get(name)
        return kind_of(item.type).literal_problem(self.exemplar, item, literal) if item else None

    def _prefill(self, path: Path, item: FieldDef) -> None:
        """Each source of the chain must exist and hold what the field keeps; a column map must
        name this group's columns and the source's."""
        where = (*path, "prefill")
        source = item.prefill
        while source is not None:
            self._prefill_source(where, item, source)
            source, where = source.otherwise, (*where, "otherwise")

    def _prefill_source(self, where: Path, item: FieldDef, source: Prefill) -> None:
        checks = {
            "child": self._prefill_fact,
            "case": self._prefill_fact,
            "family": self._prefill_fact,
            "meeting": self._prefill_fact,
            "placement": self._prefill_fact,
            "record": self._prefill_record,
        }
        theirs = checks[source.source](where, item, source)
        if source.columns is None and theirs and set(theirs) - {c.id for c in item.fields or []}:
            pairs = ", ".join(f"<column>: {column}" for column in theirs)
            self.error(where, f"the rows have other columns: say which takes which, {{{pairs}}}")
        elif source.columns is not None and not item.fields:
            self.error((*where, "columns"), f"'columns' maps rows: {item.id} is not a group")
        elif source.columns is not None and theirs is not None:
            self._prefill_columns((*where, "columns"), item, source.columns, theirs)

    def _prefill_fact(self, where: Path, item: FieldDef, source: Prefill) -> dict[str, str] | None:
        """A fact the system knows, of a kind this field can hold; its columns if it has rows."""
        fact = f"{source.source}.{source.attribute}"
        if fact not in FACTS:
            self.error(where, f"'{fact}' is not something we know about{suggest(fact, FACTS)}")
            return None
        if FACTS[fact].kind not in kind_of(item.type).prefill_from:
            self.error(
                where, f"type mismatch: {fact} is {FACTS[fact].kind}, the field is {item.type}"
            )
            return None
        readers = FACTS[fact].readers
        written_for = set(item.audiences or self.exemplar.definition.audiences)
        if readers is not None and written_for - set(readers):
            self.error(
                where,
                f"{fact} is for {' and '.join(readers)} only: give the field"
                f" `audiences: [{', '.join(r for r in readers if r in written_for)}]`",
            )
        return dict(FACTS[fact].columns) if FACTS[fact].columns else None

    def _prefill_record(
        self, where: Path, item: FieldDef, source: Prefill
    ) -> dict[str, str] | None:
        """A field of an exemplar that exists; the same type unless a column map joins rows."""
        ids = self.library.ids()
        if source.exemplar not in ids:
            self.error(
                where,
                f"pre-fill names exemplar '{source.exemplar}', which does not exist"
                f"{suggest(source.exemplar or '', ids)}",
            )
            return None
        other = self.library.latest(source.exemplar) if source.exemplar else None
        theirs = other.fields.get(source.field or "") if other else None
        if theirs is None:
            self.error(where, f"{source.exemplar} has no field '{source.field}'")
            return None
        if theirs.type != item.type:
            self.error(
                where,
                f"type mismatch: {source.exemplar}.{source.field} is {theirs.type},"
                f" this field is {item.type}",
            )
            return None
        return {column.id: column.type for column in theirs.fields or []}

    def _prefill_columns(
        self, where: Path, item: FieldDef, pairs: dict[str, str], theirs: dict[str, str]
    ) -> None:
        """Each of this group's columns named, from a source column of the same type."""
        mine = {column.id: column.type for column in item.fields or []}
        for column, their_column in pairs.items():
            if column not in mine:
                self.error(
                    (*where, column),
                    f"{item.id} has no column '{column}'{suggest(column, mine)}",
                )
            elif their_column not in theirs:
                known = ", ".join(theirs)
                self.error(
                    (*where, column),
                    f"the source has no column '{their_column}'"
                    f"{suggest(their_column, theirs)}; it has {known}",
                )
            elif theirs[their_column] != mine[column]:
                self.error(
                    (*where, column),
                    f"type mismatch: column {column} is {mine[column]},"
                    f" the source's {their_column} is {theirs[their_column]}",
                )

    def _written_by(self, path: Path, section: Section) -> None:
        """A section only some roles write: each role must complete or sign this exemplar, so a
        misspelt role cannot lock every writer out of the section."""
        rule = section.written_by
        if rule is None:
            return
        if rule.when:
            self._condition((*path, "written_by", "when"), rule.when)
        definition = self.exemplar.definition
        writers = set(definition.completed_by) | set(definition.signed_by)
        for n, role in enumerate(rule.roles):
            if role not in writers:
                self.error(
                    (*path, "written_by", "roles", n),
                    f"'{role}' neither completes nor signs {self.exemplar.id}"
                    f"{suggest(role, writers)}; add it to completed_by or choose one of"
                    f" {', '.join(sorted(writers))}",
                )

    def _labels(self, place: Place, item: FieldDef) -> None:
        """A field shown to a reader the exemplar is written for needs words for that reader."""
        declared = set(self.exemplar.definition.audiences)
        readers = set(item.audiences or declared) & declared & {"family"}
        for reader in readers:
            if not has_form(item.label, reader):
                self.error(
                    (*place.path, "label"),
                    f"label of '{item.id}' has no {reader} wording, but {reader} readers see it",
                    "warning",
                )

    def _family_reads(self, place: Place) -> bool:
        declared = self.exemplar.definition.audiences
        owner = place.column_of or place.item
        return "family" in declared and (owner is None or "family" in (owner.audiences or declared))

    def _family_words(self, place: Place) -> None:
        """Family wording that uses an abbreviation the glossary does not explain: a family
        would meet it unexplained (the printout explains only glossary terms)."""
        if not self._family_reads(place):
            return
        item = place.item
        texts: list[tuple[Path, Text]] = [(("label",), item.label)] if item else []
        if item is None:
            texts.append((("title",), place.section.title))
        for index, option in enumerate(item.options or [] if item else []):
            texts.append((("options", index, "label"), option.label))
        for key, text in texts:
            words = text if isinstance(text, str) else (text.family or "")
            where = key if isinstance(text, str) else (*key, "family")  # the line of the words
            for word in glossary.unexplained(self.library.glossary, words):
                self.error(
                    (*place.path, *where),
                    f"family wording uses '{word}', which the glossary does not explain: say it"
                    " in plain words or add it to exemplars/glossary.yaml",
                    "warning",
                )

    def _summary(self) -> None:
        """Each field a summary heading names must be a field the family reads."""
        summary = self.exemplar.definition.summary
        declared = self.exemplar.definition.audiences
        if summary is None:
            if "family" in declared:
                self.error(
                    ("audiences",),
                    "the family reads this exemplar, but it declares no `summary:`: page 1 of a"
                    " family copy says what we are worried about, what is working well, what"
                    " needs to happen and what happens next",
                    "warning",
                )
            return
        for heading in SUMMARY_HEADINGS:
            for index, field_id in enumerate(getattr(summary, heading)):
                item = self.exemplar.fields.get(field_id)
                if item is None:
                    fields = self.exemplar.fields
                    self.error(
                        ("summary", heading, index),
                        f"summary.{heading} names '{field_id}', which is not a field of"
                        f" {self.exemplar.id}{suggest(field_id, fields)}",
                    )
                elif "family" not in (item.audiences or declared):
                    self.error(
                        ("summary", heading, index),
                        f"summary.{heading} names '{field_id}', which the family does not read",
                    )
        known = {*self.exemplar.fields, *self.exemplar.sections}
        for index, name in enumerate(summary.leaves_out):
            if name not in known:
                self.error(
                    ("summary", "leaves_out", index),
                    f"summary.leaves_out names '{name}', which is neither a field nor a section"
                    f" of {self.exemplar.id}{suggest(name, known)}",
                )

    def _outcomes(self) -> None:
        outcomes = self.exemplar.definition.outcomes
        if outcomes is None:
            return
        item = self.exemplar.fields.get(outcomes.field)
        if item is None or not kind_of(item.type).picks_outcome:
            self.error(
                ("outcomes", "field"),
                f"outcomes.field '{outcomes.field}' must be a choice field of {self.exemplar.id}",
            )
            return
        codes = self.exemplar.codes(item)
        ids = self.library.ids()
        for code, targets in outcomes.leads_to.items():
            if code not in codes:
                self.error(
                    ("outcomes", "leads_to", code),
                    f"'{code}' is not an option of {item.id}{suggest(code, codes)}",
                )
            for target in targets:
                if target not in ids:
                    self.error(
                        ("outcomes", "leads_to", code),
                        f"outcome leads to '{target}', which is not an exemplar"
                        f"{suggest(target, ids)}",
                    )

    def _timescale(self) -> None:
        timescale = self.exemplar.definition.timescale
        if timescale is None:
            return
        item = self.exemplar.fields.get(timescale.clock_start)
        if item is None or not kind_of(item.type).starts_clock:
            self.error(
                ("timescale", "clock_start"),
                f"clock_start '{timescale.clock_start}' must be a date field of {self.exemplar.id}",
            )

    def _due_next(self) -> None:
        """Each rule's clock start (and its own due date) is a date field; its condition reads."""
        for n, rule in enumerate(self.exemplar.definition.due_next):
            for key in ("clock_start", "due_on"):
                name = getattr(rule, key)
                item = self.exemplar.fields.get(name) if name else None
                if name and (item is None or not kind_of(item.type).starts_clock):
                    hint = suggest(name, self.exemplar.fields)
                    self.error(
                        ("due_next", n, key),
                        f"{key} '{name}' must be a date field of {self.exemplar.id}{hint}",
                    )
            if rule.when:
                self._condition(("due_next", n, "when"), rule.when)

    def _chronology(self) -> None:
        """The event date must be a date field, and every name in the line a field to quote."""
        chronology = self.exemplar.definition.chronology
        if chronology is None:
            return
        self._dated_line("chronology", chronology.date, chronology.line)
        if chronology.when:
            self._condition(("chronology", "when"), chronology.when)

    def _timeline(self) -> None:
        """As a chronology line; a visit's seen and seen-alone answers must be yes/no fields."""
        timeline = self.exemplar.definition.timeline
        if timeline is None:
            return
        self._dated_line("timeline", timeline.date, timeline.line)
        visit = timeline.visit
        if visit is None:
            return
        for key in ("seen", "seen_alone"):
            name = getattr(visit, key)
            item = self.exemplar.fields.get(name) if name else None
            if name and (item is None or item.type != "yes_no"):
                hint = suggest(name, self.exemplar.fields)
                self.error(
                    ("timeline", "visit", key),
                    f"{key} '{name}' must be a yes_no field of {self.exemplar.id}{hint}",
                )
        if visit.when:
            self._condition(("timeline", "visit", "when"), visit.when)

    def _dated_line(self, key: str, date_field: str, line: str) -> None:
        item = self.exemplar.fields.get(date_field)
        if item is None or not kind_of(item.type).starts_clock:
            hint = suggest(date_field, self.exemplar.fields)
            self.error(
                (key, "date"),
                f"{key} date '{date_field}' must be a date field of {self.exemplar.id}{hint}",
            )
        try:
            names = placeholders(line)
        except ValueError as error:
            self.error((key, "line"), f"{key} line: {error}")
            return
        for name in names:
            quoted = self.exemplar.fields.get(name)
            if quoted is None:
                hint = suggest(name, self.exemplar.fields)
                self.error(
                    (key, "line"),
                    f"'{{{name}}}' in the {key} line is not a field of {self.exemplar.id}{hint}",
                )
            elif kind_of(quoted.type).shown_as == "rows":
                self.error(
                    (key, "line"),
                    f"'{{{name}}}' is a table of rows; a {key} line quotes single answers",
                )

    def _on_finalise(self) -> None:
        declared = self.exemplar.definition.on_finalise
        if declared is None:
            return
        if declared.close_case is not None:
            where = ("on_finalise", "close_case")
            self._names_field((*where, "reason"), declared.close_case.reason, ("choice", "text"))
            if declared.close_case.closed_on:
                self._names_field((*where, "closed_on"), declared.close_case.closed_on, ("date",))
        if declared.legal_status:
            path = ("on_finalise", "legal_status")
            item = self._names_field(path, declared.legal_status, ("choice",))
            if item is not None and item.codelist != "legal_status":
                self.error(path, f"'{item.id}' must take its values from the legal_status list")

    def _names_field(self, path: Path, field_id: str, types: tuple[str, ...]) -> FieldDef | None:
        item = self.exemplar.fields.get(field_id)
        if item is None or item.type not in types:
            self.error(
                path,
                f"'{field_id}' must be a {' or '.join(types)} field of {self.exemplar.id}"
                f"{suggest(field_id, self.exemplar.fields)}",
            )
            return None
        return item

    def _reachability(self) -> None:
        """Sections and fields whose conditions no answers can ever meet."""
        domains = _domains(self.exemplar, self.compiled.values())
        for place in places(self.exemplar):
            if place.column_of is not None:
                continue
            show = self.compiled.get((*place.path, "show_if"))
            section_show = self.compiled.get((place.path[0], place.path[1], "show_if"))
            owner = place.item or place.section
            for condition in (section_show, show):
                if condition is not None and not self._can_be_met(condition, domains):
                    kind = (
                        "required field"
                        if getattr(owner, "required", False)
                        else ("field" if place.item else "section")
                    )
                    self.error(
                        (*place.path, "show_if"),
                        f"{kind} '{owner.id}' can never be shown:"
                        f" no answers meet '{condition.source}'",
                    )
                    break

    def _can_be_met(self, condition: Compiled, domains: dict[str, list[Any]]) -> bool:
        """Each condition is searched once (a section's is asked again for every field in it)."""
        known = self.verdicts.get(condition.source)
        if known is None:
            size = search_size(condition, domains)
            searched = size <= min(self.budget, SEARCH_LIMIT)
            known = not searched or satisfiable(condition, domains)
            self.budget -= size if searched else 0
            self.verdicts[condition.source] = known
        return known

    def _cycles(self) -> None:
        """A field whose showing depends, through other fields, on itself can never settle."""
        graph: dict[str, set[str]] = {}
        where: dict[str, Path] = {}
        for place in places(self.exemplar):
            if place.item is None or place.column_of is not None:
                continue
            needs: set[str] = set()
            for path in ((*place.path, "show_if"), (place.path[0], place.path[1], "show_if")):
                compiled = self.compiled.get(path)
                needs |= {n for n in compiled.names if "." not in n} if compiled else set()
            graph[place.item.id] = needs
            where[place.item.id] = (*place.path, "show_if")
        for group in _tangles(graph):
            start = min(group)
            self.error(
                where[start], f"pathway cycle: {_trail(_cycle_through(graph, group, start))}"
            )


def placeholders(line: str) -> list[str]:
    """The field ids a chronology line quotes, as "{field_id}"; anything fancier is refused."""
    names = []
    for _text, name, spec, conversion in Formatter().parse(line):
        if name is None:
            continue
        if spec or conversion or not name.isidentifier():
            raise ValueError(f"write each answer as {{field_id}}, not '{{{name}}}'")
        names.append(name)
    return names


def _shortened(source: str, most: int = 80) -> str:
    """A refused condition may be thousands of characters; its start is enough to find it."""
    return source if len(source) <= most else f"{source[: most - 1]}…"


def _domains(exemplar: Exemplar, conditions: Any) -> dict[str, list[Any]]:
    """Candidate values for each name, enough to make every comparison go either way."""
    literals: dict[str, set[Any]] = {}
    for compiled in conditions:
        for comparison in compiled.comparisons:
            literals.setdefault(comparison.name, set()).update(
                lit for lit in comparison.literals if isinstance(lit, str | int | float)
            )
    domains: dict[str, list[Any]] = {}
    for name, item in exemplar.fields.items():
        domains[name] = [None, ABSENT, *_field_values(exemplar, item, literals.get(name, set()))]
    for name, fact in FACTS.items():
        domains[name] = [None, *_fact_values(fact.kind, fact.codes, literals.get(name, set()))]
    return domains


def _field_values(exemplar: Exemplar, item: FieldDef, seen: set[Any]) -> list[Any]:
    return [{"value": value} for value in kind_of(item.type).candidates(exemplar, item, seen)]


def _fact_values(kind: str, codes: tuple[str, ...], seen: set[Any]) -> list[Any]:
    if kind == "boolean":
        return [True, False]
    if kind == "code":
        return list(codes)
    return around(seen) or ["something"]


def _tangles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Each group of fields that depend on one another in a circle, in one pass over the graph.

    Tarjan's strongly connected components, with an explicit stack: a recursive search would hit
    Python's recursion limit on a long chain, and searching again from every field (as a plain
    "is there a path back?" check does) is quadratic in the chain's length. graphlib names one
    cycle and stops; this names every tangle once.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    trail: list[str] = []
    groups: list[set[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root] & graph.keys())))]
        index[root] = low[root] = len(index)
        trail.append(root)
        while work:
            node, needs = work[-1]
            for need in needs:
                if need not in index:
                    index[need] = low[need] = len(index)
                    trail.append(need)
                    work.append((need, iter(sorted(graph[need] & graph.keys()))))
                    break
                if need in low:  # still on the trail: part of the circle being walked
                    low[node] = min(low[node], index[need])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    groups.extend(_closed(graph, trail, low, node))
    return groups


def _closed(
    graph: dict[str, set[str]], trail: list[str], low: dict[str, int], node: str
) -> list[set[str]]:
    """Take `node`'s component off the trail; it is a tangle if it has a circle in it."""
    group: set[str] = set()
    while node not in group:
        member = trail.pop()
        del low[member]  # off the trail: later edges to it are not back edges
        group.add(member)
    return [group] if len(group) > 1 or node in graph[node] else []


def _cycle_through(graph: dict[str, set[str]], group: set[str], start: str) -> list[str]:
    """The shortest way from `start` back to itself inside its tangle (breadth first)."""
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node in frontier:
            if start in graph[node]:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            for need in sorted(graph[node] & group):
                if need not in came_from and need != start:
                    came_from[need] = node
                    following.append(need)
        frontier = following
    return [start, start]  # not reached: every tangle has a circle through each member


def _trail(cycle: list[str]) -> str:
    """A long circle is named by its ends and its length: 3,000 names help nobody."""
    if len(cycle) <= 12:
        return " → ".join(cycle)
    return f"{' → '.join(cycle[:5])} → … → {' → '.join(cycle[-3:])} ({len(cycle) - 1} fields)"
