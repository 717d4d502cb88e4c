"""Each exemplar's answers compiled into one pydantic-core validator, built once per definition.

The shape check of a whole record then runs in pydantic's Rust core; only when it finds a fault do
we go field by field in Python to say what is wrong in a worker's words.
"""

from typing import Annotated, Any, Literal, NotRequired

from pydantic import ConfigDict, Field, TypeAdapter
from typing_extensions import TypedDict

from app.engine.definitions import FieldDef
from app.engine.fieldtypes import WHEN_CODES as WHEN_CODES
from app.engine.fieldtypes import CodesOf, stored_type, typed_dict

ABSENCE_CODES = ("not_applicable", "not_known", "recorded_elsewhere", "not_yet_asked")
FORBID = ConfigDict(extra="forbid")


class Absent(TypedDict, total=False):
    __pydantic_config__ = FORBID  # type: ignore[misc]
    absent: Literal["not_applicable", "not_known", "recorded_elsewhere", "not_yet_asked"]
    link: str
    awaiting_check: dict[str, Any]
    provenance: dict[str, Any]


def value_type(item: FieldDef, codes_of: CodesOf) -> Any:
    """The Python type a field's value must have: its kind's stored schema (see fieldtypes)."""
    return stored_type(item, codes_of)


def envelope(item: FieldDef, codes_of: CodesOf) -> Any:
    """What one answer may be: a value (maybe pre-filled), an absence code, or null (cleared)."""
    given = typed_dict(
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
    return TypeAdapter(typed_dict("Answers", shape))
