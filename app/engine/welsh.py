"""How much of each exemplar's family wording has its Welsh, as `ics exemplars check` reports.

Family wording is every text a family or child copy can print from the exemplar: its title, the
titles of sections holding a field for them, those fields' labels, their columns' labels and
their options' labels. Each form a family or child reads (family, child, young_child, or a plain
string) counts once, and has its Welsh when `label_cy` / `title_cy` carries the same form (or is
a plain string). Counting is by the YAML because the lint runs without printing anything; the
tests hold printed Welsh copies to 100% from the PDFs themselves.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from app.engine.definitions import FieldDef, Text
from app.engine.library import Exemplar, Library

FAMILY_FORMS = ("family", "child", "young_child")
FAMILY_READERS = ("family", "child")


@dataclass(frozen=True)
class Share:
    exemplar_id: str
    welsh: int
    texts: int

    @property
    def percent(self) -> int:
        return round(100 * self.welsh / self.texts) if self.texts else 100


def shares(library: Library) -> list[Share]:
    """Each exemplar's (newest version's) family wording and how much of it has its Welsh."""
    found = []
    for exemplar_id in sorted({key[0] for key in library.exemplars}):
        exemplar = library.latest(exemplar_id)
        pairs = list(_family_texts(exemplar))
        welsh = sum(_welsh(english, cy) for english, cy in pairs)
        found.append(Share(exemplar_id, welsh, sum(len(_forms(english)) for english, _ in pairs)))
    return found


def _family_texts(exemplar: Exemplar) -> Iterator[tuple[Text, Text | None]]:
    definition = exemplar.definition
    if not any(reader in definition.audiences for reader in FAMILY_READERS):
        return
    yield definition.title, definition.title_cy
    for section in definition.sections:
        fields = [f for f in section.fields if _for_family(exemplar, f)]
        if fields:
            yield section.title, section.title_cy
        for item in fields:
            yield from _field_texts(exemplar, item)


def _field_texts(exemplar: Exemplar, item: FieldDef) -> Iterator[tuple[Text, Text | None]]:
    yield item.label, item.label_cy
    for option in exemplar.options(item) if item.options or item.codelist else ():
        yield option.label, option.label_cy
    for column in item.fields or ():
        yield from _field_texts(exemplar, column)


def _for_family(exemplar: Exemplar, item: FieldDef) -> bool:
    written_for = item.audiences or exemplar.definition.audiences
    return any(reader in written_for for reader in FAMILY_READERS)


def _forms(text: Text) -> list[str]:
    """The forms of a text a family or child reads (a plain string is the family's)."""
    if isinstance(text, str):
        return ["family"]
    found = [form for form in FAMILY_FORMS if getattr(text, form)]
    return found or ["family"]  # worker words only: the family reads those


def _welsh(english: Text, welsh: Text | None) -> int:
    """How many of the English text's family forms have their Welsh."""
    if welsh is None:
        return 0
    if isinstance(welsh, str):
        return len(_forms(english))
    return sum(1 for form in _forms(english) if getattr(welsh, form))
