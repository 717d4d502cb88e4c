"""The court statement's headings (SWET), listed once in printouts/court/court.yaml.

The engine reads them so that a section naming a heading the statement does not have is an error
at its file and line, like any other mistake in an exemplar, and so the lint can say which
headings an exemplar that goes to court leaves with nothing under them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ruamel.yaml import YAML

from app.config import ROOT
from app.engine.library import Library
from app.engine.readers import reader

COURT_FILE = ROOT / "printouts" / "court" / "court.yaml"


@dataclass(frozen=True)
class CourtHeadings:
    titles: dict[str, str]  # code → words, in the statement's order
    filled_by_the_statement: frozenset[str]

    @property
    def fed(self) -> list[str]:
        """The codes a section may name: every heading the statement does not fill itself."""
        return [code for code in self.titles if code not in self.filled_by_the_statement]


@lru_cache(maxsize=4)
def headings(path: Path = COURT_FILE) -> CourtHeadings:
    loaded = YAML(typ="safe").load(path.read_text())
    titles = {str(code): str(title) for code, title in loaded["headings"].items()}
    filled = frozenset(str(code) for code in loaded.get("filled_by_the_statement", []))
    return CourtHeadings(titles=titles, filled_by_the_statement=filled)


def unfed(fed_codes: Iterable[str | None]) -> list[str]:
    """The headings nothing in `fed_codes` feeds, in the statement's order."""
    fed = set(fed_codes)
    return [code for code in headings().fed if code not in fed]


def unfed_warnings(library: Library) -> list[str]:
    """For each exemplar that goes to court, the headings none of its sections or fields feed."""
    found = []
    for exemplar in library.current():
        audiences = exemplar.definition.audiences
        if not any(reader(audience).court_statement for audience in audiences):
            continue
        sections = exemplar.definition.sections
        codes = [s.court_heading for s in sections]
        codes += [f.court_heading for s in sections for f in s.fields]
        missing = unfed(codes)
        if missing:
            words = ", ".join(f"'{headings().titles[code]}'" for code in missing)
            found.append(f"{exemplar.file}: warning: goes to court but feeds no heading {words}")
    return found
