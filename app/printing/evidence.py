"""A record's answers as evidence for the court: prose where the worker wrote prose, facts in
small tables where they picked or typed a short answer, nothing where they left a question blank.

A judge reads numbered paragraphs (PD22A); a form read aloud ("88. Authorised", "Not answered")
is not evidence. So a narrative becomes paragraphs, each numbered by the one counter the statement
keeps; a short answer becomes a row of a facts table (question, answer); a narrative too short to
stand as a paragraph joins the facts; and a blank answer is left out, its absence being no fact.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from app.engine.display import BLANK_WORDS
from app.printing.document import Answer, PrintDocument, Section

SHORTEST_PARAGRAPH = 5  # words: anything shorter reads as a form's answer, so it goes in a table
BLANK = frozenset(BLANK_WORDS.values())
WIDEST_TABLE = 5  # columns: a wider table squeezed onto A4 breaks every word, so rows print apart


@dataclass(frozen=True)
class Block:
    """One piece of a part: numbered paragraphs under a lead-in, a facts table, or a table."""

    kind: Literal["paragraphs", "facts", "table"]
    lead: str = ""
    paragraphs: tuple[str, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()  # (question, answer)
    rows: tuple[tuple[tuple[str, str], ...], ...] = ()

    @property
    def wide(self) -> bool:
        return bool(self.rows) and len(self.rows[0]) > WIDEST_TABLE


@dataclass(frozen=True)
class Part:
    """One exemplar section's evidence under one heading."""

    title: str
    blocks: tuple[Block, ...]
    source: str = ""  # the record it comes from, in a statement compiled from several


@dataclass(frozen=True)
class Heading:
    code: str
    number: int
    title: str
    parts: tuple[Part, ...] = field(default=())


def arrange(document: PrintDocument, titles: dict[str, str]) -> list[Heading]:
    """Every SWET heading in order, numbered as a section, with the evidence placed under it."""
    return [
        Heading(code, number, title, tuple(_parts(document.sections, code)))
        for number, (code, title) in enumerate(titles.items(), start=1)
    ]


def _parts(sections: Iterable[Section], code: str) -> Iterable[Part]:
    for section in sections:
        placed = [a for a in section.answers if (a.court_heading or section.court_heading) == code]
        blocks = _blocks(placed)
        if blocks:
            yield Part(section.title, tuple(blocks), section.source)


def _blocks(answers: list[Answer]) -> list[Block]:
    """Answers in their order; declared sentences gather into one paragraph, other short
    answers into one facts table, placed where the first of them was."""
    blocks: list[Block] = []
    facts: list[tuple[str, str]] = []
    sentences: list[str] = []
    for answer in answers:
        block = _block(answer)
        if block is None:
            continue
        if answer.sentence:
            if not sentences:
                blocks.append(Block("paragraphs"))  # its place, filled in below
            sentences.append(answer.sentence)
        elif block.kind == "facts":
            if not facts:
                blocks.append(Block("facts"))
            facts.extend(block.facts)
        else:
            blocks.append(block)
    return [_filled(block, facts, sentences) for block in blocks]


def _filled(block: Block, facts: list[tuple[str, str]], sentences: list[str]) -> Block:
    """A placeholder for the facts table or the paragraph of sentences, filled in; the lint
    holds each sentence to five words, so the paragraph is never a stub."""
    if block.kind == "facts" and not block.facts:
        return Block("facts", facts=tuple(facts))
    if block.kind == "paragraphs" and not block.paragraphs:
        return Block("paragraphs", paragraphs=(" ".join(sentences),))
    return block


def _block(answer: Answer) -> Block | None:
    if answer.kind == "blank":
        return None
    if answer.kind == "rows":
        rows = tuple(tuple((label, _cell(text)) for label, text in row) for row in answer.rows)
        return Block("table", lead=answer.label, rows=rows) if rows else None
    text = (answer.text or "").strip()
    if not text or text in BLANK:
        return None
    if answer.kind == "narrative":
        paragraphs = _joined(_split(text))
        if _words(" ".join(paragraphs)) >= SHORTEST_PARAGRAPH:
            return Block("paragraphs", lead=answer.label, paragraphs=tuple(paragraphs))
    return Block("facts", facts=((answer.label, " ".join(text.split())),))


def _cell(text: str) -> str:
    """A table cell nobody filled is empty, not "Not answered"."""
    return "" if text in BLANK else text


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split("\n\n") if part.strip()]


def _joined(paragraphs: list[str]) -> list[str]:
    """A paragraph too short to number joins the one before it (or, first, the one after)."""
    joined: list[str] = []
    for paragraph in paragraphs:
        too_short = min(_words(paragraph), _words(joined[-1]) if joined else 99)
        if joined and too_short < SHORTEST_PARAGRAPH:
            joined[-1] = f"{joined[-1]} {paragraph}"
        else:
            joined.append(paragraph)
    return joined


def _words(text: str) -> int:
    return len(text.split())
