"""The exemplar language as pydantic models: what a YAML file may say, and nothing else.

Every model forbids unknown keys, so a typo in a YAML file is an error with a line number rather
than a field that silently does nothing. exemplars/README.md documents the same language for people.
"""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from app.engine.fieldtypes import FieldType as FieldType
from app.engine.fieldtypes import kind_of
from app.engine.readers import AUDIENCES as AUDIENCES
from app.engine.readers import Audience as Audience
from app.engine.readers import has_form as has_form
from app.engine.readers import in_language as in_language
from app.engine.readers import text_for as text_for

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=80)]
Condition = Annotated[str, StringConstraints(min_length=1, max_length=1000)]
# What a sign-off field holds; the server fills it when the manager approves or returns.
SignOffPart = Literal["who", "role", "when", "decision", "comment"]
SIGN_OFF_TYPES: dict[str, tuple[str, ...]] = {
    "who": ("text",),
    "role": ("text",),
    "when": ("date",),
    "decision": ("choice",),
    "comment": ("narrative", "text"),
}
# The code a `decision` field is given by each step: its options must include both.
SIGN_OFF_DECISIONS = {"approve": "authorised", "return": "returned"}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class TextForms(Strict):
    """One text in the words of each reader; a missing form falls back (see text_for)."""

    worker: str | None = None
    family: str | None = None
    child: str | None = None
    # A young child's words (readers.yaml's age bands): "Who helps you" beside the child's
    # "What grown-ups are doing to help you".
    young_child: str | None = None
    court: str | None = None
    carer: str | None = None


Text = str | TextForms


class Option(Strict):
    code: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    label: Text
    label_cy: Text | None = None


class Codelist(Strict):
    title: str
    options: list[Option] = Field(min_length=1)


class GlossaryTerm(Strict):
    term: str
    term_cy: str | None = None
    aliases: list[str] = []
    explanation: str
    explanation_cy: str | None = None


class Glossary(Strict):
    terms: list[GlossaryTerm]


class Prefill(Strict):
    """Where a field's first value comes from: a fact about the child, an earlier record, or the
    meeting a record was started from.

    A group filled from rows with other columns (a plan's lines from an assessment's needs, a
    household from the family's people) says which of its columns takes which of theirs:
    `columns: {need: need, person: person}`; columns it does not name start empty.
    `otherwise:` names the next source to try when this one has nothing."""

    source: Literal["child", "case", "family", "record", "meeting", "placement"] = Field(
        alias="from"
    )
    attribute: Identifier | None = None
    exemplar: Identifier | None = None
    field: Identifier | None = None
    columns: dict[Identifier, Identifier] | None = Field(default=None, min_length=1)
    # Where to look when this source has nothing: a review's date from the meeting it was started
    # from, otherwise the date the plan set.
    otherwise: "Prefill | None" = None

    @model_validator(mode="after")
    def _one_kind_of_source(self) -> "Prefill":
        if self.source == "record" and not (self.exemplar and self.field):
            raise ValueError("pre-fill from a record needs both 'exemplar' and 'field'")
        if self.source != "record" and not self.attribute:
            raise ValueError(f"pre-fill from {self.source} needs an 'attribute'")
        return self


# What another adult's private life is made of: an answer on one of these topics is withheld from
# a family copy unless its reader is entitled to it (printouts/family/recipients.yaml says who).
PrivateTopic = Literal[
    "health", "mental_health", "substances", "money", "offending", "whereabouts",
    "relationships", "behaviour",
]  # fmt: skip


class RowsWhere(Strict):
    """Only the rows of a group whose `column` holds one of `codes` are private."""

    column: Identifier
    codes: list[str] = Field(min_length=1)


class Private(Strict):
    """An answer about adults' private lives: about `household` (the adults the child lives
    with may read it) or any `adults` (only a copy the worker releases it to)."""

    topics: list[PrivateTopic] = Field(min_length=1)
    about: Literal["adults", "household"] = "adults"
    rows_where: RowsWhere | None = None


class AnonymousSource(Strict):
    """Fields naming someone who may ask not to be named to the family (a referrer): unless the
    yes_no field `named_if` says yes, any free-text answer holding their name or address is
    flagged before a family copy prints."""

    name: Identifier
    address: Identifier | None = None
    named_if: Identifier


