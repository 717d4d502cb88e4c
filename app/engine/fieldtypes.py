"""Field types as a registry: everything that differs by a field's type, declared once per type.

Each of the types an exemplar may use is one `FieldKind` in `KINDS`, holding the pydantic schema
of its stored value, the plain-words check of a value, form parsing both ways, its wording for a
reader, the facts the linter needs and the name of its template partial. The rest of the engine,
the record forms and the printouts look a field's kind up here instead of testing its type.

Adding a field type touches this module (its name in `FieldType` and one entry in `KINDS`) and
one partial, `templates/records/fields/_<type>.html`; a unit test fails if either is missing.

The registry sits below the definition models (they take `FieldType` and each type's key rules
from here), so it knows those models only as types and is handed what it needs to call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal, NotRequired, Protocol, cast

from pydantic import AfterValidator, ConfigDict, Field, Strict, StringConstraints
from typing_extensions import TypedDict

from app.engine.facts import PLAIN_FACTS, FactKind
from app.engine.readers import text_for
from app.engine.yamlfile import suggest
from app.timescales.calendar import typed_date

if TYPE_CHECKING:
    from app.engine.definitions import FieldDef, Option, Text

FieldType = Literal[
    "text",
    "narrative",
    "date",
    "yes_no",
    "choice",
    "multi_choice",
    "number",
    "person",
    "professional",
    "group",
    "attachment",
]
Form = Mapping[str, list[str]]
CodesOf = Callable[["FieldDef"], set[str]]
ShownAs = Literal["value", "narrative", "rows"]

WHEN_CODES = ("current", "past", "never", "not_known")
MONTHS_CY = (
    "Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin",
    "Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr",
)  # fmt: skip
# Welsh answers yes and no with the question's verb ("Oes", "Ydy"); "Ie" and "Na" are the
# forms that answer any question on a form, as the Welsh Government's bilingual forms print them.
YES_NO_WORDS = {"en": ("Yes", "No"), "cy": ("Ie", "Na")}
WHEN_WORDS_CY = {
    "current": "nawr",
    "past": "yn y gorffennol",
    "never": "byth",
    "not_known": "ddim yn gwybod pryd",
}
WHEN_WORDS = {
    "current": "now",
    "past": "in the past",
    "never": "never",
    "not_known": "not known when",
}
ANY_FACT: frozenset[FactKind] = PLAIN_FACTS
SPARE_ROWS = 1  # an empty row under the filled ones, so a row can be added without JavaScript
FORBID = ConfigDict(extra="forbid")
IsoDate = Annotated[
    str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$"), AfterValidator(date.fromisoformat)
]


class Choices(Protocol):
    """What a kind needs from a loaded exemplar: a choice field's options (inline or listed)."""

    def options(self, item: FieldDef) -> list[Option]: ...

    def codes(self, item: FieldDef) -> set[str]: ...


@dataclass(frozen=True)
class Reading:
    """What wording a value needs: the reader's words for a text, and people's names."""

    choices: Choices
    words: Callable[[Text | None], str]
    names: Mapping[tuple[str, int], str]  # (kind, id) → how a reader sees them
    lang: str = "en"  # cy: Welsh option labels (label_cy), yes and no, and months


@dataclass(frozen=True)
class FormContext:
    """What a form value needs: options, people, and how the caller builds a group's cells."""

    choices: Choices
    people: Sequence[tuple[tuple[str, int], str]]  # ((kind, id), label) a picker may offer
    words: Callable[[Text | None], str]
    cell: Callable[[FieldDef, Any], Any]
    in_group: bool = False


@dataclass(frozen=True)
class FormValue:
    """A stored value as the form shows it: the input's value, a yes/no's when, the options."""

    value: Any
    when: str = ""
    options: list[tuple[str, str]] = field(default_factory=list)


Check = Callable[["Choices", "FieldDef", Any], "str | None"]


