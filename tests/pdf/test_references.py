"""The demo's printouts read back: every person reads as that person and every professional as that
professional, next to their own words, in the court statement, the family letter and the worker's
household rows (person 3 and professional 3 are different rows and never swap names)."""

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import demo
from app.cases import service as cases
from app.engine.library import Exemplar
from app.engine.readers import Audience, reader
from app.people.models import Involvement, Person, Professional
from app.records.models import Record
from tests.factories import shipped_library
from tests.pdf.test_printouts import printed

AUDIENCES: tuple[Audience, ...] = ("court", "family", "worker")
SHORTEST_WORDS = 4  # a text cell shorter than this ("Yes") says nothing about whose row it is


def _flat(text: str) -> str:
    return " ".join(text.split())


def _cast(db: Session) -> dict[tuple[str, int], str]:
    """Everyone a demo answer may name, written as the test expects them (not as the app does)."""
    names: dict[tuple[str, int], str] = {
        ("person", p.id): p.full_name for p in db.scalars(select(Person))
    }
    for pro in db.scalars(select(Professional).where(Professional.id.in_(
        select(Involvement.professional_id)
    ))):  # fmt: skip
        names[("professional", pro.id)] = f"{pro.name} — {pro.role}, {pro.organisation}"
    return names


def _same(before: str | None, expected: str) -> bool:
    """The row's own name: in full, or a professional's name alone (a narrow table cell wraps the
    organisation onto a line that text extraction reads after the row's words)."""
    return before is not None and (before == expected or expected.startswith(f"{before} — "))


Pair = tuple[str, int, str, str, tuple[str, ...] | None]


def _pairs(exemplar: Exemplar, answers: dict[str, Any]) -> list[Pair]:
    """(kind, id, the text the same row gives next, the field, the readers of the reference's
    column) for each reference in a group's rows."""
    found = []
    for field_id, answer in answers.items():
        item = exemplar.fields.get(field_id)
        if item is None or item.type != "group" or not isinstance(answer, dict):
            continue
        columns = item.fields or []
        for row in answer.get("value") or []:
            for n, column in enumerate(columns):
                ref = row.get(column.id)
                if column.type not in ("person", "professional") or not isinstance(ref, dict):
                    continue
                after = [
                    str(row[c.id])
                    for c in columns[n + 1 :]
                    if c.type in ("text", "narrative") and len(str(row.get(c.id) or "")) >= 4
                ]
                readers = tuple(column.audiences) if column.audiences is not None else None
                found.append(
                    (ref["kind"], ref["id"], _flat(after[0]) if after else "", field_id, readers)
                )
    return found


def _left_out(exemplar: Exemplar, field_id: str, audience: Audience) -> bool:
    """Whether a copy that starts with the summary leaves this field (or its section) out."""
    declared = exemplar.definition.summary
    if declared is None or not reader(audience).summary_first:
        return False
    gone = set(declared.leaves_out)
    return field_id in gone or any(
        section.id in gone and any(f.id == field_id for f in section.fields)
        for section in exemplar.definition.sections
    )


def _reads(audience: Audience, column_readers: tuple[str, ...] | None) -> bool:
    """Whether this reader reads a column written only for some readers."""
    reads = reader(audience).reads_fields_for
    return column_readers is None or any(name in column_readers for name in reads)


def _name_before(flat: str, at: int, pattern: re.Pattern[str]) -> str | None:
    """The last name printed before position `at`, within the row it belongs to."""
    found = [m.group(0) for m in pattern.finditer(flat, max(0, at - 250), at)]
    return found[-1] if found else None


def test_people_and_professionals_print_as_themselves_next_to_their_own_words(
    db: Session,
) -> None:
    library = shipped_library()
    numbers = demo.load(session=db, with_records=True, library=library)
    db.commit()
    case = cases.get_case_by_number(session=db, case_number=numbers[1])
    assert case is not None
    names = _cast(db)
    # Longest first, so "Dr Anita Rao — GP, Riverside Surgery" wins over a bare "Dr Anita Rao".
    every = sorted({*names.values(), *(p.name for p in db.scalars(select(Professional)))}, key=len)
    pattern = re.compile("|".join(re.escape(n) for n in reversed(every)))
    checked: set[tuple[str, str, str]] = set()
    records = db.scalars(select(Record).where(Record.case_id == case.id).order_by(Record.id))
    for record in records:
        exemplar = library.get(record.exemplar_id, record.exemplar_version)
        pairs = _pairs(exemplar, record.answers)
        for audience in AUDIENCES:
            flat = _flat(printed(db, record.id, audience)[0])
            assert not re.search(r"Unknown (person|professional)|\bPerson \d", flat)
            for kind, ident, words, field_id, readers in pairs:
                if _left_out(exemplar, field_id, audience) or not _reads(audience, readers):
                    continue  # left out for length (the preview says so), or a column not theirs
                expected = names[(kind, ident)]
                start = words[:40]
                if not start or start not in flat:
                    continue  # withheld from this reader, or a cell with no words of its own
                for match in re.finditer(re.escape(start), flat):
                    before = _name_before(flat, match.start(), pattern)
                    if len(words) >= 30:  # distinctive words: every time, this row's name
                        assert _same(before, expected), (record.exemplar_id, audience, words)
                    if _same(before, expected):
                        checked.add((record.exemplar_id, audience, expected))
                assert (record.exemplar_id, audience, expected) in checked, (
                    record.exemplar_id,
                    audience,
                    expected,
                    words,
                )
    gp = "Dr Anita Rao — GP, Riverside Surgery"
    assert ("initial_assessment", "court", gp) in checked  # the GP's words are the GP's
    assert ("initial_assessment", "court", "Kerry Walsh") in checked
    assert ("referral_and_information", "worker", "Kerry Walsh") in checked  # household rows
    assert ("referral_and_information", "family", "Kerry Walsh") in checked
    assert ("childs_plan", "family", gp) in checked or ("childs_plan", "court", gp) in checked
