"""Readers as a table: what differs between the worker, the family, the child, the court and the
child's carer.

The table is exemplars/readers.yaml, one row per reader, read and checked by the loader like every
other file there (a mistake is an error at file:line) and installed when a library loads. Code
never tests a reader's name; it asks `reader(audience)` for the row and reads a column.

Why an installed table rather than passing rows around: `text_for` picks a reader's words from
every corner of the app (pages, services, printouts) with only the reader's name at hand, and
threading a row through all of those calls would change every caller for no gain. So the loader
installs the table it loaded, and a process that asks before any library has loaded (a unit test,
a script rendering a printout) loads the configured exemplars folder's readers.yaml once. There
is still one source of truth, the YAML file; there is no copy of it in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from app.config import get_settings
from app.engine.yamlfile import ExemplarErrors, Problem, display, plain, read, validate

if TYPE_CHECKING:
    from app.engine.definitions import Text

Audience = Literal["worker", "family", "child", "court", "carer"]
AUDIENCES: tuple[Audience, ...] = ("worker", "family", "child", "court", "carer")
# The forms a text may be written in: one per reader, and a young child's (an age band's).
Form = Literal["worker", "family", "child", "young_child", "court", "carer"]
FILE_NAME = "readers.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AgeBand(_Strict):
    """Words for a reader of one age: a child younger than `under` (in whole years, at the
    record's date) reads the forms in `labels_from` and the `name` wording of their printout."""

    name: Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")]
    under: int = Field(ge=1, le=30)
    labels_from: list[Form] = Field(min_length=1)


class Reader(_Strict):
    """One reader's row: whose words they read, what they see, what their printout carries."""

    # Who a copy is made for: a named person in the child's network (family copies are for
    # someone: "Kerry Walsh's copy"), the child, or no one in particular (the worker, the court).
    copy_for: Literal["person", "child", "none"]
    leaves_out_unanswered: bool  # unanswered questions are left out, never "Not answered yet"
    labels_from: list[Form] = Field(min_length=1)
    # A reader with its own wording (the child) reads only the fields, columns and sections the
    # exemplar words for it in one of these forms: the rest is written for adults.
    own_wording: list[Form] = []
    # The people around the child: each with their pen-picture, or only their names and who
    # they are to the child (the child's copy: what adults wrote about each other is not theirs).
    pen_pictures: Literal["full", "names"] = "full"
    # Age bands, youngest first; a reader older than all of them, or of unknown age, reads the
    # last. No bands: one wording for every age.
    age_bands: list[AgeBand] = []
    plain_words: Literal["worker", "family"]
    reads_fields_for: list[Audience] = Field(min_length=1)
    sees_provenance: bool
    sees_unchecked_dictation: bool
    sees_confidential_addresses: bool
    sees_where_recorded: bool
    glossary: bool
    chronology: bool
    family_diagram: bool
    court_statement: bool
    readability_hint: bool
    # Page 1 says what matters in plain words (the exemplar's `summary:`), then the detail,
    # without what the summary said and what the summary leaves out for length.
    summary_first: bool
    # The parts of each pen-picture this reader's printout shows (those a recipient may read).
    pen_picture_parts: list[
        Literal["who_they_are", "what_they_are_like", "strengths", "worries", "how_to_talk"]
    ] = Field(min_length=1)
    # Which attachments the printout shows: every one, those marked for the family or for the
    # child when uploaded, or none.
    attachments_marked_for: Literal["any", "family", "child", "none"]
    # Which recorded disagreements print beside the record: every one (the worker, the court),
    # or only those its own recipient sent back (another adult's reply is theirs, not this
    # reader's to read).
    disagreements_shown: Literal["all", "own"]
    printout: Annotated[str, StringConstraints(pattern=r"^[a-z_]+/[a-z_]+\.html$")]
    marking: str

    @model_validator(mode="after")
    def _falls_back_to_worker(self) -> Reader:
        # Every text has worker words (a plain string is one), so ending there means no reader
        # is ever left with a blank label.
        for forms in [self.labels_from, *(band.labels_from for band in self.age_bands)]:
            if forms[-1] != "worker":
                raise ValueError("labels_from must end with worker, whose words every text has")
        ages = [band.under for band in self.age_bands]
        if ages != sorted(set(ages)):
            raise ValueError("age_bands go from the youngest up, each `under` a higher age")
        return self


class ReaderTable(_Strict):
    readers: dict[Audience, Reader]

    @model_validator(mode="after")
    def _every_reader(self) -> ReaderTable:
        missing = [name for name in AUDIENCES if name not in self.readers]
        if missing:
            raise ValueError(f"every reader needs a row; missing: {', '.join(missing)}")
        return self


_installed: ReaderTable | None = None


def install(table: ReaderTable) -> None:
    """Make `table` the one `reader` answers from (the loader calls this with what it loaded)."""
    global _installed
    _installed = table


def installed() -> ReaderTable:
    if _installed is None:
        install(_load_configured())
    assert _installed is not None
    return _installed


def reader(audience: Audience) -> Reader:
    """The row of readers.yaml for one reader."""
    return installed().readers[audience]


def _load_configured() -> ReaderTable:
    return load(Path(get_settings().exemplars_dir) / FILE_NAME)


def load(path: Path) -> ReaderTable:
    """The readers table in one file, or ExemplarErrors naming each problem at its line."""
    where = display(path)
    if not path.exists():
        raise ExemplarErrors([Problem(where, 1, 1, "the readers table is missing")])
    document = read(path, where)
    table, problems = validate(document, ReaderTable, plain(document.data))
    if table is None:
        raise ExemplarErrors(problems)
    return table


# A reader's words ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Voice:
    """The forms one printout's texts are read in, first found wins: the reader's, or for a
    child the age band's; `band` names the band's fixed wording ("" with no bands)."""

    forms: tuple[Form, ...]
    band: str = ""


def voice(audience: Audience, *, age: int | None = None) -> Voice:
    """The reader's voice for someone of `age` (readers.yaml: labels_from, age_bands)."""
    row = reader(audience)
    if not row.age_bands:
        return Voice(tuple(row.labels_from))
    fitting = [b for b in row.age_bands if age is not None and age < b.under]
    band = fitting[0] if fitting else row.age_bands[-1]
    return Voice(tuple(band.labels_from), band.name)


def own_wording(text: Text | None, audience: Audience) -> bool:
    """Whether the text is worded for this reader (always, for a reader with no own wording)."""
    own = reader(audience).own_wording
    return not own or any(
        text is not None and not isinstance(text, str) and getattr(text, f) for f in own
    )


def text_for(
    text: Text | None, audience: Audience, *, child: str | None = None, voice: Voice | None = None
) -> str:
    """The words for one reader, the first form found in its `labels_from` (readers.yaml), or
    in `voice`'s forms when given (a child's age band)."""
    if text is None:
        return ""
    if isinstance(text, str):
        chosen = text
    else:
        names = voice.forms if voice else reader(audience).labels_from
        forms = (getattr(text, name) for name in names)
        chosen = next((form for form in forms if form), "")
    return chosen.replace("{child}", child) if child else chosen


def in_language(
    text: Text | None,
    welsh: Text | None,
    audience: Audience,
    *,
    lang: str,
    child: str | None = None,
    voice: Voice | None = None,
) -> str:
    """Welsh words where the YAML has them for this reader (cy), otherwise the English."""
    if lang == "cy" and welsh is not None:
        chosen = text_for(welsh, audience, child=child, voice=voice)
        if chosen:
            return chosen
    return text_for(text, audience, child=child, voice=voice)


def has_form(text: Text | None, audience: Audience) -> bool:
    """True when the text was written for this reader (a plain string is written for all)."""
    return isinstance(text, str) or (text is not None and getattr(text, audience) is not None)
