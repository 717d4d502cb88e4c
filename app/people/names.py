"""Names as search compares them: folded to plain letters, what they sound like, how alike two are.

A person row keeps its folded name and its sounds (set on every insert and update, see
people/models.py) so the database's own text index — pg_trgm on PostgreSQL, FTS5 trigrams on
SQLite — finds the candidates; `likeness` ranks them the same way on both.
"""

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import jellyfish
from rapidfuzz import fuzz

# A name that sounds the same ("Carrie" for "Kerry", "Welsh" for "Walsh") counts as this alike.
SOUNDS_ALIKE = 0.85


def fold(text: str) -> str:
    """Lower case, accents and punctuation removed: "O'Neill-Smith" ~ "o neill smith"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join("".join(c if c.isalnum() else " " for c in plain.lower()).split())


@lru_cache(maxsize=65536)  # a search ranks hundreds of names made of the same few thousand words
def sound(word: str) -> str:
    """What a folded word sounds like (metaphone): "kerry" and "carrie" are both "KR"."""
    return jellyfish.metaphone(word) if word.isalpha() else word.upper()


def sounds(folded: str) -> str:
    """The sounds of every word, each between spaces, so " KR " is found as a whole word."""
    keys = dict.fromkeys(sound(word) for word in folded.split())
    return f" {' '.join(key for key in keys if key)} " if keys else ""


def search_name(given_names: str | None, family_name: str | None, known_as: str | None) -> str:
    return fold(" ".join(part for part in (known_as, given_names, family_name) if part))


def likeness(wanted: Iterable[str], folded: str) -> float:
    """How alike a search is to a name, 0 to 1: each word searched against its best match."""
    names = folded.split()
    per_word = [max((_word_likeness(w, n) for n in names), default=0.0) for w in wanted]
    return sum(per_word) / len(per_word) if per_word else 0.0


def _word_likeness(wanted: str, name: str) -> float:
    alike = fuzz.ratio(wanted, name) / 100
    if wanted.isalpha() and len(wanted) > 1 and sound(wanted) == sound(name):
        return max(alike, SOUNDS_ALIKE)
    return alike