class FieldDef(Strict):
    id: Identifier
    type: FieldType
    label: Text
    label_cy: Text | None = None
    hint: Text | None = None
    guidance: str | None = None
    required: bool = False
    required_if: Condition | None = None
    show_if: Condition | None = None
    when_hidden: Literal["keep", "clear"] = "keep"
    audiences: list[Audience] | None = None
    author_only: bool = False
    # In a sibling group, typed for one child and offered to the others as a pre-fill marked
    # with its source, kept or changed per child: the day of a shared event, a decision made for
    # them together. Never for what is only about one child (whether they were seen).
    offer_to_siblings: bool = False
    census: str | None = None
    prefill: Prefill | None = None
    qualifier: bool = False
    options: list[Option] | None = None
    codelist: Identifier | None = None
    min: float | None = None
    max: float | None = None
    fields: list["FieldDef"] | None = None
    min_rows: int | None = Field(default=None, ge=0)
    max_rows: int | None = Field(default=None, ge=1, le=500)
    earliest_year: int | None = Field(default=None, ge=1850, le=2100)  # dates: default 1990
    years_ahead: int | None = Field(default=None, ge=0, le=100)  # dates: default 5 from today
    signed_off_by: Literal["manager"] | None = None  # filled at sign-off, never by the author
    holds: SignOffPart | None = None
    court_heading: Identifier | None = None  # this answer's own heading, not its section's
    private: list[Private] | None = None  # about adults' private lives: see Private
    # The answer as a sentence of evidence, per code ("yes", an option) or "answered" for any:
    # "{child} was seen alone." The court statement joins such sentences into paragraphs.
    court_sentence: (
        dict[str, Annotated[str, StringConstraints(min_length=1, max_length=300)]] | None
    ) = None

    @model_validator(mode="after")
    def _sign_off_fits(self) -> "FieldDef":
        if (self.signed_off_by is None) != (self.holds is None):
            raise ValueError("'signed_off_by' and 'holds' go together")
        if self.holds is None:
            return self
        if self.type not in SIGN_OFF_TYPES[self.holds]:
            wanted = " or ".join(SIGN_OFF_TYPES[self.holds])
            raise ValueError(f"a sign-off field holding '{self.holds}' must be {wanted}")
        if self.required or self.required_if or self.author_only or self.prefill:
            raise ValueError(
                "a sign-off field is filled by the server: it cannot be required, author_only"
                " or pre-filled"
            )
        return self

    @model_validator(mode="after")
    def _keys_fit_type(self) -> "FieldDef":
        kind = kind_of(self.type)
        if kind.takes_options and not (self.options or self.codelist):
            raise ValueError(f"a {self.type} field needs 'options' or 'codelist'")
        if not kind.takes_options and (self.options or self.codelist):
            raise ValueError(f"only choice fields take options; this field is {self.type}")
        if kind.has_columns != bool(self.fields):
            raise ValueError(
                "a group field needs 'fields' (its columns), and only a group has them"
            )
        if self.qualifier and not kind.takes_qualifier:
            raise ValueError("'qualifier' belongs to yes_no fields")
        return self


class WrittenBy(Strict):
    """Whose section this is: only these roles write it (the independent reviewing officer's
    record of a looked-after review), when the condition holds (a CIN review's chair may be the
    worker's own manager, so the rule names its variant)."""

    roles: list[Identifier] = Field(min_length=1)
    when: Condition | None = None


class Section(Strict):
    id: Identifier
    title: Text
    title_cy: Text | None = None
    guidance: str | None = None
    show_if: Condition | None = None
    shared: bool = False
    # Where the section goes in a court statement: a heading code of printouts/court/court.yaml.
    court_heading: Identifier | None = None
    written_by: WrittenBy | None = None
    fields: list[FieldDef] = Field(min_length=1)


class Timescale(Strict):
    working_days: int = Field(ge=1, le=365)
    clock_start: Identifier
    rule: str | None = None


DueUnit = Literal["working_days", "days", "weeks", "months"]


