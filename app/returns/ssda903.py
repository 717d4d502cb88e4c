"""The SSDA903 return (children looked after, England) from the mapping declared in YAML
(app/returns/mappings/england/ssda903.yaml): which rows each file has, and each column's source.

Episodes are worked out from the care events (app/cases/episodes.py), never typed for the return;
reviews are the finalised looked-after review records. Only the sources named below exist: a
mapping naming another is refused with its file:line when it is read.
"""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator
from sqlalchemy.orm import Session

from app.cases import episodes
from app.cases import service as cases
from app.engine import yamlfile
from app.engine.conditions import plain
from app.engine.definitions import Strict
from app.engine.yamlfile import ExemplarErrors
from app.people import identifiers
from app.people import service as people
from app.records import service as records

MAPPING = Path(__file__).parent / "mappings" / "england" / "ssda903.yaml"
RowKind = Literal["child", "episode", "lac_review", "missing"]
SOURCES: dict[RowKind, frozenset[str]] = {
    "child": frozenset(
        {"id", "sex", "date_of_birth", "ethnicity", "upn", "mother", "first_child_born"}
    ),
    "episode": frozenset(
        {
            "start",
            "end",
            "reason_new_episode",
            "legal_status",
            "category_of_need",
            "placement_type",
            "provider",
            "reason_ceased",
            "reason_place_change",
            "home_postcode",
            "placement_postcode",
            "urn",
        }
    ),
    "lac_review": frozenset({"date", "participation"}),
    "missing": frozenset({"kind", "start", "end"}),
}


class Column(Strict):
    source: str | None = Field(default=None, alias="from")
    format: Literal["date"] | None = None
    codes: dict[str, str] | None = None
    value: str | None = None

    @model_validator(mode="after")
    def _from_or_value(self) -> "Column":
        if (self.source is None) == (self.value is None):
            raise ValueError("give either `from` (a source) or `value`")
        return self


class FileSpec(Strict):
    file: str
    rows: RowKind
    columns: dict[str, Column]

    def unknown_sources(self) -> Iterator[tuple[str, str]]:
        """Each column whose source its rows do not have, with the sentence that says so."""
        for name, column in self.columns.items():
            kind, _, key = (column.source or "").partition(".")
            known = SOURCES["child"] if kind == "child" else SOURCES.get(self.rows, frozenset())
            if column.source and (kind not in (self.rows, "child") or key not in known):
                choices = sorted(f"{k}.{s}" for k in ("child", self.rows) for s in SOURCES[k])
                hint = yamlfile.suggest(column.source, choices)
                yield name, f"no source '{column.source}' for {self.rows} rows{hint}"


class When(Strict):
    field: str
    equals: str


class ReviewSpec(Strict):
    exemplar: str
    when: When
    date: str
    participation: str


class MonthDay(Strict):
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)


class Mapping(Strict):
    year_starts: MonthDay
    reviews: ReviewSpec
    files: dict[str, FileSpec]


@cache
def mapping() -> Mapping:
    """The declared mapping, read once."""
    return read_mapping(MAPPING)


def read_mapping(path: Path) -> Mapping:
    """A mapping file; a mistake in it is refused with its file:line."""
    document = yamlfile.read(path, yamlfile.display(path))
    found, problems = yamlfile.validate(document, Mapping, yamlfile.plain(document.data))
    for key, spec in found.files.items() if found else ():
        for name, message in spec.unknown_sources():
            problems.append(document.problem(("files", key, "columns", name, "from"), message))
    if found is None or problems:
        raise ExemplarErrors(problems)
    return found


@dataclass(frozen=True)
class Year:
    start: date
    end: date

    @classmethod
    def ending(cls, year: int, starts: MonthDay) -> "Year":
        first = date(year - 1, starts.month, starts.day)
        return cls(first, date(year, starts.month, starts.day) - timedelta(days=1))

    def overlaps(self, start: date, end: date | None) -> bool:
        return start <= self.end and (end is None or end >= self.start)


Row = dict[str, Any]
Tables = dict[str, list[dict[str, str]]]


