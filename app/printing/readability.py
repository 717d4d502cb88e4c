"""How hard a text is to read: a reading age, the long sentences and the jargon, as a hint.

Flesch-Kincaid grade from words, sentences and syllables (pyphen's en_GB dictionary, shipped with
the package: nothing is downloaded). A UK reading age is the US grade plus five.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pyphen

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n{2,}|\n(?=[-•*])")
LONG_SENTENCE = 20


@dataclass(frozen=True)
class Readability:
    reading_age: float
    grade: float
    words: int
    sentences: int
    long_sentences: tuple[str, ...]
    jargon: tuple[str, ...]


@lru_cache(maxsize=1)
def _dictionary() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_GB")


def syllables(word: str) -> int:
    """Syllables in one word: hyphenation points plus one, and never fewer than one."""
    cleaned = word.lower().strip("'’-")
    if not cleaned:
        return 0
    return max(1, len(_dictionary().positions(cleaned)) + 1)


def sentences_of(text: str) -> list[str]:
    return [part.strip() for part in SENTENCE_END.split(text) if WORD.search(part)]


def measure(text: str, *, terms: Iterable[str] = ()) -> Readability:
    """Reading age and hints for `text`; `terms` are the glossary's words to flag as jargon."""
    sentences = sentences_of(text)
    words = WORD.findall(text)
    if not words:
        return Readability(0.0, 0.0, 0, 0, (), ())
    count = max(len(sentences), 1)
    grade = 0.39 * len(words) / count + 11.8 * sum(map(syllables, words)) / len(words) - 15.59
    long = tuple(s for s in sentences if len(WORD.findall(s)) > LONG_SENTENCE)
    lowered = text.lower()
    jargon = tuple(sorted({term for term in terms if term.lower() in lowered}))
    return Readability(round(grade + 5, 1), round(grade, 1), len(words), count, long, jargon)