@dataclass(frozen=True)
class FieldKind:
    """One field type, whole. Defaults fit a one-line answer kept as text."""

    name: FieldType
    stored: Callable[[FieldDef, CodesOf], Any]  # the pydantic type of the stored value
    check: Check  # why a value does not fit, in a worker's words
    # posted form → value (ValueError says what is wrong); stored value → the form's inputs;
    # posted form → the inputs again after a failed post (None: keep the stored value's).
    parse: Callable[[FieldDef, Form, str], Any] = field(default=lambda i, f, n: _parse_line(f, n))
    to_form: Callable[[FieldDef, Any, FormContext], FormValue] = field(
        default=lambda i, v, c: FormValue(_as_input(v))
    )
    from_post: Callable[[Form, str], Any] | None = field(default=lambda f, n: _first(f, n))
    shown: Callable[[FieldDef, Any, Reading], str] = field(default=lambda i, v, r: str(v))  # words
    shown_as: ShownAs = "value"
    from_fact: Callable[[Any], Any] = field(default=lambda v: _fact_as_is(v))
    prefill_from: frozenset[FactKind] = ANY_FACT  # fact kinds the linter lets pre-fill it
    literal_problem: Check = field(default=lambda c, i, lit: _holds_text(i, lit))  # in conditions
    # values to try when asking whether a condition can ever be met (the never-shown check)
    candidates: Callable[[Choices, FieldDef, set[Any]], list[Any]] = field(
        default=lambda c, i, seen: around(seen) or ["something"]
    )
    takes_options: bool = False
    takes_qualifier: bool = False
    has_columns: bool = False
    picks_outcome: bool = False  # may be an exemplar's outcomes field
    starts_clock: bool = False  # may start an exemplar's timescale
    fieldset: bool = False  # several inputs, so the frame is a fieldset with a legend
    absence_choice: bool = True
    # The answer is someone's own words, printed as typed (in English, so a Welsh copy tags it
    # lang="en" for screen readers); the others print in the copy's own words.
    own_words: bool = False

    @property
    def partial(self) -> str:
        return f"records/fields/_{self.name}.html"


def kind_of(name: str) -> FieldKind:
    """The registry entry of a field type."""
    return KINDS[name]


def stored_type(item: FieldDef, codes_of: CodesOf) -> Any:
    """The Python type a field's value must have, strict: no quiet conversions."""
    return kind_of(item.type).stored(item, codes_of)


def value_problem(choices: Choices, item: FieldDef, value: Any) -> str | None:
    """Why `value` does not fit the field, in words a worker understands, or None."""
    return None if value is None else kind_of(item.type).check(choices, item, value)


def parse_value(item: FieldDef, posted: Form, name: str) -> Any:
    """The value a posted form gives the field under `name`; ValueError says what is wrong."""
    return kind_of(item.type).parse(item, posted, name)


def shown_value(item: FieldDef, value: Any, reading: Reading) -> str:
    return kind_of(item.type).shown(item, value, reading)


def typed_dict(name: str, fields: dict[str, Any]) -> Any:
    """A TypedDict made at run time (its keys come from YAML), refusing keys it does not name."""
    made = cast(Any, TypedDict)(name, fields)
    made.__pydantic_config__ = FORBID
    return made


def long_date(iso: str, lang: str = "en") -> str:
    """ "3 November 2026", or in Welsh "3 Tachwedd 2026" (never the machine's locale)."""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    if lang == "cy":
        return f"{day.day} {MONTHS_CY[day.month - 1]} {day.year}"
    return f"{day.day} {day:%B %Y}"


# Shared pieces: form values, posted values, facts and literals.


def _first(posted: Form, name: str) -> str:
    values = posted.get(name) or [""]
    return values[0]


def _parse_line(posted: Form, name: str) -> str | None:
    text = _first(posted, name).strip()
    return text or None