def build(*, session: Session, year: int) -> Tables:
    """File name → its rows (column → text), for the collection year ending in `year`."""
    spec = mapping()
    period = Year.ending(year, spec.year_starts)
    sources: dict[RowKind, list[Row]] = {
        "child": [],
        "episode": [],
        "lac_review": [],
        "missing": [],
    }
    case_ids = episodes.case_ids_with_care(session=session)
    care = episodes.events_of(session=session, case_ids=case_ids)
    found = records.records_for_cases(session=session, case_ids=case_ids)
    for case in cases.get_cases(session=session, case_ids=case_ids):
        shown = [
            e for e in episodes.story_of(care[case.id]).episodes if period.overlaps(e.start, e.end)
        ]
        if not shown:
            continue
        child = _child(case, _babies(session, case.child))
        sources["child"].append(child)
        sources["episode"].extend(child | _episode(e, period) for e in shown)
        sources["lac_review"].extend(
            child | r for r in _reviews(spec.reviews, found.get(case.id, []), period)
        )
    return {
        file.file: [_line(file, row) for row in _ordered(sources[file.rows])]
        for file in spec.files.values()
    }


def _ordered(rows: list[Row]) -> Iterator[Row]:
    yield from sorted(rows, key=lambda row: str(row.get("child.id")))


def _child(case: Any, babies: list[date]) -> Row:
    child = case.child
    return {
        "child.id": case.case_number,
        "child.sex": child.sex,
        "child.date_of_birth": child.date_of_birth,
        "child.ethnicity": child.ethnicity,
        # The child's own UPN, the one the CIN census reads; else why it is not known, where
        # the 903 has a code for it (UN1-UN5).
        "child.upn": child.upn or _upn_unknown(child.upn_unknown_reason),
        # Asked of girls only: whether she is a mother, and when her first child was born.
        "child.mother": ("1" if babies else "0") if child.sex == "female" else None,
        "child.first_child_born": min(babies) if babies else None,
    }


def _upn_unknown(reason: str | None) -> str | None:
    return reason if reason in identifiers.UPN_UNKNOWN_903 else None


def _babies(session: Session, child: Any) -> list[date]:
    """Birth dates of the children the child is recorded as mother of (her relationships)."""
    links = people.current_relationships(session=session, person_id=child.id)
    ids = {r.other_person_id for r in links if r.person_id == child.id and r.type_code == "mother"}
    found = people.people_by_id(session=session, person_ids=ids) if ids else []
    return [p.date_of_birth for p in found if p.date_of_birth is not None]


def _episode(episode: episodes.Episode, period: Year) -> Row:
    # An episode still open when the year ends is returned open: its end is next year's news.
    ended = episode.end is not None and episode.end <= period.end
    return {
        "episode.start": episode.start,
        "episode.end": episode.end if ended else None,
        "episode.reason_new_episode": episode.rne,
        "episode.legal_status": episode.legal_status,
        "episode.category_of_need": episode.need,
        "episode.placement_type": episode.placement.type,
        "episode.provider": episode.placement.provider,
        "episode.reason_ceased": episode.rec if ended else None,
        "episode.reason_place_change": episode.reason_place_change,
        "episode.home_postcode": episode.home_postcode,
        "episode.placement_postcode": episode.placement.postcode,
        "episode.urn": episode.placement.urn,
    }


def _reviews(spec: ReviewSpec, rows: list[Any], period: Year) -> Iterator[Row]:
    for record in rows:
        answers = record.answers
        if record.exemplar_id != spec.exemplar or record.finalised_at is None:
            continue
        if plain(answers.get(spec.when.field)) != spec.when.equals:
            continue
        held = _date(plain(answers.get(spec.date)))
        if held is not None and period.start <= held <= period.end:
            participation = plain(answers.get(spec.participation))
            yield {"lac_review.date": held, "lac_review.participation": participation}


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _line(file: FileSpec, row: Row) -> dict[str, str]:
    return {name: _text(column, row) for name, column in file.columns.items()}


def _text(column: Column, row: Row) -> str:
    if column.value is not None:
        return column.value
    value = row.get(column.source or "")
    if value is None:
        return ""
    if column.format == "date" and isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if column.codes is not None:
        return column.codes.get(str(value), "")
    return str(value)


def write(*, tables: Tables, out: Path) -> list[Path]:
    """One CSV file per table in `out`, header row first (the DfE's column order)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, spec in ((f.file, f) for f in mapping().files.values()):
        path = out / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(spec.columns))
            writer.writeheader()
            writer.writerows(tables[name])
        written.append(path)
    return written
