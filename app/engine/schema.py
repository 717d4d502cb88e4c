"""Each exemplar's answers compiled into one pydantic-core validator, built once per definition.

The shape check of a whole record then runs in pydantic's Rust core; only when it finds a fault do
we go field by field in Python to say what is wrong in a worker's words.
"""

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal, NotRequired, cast

from pydantic import AfterValidator, ConfigDict, Field, Strict, StringConstraints, TypeAdapter
from typing_extensions import TypedDict

from app.engine.definitions import FieldDef

ABSENCE_CODES = ("not_applicable", "not_known", "recorded_elsewhere", "not_yet_asked")
WHEN_CODES = ("current", "past", "never", "not_known")
FORBID = ConfigDict(extra="forbid")
CodesOf = Callable[[FieldDef], set[str]]
IsoDate = Annotated[
    str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$"), AfterValidator(date.fromisoformat)
]


class Absent(TypedDict, total=False):
    __pydantic_config__ = FORBID  # type: ignore[misc]
    absent: Literal["not_applicable", "not_known", "recorded_elsewhere", "not_yet_asked"]
    link: str
    awaiting_check: dict[str, Any]
    provenance: dict[str, Any]


class Qualified(TypedDict):
    __pydantic_config__ = FORBID  # type: ignore[misc]
    answer: Literal["yes", "no"]
    when: NotRequired[Literal["current", "past", "never", "not_known"] | None]


def _unique(values: list[Any]) -> list[Any]:
    if len(set(values)) != len(values):
        raise ValueError("each option once")
    return values


def value_type(item: FieldDef, codes_of: CodesOf) -> Any:
    """The Python type a field's value must have, strict: no quiet conversions."""
    if item.type in ("choice", "multi_choice"):
        codes = codes_of(item)
        code: Any = Literal.__getitem__(tuple(sorted(codes))) if codes else str
        many: Any = list.__class_getitem__(code)
        return code if item.type == "choice" else Annotated[many, AfterValidator(_unique)]
    if item.type == "yes_no":
        plain = Literal["yes", "no"]
        both = Annotated[plain | Qualified, Field(union_mode="left_to_right")]
        return both if item.qualifier else plain
    if item.type == "number":
        return Annotated[float, Strict(), Field(ge=item.min, le=item.max)]
    if item.type == "group":
        return list.__class_getitem__(_row(item, codes_of))
    simple: dict[str, Any] = {
        "text": Annotated[str, Strict(), StringConstraints(max_length=1000)],
        "narrative": Annotated[str, Strict()],
        "date": IsoDate,
        "person": Annotated[int, Strict(), Field(gt=0)],
        "professional": Annotated[int, Strict(), Field(gt=0)],
        "attachment": list[Annotated[int, Strict()]],
    }
    return simple[item.type]


def _row(item: FieldDef, codes_of: CodesOf) -> Any:
    columns = {c.id: NotRequired[value_type(c, codes_of) | None] for c in item.fields or []}
    return _typed_dict(f"Row_{item.id}", columns)


def envelope(item: FieldDef, codes_of: CodesOf) -> Any:
    """What one answer may be: a value (maybe pre-filled), an absence code, or null (cleared)."""
    given = _typed_dict(
        f"Given_{item.id}",
        {
            "value": value_type(item, codes_of),
            "prefilled": NotRequired[dict[str, Any]],
            "confirmed": NotRequired[bool],
            "awaiting_check": NotRequired[dict[str, Any]],
            "provenance": NotRequired[dict[str, Any]],
        },
    )
    # Left to right: most answers are values, so the first branch usually settles it at once.
    return Annotated[given | Absent | None, Field(union_mode="left_to_right")]


def answers_adapter(fields: dict[str, FieldDef], codes_of: CodesOf) -> TypeAdapter[Any]:
    """One validator for a record's whole answer set; unknown field ids are faults too."""
    shape = {key: NotRequired[envelope(item, codes_of)] for key, item in fields.items()}
    return TypeAdapter(_typed_dict("Answers", shape))


def _typed_dict(name: str, fields: dict[str, Any]) -> Any:
    """A TypedDict made at run time (its keys come from YAML), refusing keys it does not name."""
    made = cast(Any, TypedDict)(name, fields)
    made.__pydantic_config__ = FORBID
    return made