def _as_input(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _fact_as_is(value: Any) -> Any:
    return None if isinstance(value, bool | list) else value


def _holds_text(item: FieldDef, literal: Any) -> str | None:
    return None if isinstance(literal, str) else f"{item.id} holds text, never {literal!r}"


def around(seen: set[Any]) -> list[Any]:
    """Each literal, and numbers either side of it, so <, <= and == can all come out true."""
    values: list[Any] = []
    for literal in sorted(seen, key=repr):
        values.append(literal)
        if isinstance(literal, int | float) and not isinstance(literal, bool):
            values.extend([literal - 1, literal + 1])
    return [*values, "other"]


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# text and narrative


def _check_line(choices: Choices, item: FieldDef, value: Any) -> str | None:
    if not isinstance(value, str):
        return "Enter text."
    return "Keep this to one line of 1,000 characters or fewer." if len(value) > 1000 else None


# Generous: a long narrative is a few thousand words (~50 KB); a 10 MB paste is a mistake.
NARRATIVE_MAX_CHARS = 100_000


def _check_text(choices: Choices, item: FieldDef, value: Any) -> str | None:
    if not isinstance(value, str):
        return "Enter text."
    if len(value) > NARRATIVE_MAX_CHARS:
        return (
            f"This is longer than {NARRATIVE_MAX_CHARS:,} characters. Split it, or attach the "
            "document instead; nothing you typed has been lost."
        )
    return None if "\x00" not in value else "Remove the invisible control character from this text."


def _parse_narrative(item: FieldDef, posted: Form, name: str) -> str | None:
    raw = _first(posted, name)  # the writer's own spacing and line breaks are kept
    return raw if raw.strip() else None


def _fact_joined(value: Any) -> Any:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return None if isinstance(value, bool) else value


TEXT = FieldKind(
    name="text",
    stored=lambda i, c: Annotated[str, Strict(), StringConstraints(max_length=1000)],
    check=_check_line,
    from_fact=_fact_joined,
    own_words=True,
)
NARRATIVE = FieldKind(
    name="narrative",
    stored=lambda i, c: Annotated[str, Strict(), StringConstraints(max_length=NARRATIVE_MAX_CHARS)],
    check=_check_text,
    parse=_parse_narrative,
    shown_as="narrative",
    from_fact=_fact_joined,
    own_words=True,
)


# date


# Dates outside these years are typing slips (31/12/9999), unless the field says otherwise
# (`earliest_year: 1900` for a date of birth, `years_ahead` for a far review date).
EARLIEST_YEAR = 1990
YEARS_AHEAD = 5


def _check_date(choices: Choices, item: FieldDef, value: Any) -> str | None:
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        return "Enter a real date, for example 2026-11-23."
    if len(value) != 10:
        return "Enter a real date, for example 2026-11-23."
    return date_out_of_range(item, day)


def _in_range(item: FieldDef) -> Callable[[date], date]:
    """The compiled check's half of the date range (its words come from `date_out_of_range`)."""

    def check(value: date) -> date:  # IsoDate has already read the text as a date
        problem = date_out_of_range(item, value)
        if problem:
            raise ValueError(problem)
        return value

    return check


def date_out_of_range(item: FieldDef, day: date) -> str | None:
    """Why a date is outside the years this field takes, or None."""
    earliest = item.earliest_year or EARLIEST_YEAR
    latest = date.today().year + (item.years_ahead if item.years_ahead is not None else YEARS_AHEAD)
    if day.year < earliest:
        return f"Enter a date in {earliest} or later."
    if day.year > latest:
        return f"Enter a date in {latest} or earlier."
    return None


def _parse_date(item: FieldDef, posted: Form, name: str) -> str | None:
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


def _date_form(item: FieldDef, value: Any, context: FormContext) -> FormValue:
    if value and context.in_group:
        return FormValue(date.fromisoformat(value).strftime("%d/%m/%Y"))
    if value is None:
        return FormValue({"day": "", "month": "", "year": ""})
    year, month, day = str(value).split("-")
    return FormValue({"day": str(int(day)), "month": str(int(month)), "year": year})


def _posted_date(posted: Form, name: str) -> dict[str, str] | str:
    if name in posted:  # a group cell's one box: shown again as typed
        return _first(posted, name)
    return {part: _first(posted, f"{name}-{part}") for part in ("day", "month", "year")}


DATE = FieldKind(
    name="date",
    stored=lambda i, c: Annotated[IsoDate, AfterValidator(_in_range(i))],
    check=_check_date,
    parse=_parse_date,
    to_form=_date_form,
    from_post=_posted_date,
    shown=lambda i, v, r: long_date(str(v), r.lang),
    prefill_from=frozenset({"date", "text", "list"}),
    starts_clock=True,
    fieldset=True,
)


# yes_no, with an optional "when" qualifier


class Qualified(TypedDict):
    __pydantic_config__ = FORBID  # type: ignore[misc]
    answer: Literal["yes", "no"]
    when: NotRequired[Literal["current", "past", "never", "not_known"] | None]


def _stored_yes_no(item: FieldDef, codes_of: CodesOf) -> Any:
    plain = Literal["yes", "no"]
    both = Annotated[plain | Qualified, Field(union_mode="left_to_right")]
    return both if item.qualifier else plain


def _check_yes_no(choices: Choices, item: FieldDef, value: Any) -> str | None:
    if item.qualifier and isinstance(value, Mapping):
        if value.get("answer") not in ("yes", "no") or set(value) - {"answer", "when"}:
            return "Choose yes or no."
        when = value.get("when")
        return None if when in (None, *WHEN_CODES) else f"Choose when: {', '.join(WHEN_CODES)}."
    return None if value in ("yes", "no") else "Choose yes or no."


def _parse_yes_no(item: FieldDef, posted: Form, name: str) -> Any:
    text = _parse_line(posted, name)
    when = _first(posted, f"{name}__when") if item.qualifier else ""
    return {"answer": text, "when": when} if text and when else text


def _yes_no_form(item: FieldDef, value: Any, context: FormContext) -> FormValue:
    if isinstance(value, Mapping):
        return FormValue(value.get("answer", ""), value.get("when") or "")
    return FormValue(_as_input(value))


def _yes_no_words(item: FieldDef, value: Any, reading: Reading) -> str:
    answer, when = (
        (value.get("answer"), value.get("when")) if isinstance(value, Mapping) else (value, None)
    )
    yes, no = YES_NO_WORDS["cy" if reading.lang == "cy" else "en"]
    words = yes if answer == "yes" else no
    when_words = WHEN_WORDS_CY if reading.lang == "cy" else WHEN_WORDS
    return f"{words} ({when_words[when]})" if when else words


def _fact_yes_no(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return None if isinstance(value, list) else value


YES_NO = FieldKind(
    name="yes_no",
    stored=_stored_yes_no,
    check=_check_yes_no,
    parse=_parse_yes_no,
    to_form=_yes_no_form,
    shown=_yes_no_words,
    from_fact=_fact_yes_no,
    prefill_from=frozenset({"boolean", "text", "list"}),
    literal_problem=lambda c, i, lit: (
        None if lit in ("yes", "no") else f"{i.id} is yes or no, never {lit!r}"
    ),
    candidates=lambda c, i, seen: ["yes", "no"],
    takes_qualifier=True,
    fieldset=True,
)


# choice and multi_choice: codes from the field's options or its code list


def _code_type(item: FieldDef, codes_of: CodesOf) -> Any:
    codes = codes_of(item)
    return Literal.__getitem__(tuple(sorted(codes))) if codes else str


def _unique(values: list[Any]) -> list[Any]:
    if len(set(values)) != len(values):
        raise ValueError("each option once")
    return values


def _stored_many(item: FieldDef, codes_of: CodesOf) -> Any:
    many: Any = list.__class_getitem__(_code_type(item, codes_of))
    return Annotated[many, AfterValidator(_unique)]


def _check_choice(choices: Choices, item: FieldDef, value: Any) -> str | None:
    # A list is unhashable: asking whether it is a code would raise instead of explaining.
    ok = isinstance(value, str) and value in choices.codes(item)
    return None if ok else "Choose one of the options."


def _check_many(choices: Choices, item: FieldDef, value: Any) -> str | None:
    codes = choices.codes(item)
    ok = (
        isinstance(value, list)
        and all(isinstance(v, str) and v in codes for v in value)
        and len(set(value)) == len(value)
    )
    return None if ok else "Choose from the options, each once."


def _options(item: FieldDef, context: FormContext) -> list[tuple[str, str]]:
    return [(o.code, context.words(o.label)) for o in context.choices.options(item)]


def _option_words(item: FieldDef, value: Any, reading: Reading) -> str:
    welsh = reading.lang == "cy"
    labels = {
        o.code: (welsh and reading.words(o.label_cy)) or reading.words(o.label)
        for o in reading.choices.options(item)
    }
    codes = [str(code) for code in (value if isinstance(value, list) else [value])]
    return ", ".join(labels.get(code) or code for code in codes)


def _is_option(choices: Choices, item: FieldDef, literal: Any) -> str | None:
    codes = choices.codes(item)
    if literal in codes:
        return None
    return f"{item.id} has no option {literal!r}{suggest(str(literal), codes)}"


CHOICE = FieldKind(
    name="choice",
    stored=_code_type,
    check=_check_choice,
    to_form=lambda i, v, c: FormValue(_as_input(v), options=_options(i, c)),
    shown=_option_words,
    literal_problem=_is_option,
    candidates=lambda c, i, seen: sorted(c.codes(i)),
    takes_options=True,
    picks_outcome=True,
    fieldset=True,
)
MULTI_CHOICE = FieldKind(
    name="multi_choice",
    stored=_stored_many,
    check=_check_many,
    parse=lambda i, f, n: [v for v in f.get(n, []) if v],
    to_form=lambda i, v, c: FormValue(list(v or []), options=_options(i, c)),
    from_post=lambda f, n: f.get(n, []),
    shown=_option_words,
    literal_problem=_is_option,
    candidates=lambda c, i, seen: [[code] for code in sorted(c.codes(i))],
    takes_options=True,
    fieldset=True,
)


# number


def _check_number(choices: Choices, item: FieldDef, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "Enter a number."
    if item.min is not None and value < item.min:
        return f"Enter a number of {item.min:g} or more."
    if item.max is not None and value > item.max:
        return f"Enter a number of {item.max:g} or less."
    return None


def _parse_number(item: FieldDef, posted: Form, name: str) -> int | float | None:
    text = _parse_line(posted, name)
    if text is None:
        return None
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        raise ValueError("Enter a number, like 3 or 2.5.") from None
    return int(number) if number.is_integer() else number


NUMBER = FieldKind(
    name="number",
    stored=lambda i, c: Annotated[float, Strict(), Field(ge=i.min, le=i.max)],
    check=_check_number,
    parse=_parse_number,
    shown=lambda i, v, r: f"{v:g}" if isinstance(v, float) else str(v),
    prefill_from=frozenset({"number", "text", "list"}),
    literal_problem=lambda c, i, lit: (
        None
        if isinstance(lit, int | float) and not isinstance(lit, bool)
        else f"{i.id} is a number, never {lit!r}"
    ),
)


# person and professional: a typed reference to someone around the child

# Stored as {"kind": "person", "id": n}: person and professional ids overlap (person 3 and
# professional 3 are different rows), so the kind travels with the id in the answer itself, and
# anything reading the answer (a printout years later, a migration, another system) needs no
# field definition to know which table it names. "unresolved" marks an old bare id that could not
# be matched to one person or professional: the worker is asked to choose again, nothing guessed.
Ref = tuple[str, int]  # (kind, id): how names and allowed references are keyed


def ref_key(value: Any, kind: str) -> Ref | None:
    """(kind, id) of a stored reference; a bare int (frozen before references were typed) is a
    person's id, as every printout then read it."""
    if _is_id(value):
        return ("person", value)
    if isinstance(value, Mapping) and _is_id(value.get("id")):
        return (str(value.get("kind") or kind), value["id"])
    return None


def unknown_words(kind: str, ident: Any) -> str:
    return f"Unknown {kind} (id {ident}) — choose again"


def _stored_ref(item: FieldDef, codes_of: CodesOf) -> Any:
    kind = Literal.__getitem__((item.type,))
    return typed_dict(
        f"Ref_{item.type}", {"kind": kind, "id": Annotated[int, Strict(), Field(gt=0)]}
    )


def _check_ref(choices: Choices, item: FieldDef, value: Any) -> str | None:
    if isinstance(value, Mapping) and value.get("unresolved"):
        return unknown_words(item.type, value.get("id")) + "."
    ok = (
        isinstance(value, Mapping)
        and set(value) == {"kind", "id"}
        and value["kind"] == item.type
        and _is_id(value["id"])
        and value["id"] > 0
    )
    return None if ok else f"Choose a {item.type} from the list."


def ref_input(value: Any) -> str:
    """A reference as a form's option value: "person:3", "professional:3:unresolved"."""
    if not isinstance(value, Mapping):
        return _as_input(value)
    flag = ":unresolved" if value.get("unresolved") else ""
    return f"{value.get('kind')}:{value.get('id')}{flag}"


def _parse_ref(item: FieldDef, posted: Form, name: str) -> dict[str, Any] | None:
    text = _parse_line(posted, name)
    if text is None:
        return None
    kind, _, rest = text.partition(":")
    ident, _, flag = rest.partition(":")
    if kind != item.type or not ident.isdigit() or flag not in ("", "unresolved"):
        raise ValueError(f"Choose a {item.type} from the list.")
    ref: dict[str, Any] = {"kind": kind, "id": int(ident)}
    return {**ref, "unresolved": True} if flag else ref


def _ref_form(item: FieldDef, value: Any, context: FormContext) -> FormValue:
    options = [
        (f"{kind}:{ident}", label) for (kind, ident), label in context.people if kind == item.type
    ]
    if isinstance(value, Mapping) and value.get("unresolved"):
        options.insert(0, (ref_input(value), unknown_words(item.type, value.get("id"))))
    return FormValue(ref_input(value), options=options)


def _ref_words(item: FieldDef, value: Any, reading: Reading) -> str:
    key = ref_key(value, item.type)
    if key is None:
        return str(value)
    if isinstance(value, Mapping) and value.get("unresolved"):
        return unknown_words(key[0], key[1])
    if isinstance(value, Mapping):
        return reading.names.get(key) or unknown_words(key[0], key[1])
    return reading.names.get(key, f"Person {value}")  # frozen bare id: as it was printed


PERSON = FieldKind(
    name="person",
    stored=_stored_ref,
    check=_check_ref,
    parse=_parse_ref,
    to_form=_ref_form,
    shown=_ref_words,
    literal_problem=lambda c, i, lit: (
        None if isinstance(lit, int) else f"{i.id} holds an id, never {lit!r}"
    ),
    # a person comes from an earlier record, a household's rows or the placement's carer
    prefill_from=frozenset({"person"}),
    own_words=True,  # names and roles as typed in the people records
)
PROFESSIONAL = replace(PERSON, name="professional", prefill_from=frozenset({"professional"}))


# group: rows of cells, each cell a column of any other type


# Rows a group holds when its field does not say: more is a runaway paste, not a plan.
MAX_ROWS = 200


def max_rows(item: FieldDef) -> int:
    return item.max_rows or MAX_ROWS


def _stored_rows(item: FieldDef, codes_of: CodesOf) -> Any:
    columns = {c.id: NotRequired[stored_type(c, codes_of) | None] for c in item.fields or []}
    rows = list.__class_getitem__(typed_dict(f"Row_{item.id}", columns))
    return Annotated[rows, Field(max_length=max_rows(item))]


def _check_rows(choices: Choices, item: FieldDef, value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(row, Mapping) for row in value):
        return "Send the rows as a list."
    if len(value) > max_rows(item):
        return f"Add no more than {max_rows(item)} rows."
    columns = {column.id: column for column in item.fields or []}
    for number, row in enumerate(value, start=1):
        for key, cell in row.items():
            column = columns.get(key)
            if column is None:
                return f"Row {number}: there is no column '{key}'."
            problem = value_problem(choices, column, cell)
            if problem:
                return f"Row {number}, {text_for(column.label, 'worker')}: {problem}"
    return None


def _parse_rows(item: FieldDef, posted: Form, name: str) -> list[dict[str, Any]]:
    numbers = sorted(
        {
            int(key.split("__")[1])
            for key in posted
            if key.startswith(f"{name}__") and key.count("__") == 2
        }
    )
    rows = []
    for position, number in enumerate(numbers, start=1):  # as the page numbers the rows
        row = {}
        for column in item.fields or []:
            try:
                cell = parse_value(column, posted, f"{name}__{number}__{column.id}")
            except ValueError as error:
                column_label = text_for(column.label, "worker")
                raise ValueError(f"Row {position}, {column_label}: {error}") from None
            if cell not in (None, "", []):
                row[column.id] = cell
        if row:
            rows.append(row)
    return rows


def _rows_form(item: FieldDef, value: Any, context: FormContext) -> FormValue:
    rows = list(value or []) + [{}] * SPARE_ROWS
    columns = item.fields or []
    return FormValue([[context.cell(c, row.get(c.id)) for c in columns] for row in rows])


def _fact_rows(value: Any) -> Any:
    # Rows from a fact (a household, a meeting's attendance): a group takes rows, nothing else.
    if isinstance(value, list) and all(isinstance(row, Mapping) for row in value):
        return [dict(row) for row in value]
    return None


GROUP = FieldKind(
    name="group",
    stored=_stored_rows,
    from_fact=_fact_rows,
    check=_check_rows,
    parse=_parse_rows,
    to_form=_rows_form,
    from_post=None,  # the rows are taken again cell by cell (records/forms.py)
    shown_as="rows",
    literal_problem=lambda c, i, lit: f"{i.id} is a group; compare count({i.id}) instead",
    candidates=lambda c, i, seen: [[{}]],
    prefill_from=frozenset({"rows"}),
    has_columns=True,
    fieldset=True,
    absence_choice=False,
)


# attachment: ids of files added from the child's page, or from the section (app/attachments)


def _check_attachment(choices: Choices, item: FieldDef, value: Any) -> str | None:
    ok = isinstance(value, list) and all(_is_id(v) for v in value)
    return None if ok else "Attach files by their ids."


def _parse_attachments(item: FieldDef, posted: Form, name: str) -> list[int] | None:
    """Ticked boxes, each a file's id; none ticked is no answer."""
    ticked = [v for v in posted.get(name, []) if v]
    if not all(v.isdigit() and len(v) <= 10 for v in ticked):
        raise ValueError("Choose files from the list.")
    return [int(v) for v in dict.fromkeys(ticked)] or None


def _attachments_form(item: FieldDef, value: Any, context: FormContext) -> FormValue:
    """The child's files as boxes to tick (the picker's list holds them as ("attachment", id))."""
    options = [
        (str(ident), label) for (kind, ident), label in context.people if kind == "attachment"
    ]
    return FormValue([str(v) for v in value or []], options=options)


def _attachment_words(item: FieldDef, value: Any, reading: Reading) -> str:
    """The files' titles where known, else how many: "Jade's drawing; Letter from school"."""
    titles = [reading.names.get(("attachment", v)) for v in value or []]
    if value and all(titles):
        return "; ".join(t for t in titles if t)
    return f"{len(value or [])} attached"


ATTACHMENT = FieldKind(
    name="attachment",
    stored=lambda i, c: list[Annotated[int, Strict()]],
    check=_check_attachment,
    parse=_parse_attachments,
    to_form=_attachments_form,
    from_post=lambda f, n: f.get(n, []),
    shown=_attachment_words,
    literal_problem=lambda c, i, lit: f"{i.id} is a attachment; compare count({i.id}) instead",
    fieldset=True,
)


KINDS: dict[str, FieldKind] = {
    kind.name: kind
    for kind in (
        TEXT,
        NARRATIVE,
        DATE,
        YES_NO,
        CHOICE,
        MULTI_CHOICE,
        NUMBER,
        PERSON,
        PROFESSIONAL,
        GROUP,
        ATTACHMENT,
    )
}
