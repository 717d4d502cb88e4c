"""An answer in words for one reader: the web page, the check-answers page and every printout.

Blank is never "No": a field nobody answered reads "Not answered", and an absence code reads as
itself ("Not known", "Not asked yet"), each in the reader's words.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

from app.engine.definitions import Audience, FieldDef, text_for
from app.engine.fieldtypes import Reading, kind_of, shown_value
from app.engine.fieldtypes import long_date as long_date
from app.engine.library import Exemplar
from app.engine.readers import reader

ABSENT_WORDS: dict[str, dict[str, str]] = {
    "not_applicable": {"worker": "Not applicable", "family": "Does not apply"},
    "not_known": {"worker": "Not known", "family": "Not known yet"},
    "recorded_elsewhere": {"worker": "Recorded elsewhere", "family": "Written down somewhere else"},
    "not_yet_asked": {"worker": "Not yet asked", "family": "Not asked yet"},
}
BLANK_WORDS = {"worker": "Not answered", "family": "Not answered yet"}
Names = Mapping[tuple[str, int], str]  # (kind, id) → a person's or professional's name
Kind = Literal["value", "narrative", "absent", "blank", "rows"]


@dataclass(frozen=True)
class Shown:
    label: str
    kind: Kind
    text: str
    rows: tuple[tuple[tuple[str, str], ...], ...] = ()
    source: str | None = None  # "from Referral and information, 3 November 2026"


def plain_reader(audience: Audience) -> str:
    """Whose wording a reader gets for blanks and absence codes (readers.yaml, plain_words)."""
    return reader(audience).plain_words


def describe(
    exemplar: Exemplar,
    item: FieldDef,
    answer: Any,
    *,
    audience: Audience = "worker",
    names: Names | None = None,
    child: str | None = None,
) -> Shown:
    """The label and the answer as the reader should see them."""
    label = text_for(item.label, audience, child=child)
    words_of = plain_reader(audience)
    if not isinstance(answer, Mapping) or ("value" not in answer and "absent" not in answer):
        return Shown(label, "blank", BLANK_WORDS[words_of])
    typed = _typed(answer)
    if "absent" in answer:
        words = ABSENT_WORDS.get(answer["absent"], ABSENT_WORDS["not_known"])[words_of]
        link = answer.get("link")
        return Shown(
            label,
            "absent",
            f"{words}: {link}" if link and reader(audience).sees_where_recorded else words,
            source=typed,
        )
    source = "; ".join(part for part in (_source(answer.get("prefilled")), typed) if part) or None
    value = answer["value"]
    shown_as = kind_of(item.type).shown_as
    if shown_as == "rows":
        rows = tuple(_row(exemplar, item, row, audience, names or {}, child) for row in value or [])
        return Shown(label, "rows", "" if rows else BLANK_WORDS[words_of], rows, source)
    text = value_text(exemplar, item, value, audience=audience, names=names or {}, child=child)
    return Shown(label, shown_as, text, source=source)


def value_text(
    exemplar: Exemplar,
    item: FieldDef,
    value: Any,
    *,
    audience: Audience,
    names: Names,
    child: str | None = None,
) -> str:
    """One value in words: option labels, long dates, yes/no with when, people by name."""
    if _empty(value):
        return BLANK_WORDS[plain_reader(audience)]
    words = partial(text_for, audience=audience, child=child)
    return shown_value(item, value, Reading(exemplar, words, names))


def _row(
    exemplar: Exemplar,
    item: FieldDef,
    row: Mapping[str, Any],
    audience: Audience,
    names: Names,
    child: str | None,
) -> tuple[tuple[str, str], ...]:
    # A column written for other readers (a plan line's area and dimension codes, for the
    # worker and the court) is left out of this reader's rows, as a field would be.
    reads = reader(audience).reads_fields_for
    return tuple(
        (
            text_for(column.label, audience, child=child),
            _cell(exemplar, column, row.get(column.id), audience, names, child),
        )
        for column in item.fields or []
        if column.audiences is None or any(name in column.audiences for name in reads)
    )


def _cell(
    exemplar: Exemplar,
    column: FieldDef,
    value: Any,
    audience: Audience,
    names: Names,
    child: str | None,
) -> str:
    # An empty cell stays empty for a reader who is not shown unanswered questions: a family's
    # plan never reads "Not answered yet" in every row.
    if _empty(value) and reader(audience).leaves_out_unanswered:
        return ""
    return value_text(exemplar, column, value, audience=audience, names=names, child=child)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _typed(answer: Mapping[str, Any]) -> str | None:
    """Dictation provenance: typed by whom for whom, and whether the author has checked it."""
    waiting, done = answer.get("awaiting_check"), answer.get("provenance")
    if isinstance(waiting, Mapping):
        return f"typed by {waiting.get('typed_by')} for {waiting.get('for')}, awaiting their check"
    if isinstance(done, Mapping) and "signed_off_by" in done:  # written by approve or return
        when = long_date(str(done.get("on", "")))
        return f"recorded at sign-off by {done.get('signed_off_by')} ({done.get('role')}), {when}"
    if isinstance(done, Mapping):
        when = long_date(str(done.get("confirmed_on", "")))
        who = f"typed by {done.get('typed_by')} for {done.get('for')}"
        return f"{who}, confirmed by {done.get('confirmed_by')} on {when}"
    return None


def _source(prefilled: Any) -> str | None:
    if not isinstance(prefilled, Mapping):
        return None
    return f"from {prefilled.get('source')}, {long_date(str(prefilled.get('on', '')))}"