class DueRule(Strict):
    """What a record starts the clock for: the next review, meeting or visit, counted from one
    of its date answers. Rules of one `series` supersede each other: the latest clock start in
    the series sets what is due, so a review held (or a child seen) stops the earlier clock."""

    id: Identifier
    series: Identifier
    what: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    clock_start: Identifier  # the date answer the clock starts from (the event, not the form)
    length: int | None = Field(default=None, ge=1, le=400)
    unit: DueUnit | None = None
    due_on: Identifier | None = None  # a date answer that sets the due date itself (a plan's)
    when: Condition | None = None  # over the record's answers and the case's facts
    occurrence: Literal["any", "first", "later"] = "any"  # of this rule's records in the case
    rule: Annotated[str, StringConstraints(min_length=1, max_length=300)]

    @model_validator(mode="after")
    def _counted_or_set(self) -> "DueRule":
        counted = self.length is not None and self.unit is not None
        if counted == (self.due_on is not None):
            raise ValueError("give either length and unit, or due_on (a date answer)")
        return self


class Outcomes(Strict):
    field: Identifier
    leads_to: dict[str, list[Identifier]]


ChronologyKind = Literal[
    "contact",
    "referral",
    "assessment",
    "strategy",
    "enquiry",
    "conference",
    "plan",
    "review",
    "case_note",
    "closure",
]
Significance = Literal["high", "medium", "low"]
SIGNIFICANCES: tuple[Significance, ...] = ("high", "medium", "low")


class Chronology(Strict):
    """The event a record is about: the answer holding its date and the line it adds to the
    child's chronology, written over the record's own answers ("{field_id}" is that answer)."""

    date: Identifier
    line: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    kind: ChronologyKind
    significance: Significance = "medium"
    when: Condition | None = None  # a case note is in the chronology only when marked significant


class Visit(Strict):
    """When a note is a visit (`when`), and the yes/no answers saying whether the child was seen
    and seen alone: the child's timeline shows "Seen", "Seen alone" or "Not seen"."""

    when: Condition | None = None
    seen: Identifier
    seen_alone: Identifier | None = None


class Timeline(Strict):
    """Every record of this exemplar is an entry on the child's timeline (case notes, visits),
    dated by an answer and written as a line over the record's answers, as a chronology line."""

    date: Identifier
    line: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    visit: Visit | None = None


class CloseCase(Strict):
    """Finalising closes the child's case, with the reason (and date) from these answers."""

    reason: Identifier
    closed_on: Identifier | None = None


class OnFinalise(Strict):
    """What finalising this record does to the child's case."""

    close_case: CloseCase | None = None
    legal_status: Identifier | None = None  # a choice field on the legal_status code list


class Summary(Strict):
    """Page 1 of a family copy, in Signs of Safety's order: the fields whose answers feed each
    heading (the printout names who to contact and how to complain from settings)."""

    worried: list[Identifier] = Field(default=[], max_length=10)
    working_well: list[Identifier] = Field(default=[], max_length=10)
    needs_to_happen: list[Identifier] = Field(default=[], max_length=10)
    happens_next: list[Identifier] = Field(default=[], max_length=10)
    # Fields or whole sections a copy that starts with the summary leaves out, so it stays short
    # enough to read (the worker's copy has them; the family may ask for it).
    leaves_out: list[Identifier] = Field(default=[], max_length=300)


SUMMARY_HEADINGS = ("worried", "working_well", "needs_to_happen", "happens_next")


class Definition(Strict):
    id: Identifier
    version: int = Field(ge=1)
    title: Text
    title_cy: Text | None = None
    purpose: str
    audiences: list[Audience] = ["worker"]
    completed_by: list[str] = []
    signed_by: list[str] = []
    timescale: Timescale | None = None
    due_next: list[DueRule] = []
    scope: Literal["child", "sibling_group"] = "child"
    retired: bool = False
    sections: list[Section] = Field(min_length=1)
    outcomes: Outcomes | None = None
    chronology: Chronology | None = None
    timeline: Timeline | None = None
    on_finalise: OnFinalise | None = None
    anonymous_source: AnonymousSource | None = None
    summary: Summary | None = None  # what page 1 of a family copy says first
