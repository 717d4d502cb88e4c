"""Which glossary terms a text uses, by whole words: one matcher for the printouts and the lint.

"PA" must not be found inside "paediatric", nor "CIN" inside "medicine": a term matches only as
whole words, in any case for an ordinary word, exactly for one written in capitals (an
abbreviation), and with a plural or possessive ending ("assessments", "the IRO's").
"""

import re
from collections.abc import Iterable
from functools import lru_cache

from app.engine.definitions import Glossary, GlossaryTerm

# Capitals of two letters or more, with digits allowed after the first: SENCO, EHC, s47 is not one.
ABBREVIATION = re.compile(r"(?<![\w'’-])[A-Z][A-Z0-9]{1,}s?(?![\w'’-])")


@lru_cache(maxsize=2048)
def _pattern(words: str) -> re.Pattern[str]:
    spaced = r"\s+".join(re.escape(part) for part in words.split())
    flags = 0 if words.upper() == words and any(c.isalpha() for c in words) else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){spaced}(?:s|es|'s|’s)?(?![\w-])", flags)


def uses(text: str, words: str) -> bool:
    """Whether `text` uses `words` as whole words (a term or one of its aliases)."""
    return bool(words.strip()) and _pattern(words.strip()).search(text) is not None


def names(term: GlossaryTerm) -> tuple[str, ...]:
    return (term.term, *term.aliases)


def terms_in(glossary: Glossary, text: str) -> list[GlossaryTerm]:
    """The glossary's terms that `text` uses (by the term or an alias), in the glossary's order."""
    return [term for term in glossary.terms if any(uses(text, name) for name in names(term))]


def unexplained(glossary: Glossary, text: str) -> list[str]:
    """Abbreviations in `text` that no glossary term or alias explains (SENCO, EHC...)."""
    found: list[str] = []
    for match in ABBREVIATION.finditer(text):
        word = match.group(0)
        if word not in found and not _explained(glossary, word):
            found.append(word)
    return found


def _explained(glossary: Glossary, word: str) -> bool:
    bare = word[:-1] if word.endswith("s") and word[:-1].isupper() else word
    return any(uses(bare, name) or uses(word, name) for name in _all_names(glossary.terms))


def _all_names(terms: Iterable[GlossaryTerm]) -> Iterable[str]:
    for term in terms:
        yield from names(term)
