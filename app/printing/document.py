"""One printout as plain data, independent of the database: what the templates render."""

from base64 import b64encode
from dataclasses import dataclass
from datetime import date
from typing import Literal

from app.engine.definitions import Audience


@dataclass(frozen=True)
class Answer:
    """One question and its answer, as the reader will see it."""

    label: str
    text: str | None = None
    kind: Literal["value", "narrative", "absent", "blank", "rows"] = "value"
    rows: tuple[tuple[tuple[str, str], ...], ...] = ()  # rows of (column label, text)
    source: str | None = None  # "from Referral and information, 3 November 2026"
    court_heading: str | None = None  # the answer's own SWET heading, when not its section's
    sentence: str | None = None  # the answer as a sentence of evidence (court_sentence)
    field: str = ""  # the field it answers: how the summary finds it
    # Someone's own words, as typed: a Welsh copy tags them lang="en" (per column for rows).
    own_words: bool = False
    own_words_columns: tuple[bool, ...] = ()


@dataclass(frozen=True)
class Section:
    """A titled group of answers; court_heading places it in the SWET statement."""

    title: str
    answers: tuple[Answer, ...]
    court_heading: str = "harm"
    source: str = ""  # a compiled statement's "From the core assessment completed on …"


@dataclass(frozen=True)
class ChronologyEntry:
    """One dated event, naming the record it comes from."""

    date: str
    event: str
    source: str
    significance: str = ""


@dataclass(frozen=True)
class PenPicture:
    """A short description of someone in the child's life."""

    name: str
    relationship: str
    text: str


@dataclass(frozen=True)
class GlossaryTerm:
    """A word the printout uses, explained plainly."""

    term: str
    explanation: str
    english: bool = False  # a Welsh copy's term with no Welsh yet: tagged lang="en"


@dataclass(frozen=True)
class CourtDetails:
    """Front matter of a court statement: court, case, party, witness, statement number."""

    court: str
    case_number: str
    party: str  # "Applicant: <the council>"
    witness_name: str
    witness_role: str
    statement_number: int
    statement_date: date
    exhibits: tuple[str, ...] = ()
    applicant: str = ""  # the council, from settings
    respondents: tuple[str, ...] = ()  # "Kerry Walsh (mother)": parents and those with PR
    witness: "Witness | None" = None
    chronology_exhibit: str = ""  # a compiled statement exhibits the chronology at its end
    compiled_from: tuple[str, ...] = ()  # each record and version a compiled statement uses


@dataclass(frozen=True)
class Witness:
    """Who makes the statement, from their profile; `missing` names what the profile lacks."""

    name: str
    job_title: str = ""
    employer: str = ""
    work_address: str = ""
    qualifications: str = ""
    registration_number: str = ""
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Attached:
    """A drawing, letter or photo a record's answers name: an image printed, a PDF listed."""

    title: str
    description: str  # what it shows: the image's alternative text in the tagged PDF
    content_type: str
    data: bytes = b""  # an image's bytes; a PDF is listed by its title, not embedded

    @property
    def image_uri(self) -> str:
        return f"data:{self.content_type};base64," + b64encode(self.data).decode()


@dataclass(frozen=True)
class Disagreement:
    """A family's view of what is wrong, recorded beside the original and printed with it."""

    from_whom: str
    received_on: str  # "3 December 2026"
    text: str
    note: str = ""  # the worker's note when recording it


@dataclass(frozen=True)
class SummaryPart:
    """One heading of page 1 ("worried", "working_well"...) and the answers that feed it."""

    heading: str
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class Contact:
    """Who the family reaches, from the worker's profile and the council's settings."""

    worker: str
    job_title: str
    phone: str
    email: str
    office: str
    council: str


@dataclass(frozen=True)
class Complaints:
    """The council's route for a disagreement or a complaint (settings)."""

    phone: str
    email: str
    address: str
    web: str


@dataclass(frozen=True)
class Summary:
    """Page 1 of a family copy: the Signs of Safety headings, who to contact, how to complain."""

    parts: tuple[SummaryPart, ...]
    contact: Contact
    complaints: Complaints


@dataclass(frozen=True)
class PrintDocument:
    """Everything one printout shows, for one audience."""

    audience: Audience
    title: str
    child_name: str
    child_dob: str | None
    case_number: str
    record_status: str  # "Finalised 3 November 2026, version 2" or "DRAFT"
    author: str
    sections: tuple[Section, ...]
    pen_pictures: tuple[PenPicture, ...] = ()
    glossary: tuple[GlossaryTerm, ...] = ()
    court: CourtDetails | None = None
    chronology: tuple[ChronologyEntry, ...] = ()
    family_diagram: str = ""  # SVG built (and escaped) by app/printing/genogram.py
    family_diagram_text: str = ""  # the diagram in words: its alternative text
    large_print: bool = False
    welsh: bool = False
    band: str = ""  # a child's age band (readers.yaml): which of the child's wordings prints
    child_age: int | None = None
    reference: str = ""  # printout reference for the footer, e.g. "PR-000123"
    recipient: str = ""  # whose copy a family copy is: "Kerry Walsh's copy"
    recipient_name: str = ""
    refused: str = ""  # why no copy may be made for this recipient (nothing prints)
    attachments: tuple[Attached, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()
    reply_link: str = ""  # where the family can reply online, the reference appended
    summary: Summary | None = None  # page 1 of a family copy (readers.yaml: summary_first)

    @property
    def family_diagram_uri(self) -> str:
        """The diagram as an image, so the tagged PDF carries its words as the figure's alt."""
        return "data:image/svg+xml;base64," + b64encode(self.family_diagram.encode()).decode()
