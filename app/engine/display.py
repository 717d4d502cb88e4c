"""An answer in words for one reader: the web page, the check-answers page and every printout.

Blank is never "No": a field nobody answered reads "Not answered", and an absence code reads as
itself ("Not known", "Not asked yet"), each in the reader's words.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

from app.engine.definitions import Audience, FieldDef, Text, in_language, text_for
from app.engine.fieldtypes import Reading, kind_of, shown_value
from app.engine.fieldtypes import long_date as long_date
from app.engine.library import Exemplar
from app.engine.readers import Voice, own_wording, reader

ABSENT_WORDS: dict[str, dict[str, str]] = {
    "not_applicable": {"worker": "Not applicable", "family": "Does not apply"},
    "not_known": {"worker": "Not known", "family": "Not known yet"},
    "recorded_elsewhere": {"worker": "Recorded elsewhere", "family": "Written down somewhere else"},
    "not_yet_asked": {"worker": "Not yet asked", "family": "Not asked yet"},
}
BLANK_WORDS = {"worker": "Not answered", "family": "Not answered yet"}
# The family's plain words in Welsh, for a Welsh copy (the worker's and court's are English).
ABSENT_WORDS_CY = {
    "not_applicable": "Ddim yn berthnasol",
    "not_known": "Ddim yn gwybod eto",
    "recorded_elsewhere": "Wedi'i ysgrifennu yn rhywle arall",
    "not_yet_asked": "Heb ofyn eto",
}
BLANK_WORDS_CY = "Heb ei ateb eto"
Names = Mapping[tuple[str, int], str]  # (kind, id) → a person's or professional's name
Kind = Literal["value", "narrative", "absent", "blank", "rows"]


@dataclass(frozen=True)
class Shown:
    label: str
    kind: Kind
    text: str
    rows: tuple[tuple[tuple[str, str], ...], ...] = ()
    source: str | None = None  # "from Referral and information, 3 November 2026"
    own_words: bool = False  # someone's own words as typed (fieldtypes: own_words)
    own_words_columns: tuple[bool, ...] = ()  # the same, per column of the rows


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
    voice: Voice | None = None,
    lang: str = "en",
) -> Shown:
    """The label and the answer as the reader should see them (in a child's age band's
    `voice`, and in Welsh where the YAML has it when `lang` is cy)."""
    say = _Say(audience, names or {}, child, voice, lang)
    label = say.words(item.label, item.label_cy)
    if not isinstance(answer, Mapping) or ("value" not in answer and "absent" not in answer):
        return Shown(label, "blank", say.blank())
    typed = _typed(answer)
    if "absent" in answer:
        words = say.absent(answer["absent"])
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
        rows = tuple(_row(exemplar, item, row, say) for row in value or [])
        own = tuple(kind_of(c.type).own_words for c in _columns(item, say))
        return Shown(label, "rows", "" if rows else say.blank(), rows, source, False, own)
    text = say.value(exemplar, item, value)
    return Shown(label, shown_as, text, source=source, own_words=kind_of(item.type).own_words)


@dataclass(frozen=True)
class _Say:
    """One reader's words for one printout: whose forms, which language, whose names."""

    audience: Audience
    names: Names
    child: str | None
    voice: Voice | None
    lang: str

    def words(self, text: Text | None, welsh: Text | None = None) -> str:
        return in_language(
            text, welsh, self.audience, lang=self.lang, child=self.child, voice=self.voice
        )

    def plain(self) -> str:
        return plain_reader(self.audience)

    def blank(self) -> str:
        welsh = self.lang == "cy" and self.plain() == "family"
        return BLANK_WORDS_CY if welsh else BLANK_WORDS[self.plain()]

    def absent(self, code: str) -> str:
        if self.lang == "cy" and self.plain() == "family":
            return ABSENT_WORDS_CY.get(code, ABSENT_WORDS_CY["not_known"])
        return ABSENT_WORDS.get(code, ABSENT_WORDS["not_known"])[self.plain()]

    def value(self, exemplar: Exemplar, item: FieldDef, value: Any) -> str:
        if _empty(value):
            return self.blank()
        words = partial(text_for, audience=self.audience, child=self.child, voice=self.voice)
        return shown_value(item, value, Reading(exemplar, words, self.names, self.lang))


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
    return _Say(audience, names, child, None, "en").value(exemplar, item, value)


def _row(
    exemplar: Exemplar, item: FieldDef, row: Mapping[str, Any], say: _Say
) -> tuple[tuple[str, str], ...]:
    return tuple(
        (say.words(column.label, column.label_cy), _cell(exemplar, column, row.get(column.id), say))
        for column in _columns(item, say)
    )


def _columns(item: FieldDef, say: _Say) -> list[FieldDef]:
    # A column written for other readers (a plan line's area and dimension codes, for the
    # worker and the court) is left out of this reader's rows, as a field would be; a reader
    # with its own wording (the child) reads only the columns worded for it.
    reads = reader(say.audience).reads_fields_for
    return [
        c
        for c in item.fields or []
        if (c.audiences is None or any(name in c.audiences for name in reads))
        and own_wording(c.label, say.audience)
    ]


def _cell(exemplar: Exemplar, column: FieldDef, value: Any, say: _Say) -> str:
    # An empty cell stays empty for a reader who is not shown unanswered questions: a family's
    # plan never reads "Not answered yet" in every row.
    if _empty(value) and reader(say.audience).leaves_out_unanswered:
        return ""
    return say.value(exemplar, column, value)


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
