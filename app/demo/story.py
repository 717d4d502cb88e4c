"""The demo's YAML files as typed models, and a record's answers turned into stored values.

The loader and the lint share this module, so the demo that loads is the demo that was checked.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from app.auth.models import Role
from app.demo.dates import evaluate, name_days
from app.engine.answers import value_problem
from app.engine.definitions import FieldDef
from app.engine.library import Exemplar
from app.engine.loader import Document, ExemplarErrors, Problem, plain, read, suggest, validate
from app.people.schemas import LegalStatus, PenPictureIn, PersonIn, ProfessionalIn

FOLDER = Path(__file__).resolve().parent
Model = TypeVar("Model", bound=BaseModel)
Day = str | dict[str, Any]
Where = tuple[str | int, ...]
Fault = tuple[Where, str]  # where in the file (keys and row numbers) and what is wrong


class Misnamed(ValueError):
    """A handle or a day name that the family file does not define."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Profile(Strict):
    """How a family reaches a worker: printed on page 1 of every family copy they write."""

    job_title: str | None = None
    work_phone: str | None = None
    work_email: str | None = None
    work_address: str | None = None


class UserEntry(Strict):
    name: str
    role: Role
    profile: Profile | None = None


class PersonEntry(PersonIn):
    """A person's details as the people service takes them, with a birthday counted from today."""

    born: Day | None = None
    pen_picture: PenPictureIn | None = None


class Member(Strict):
    person: str
    role: str
    lives_here: bool = True


class Household(Strict):
    name: str
    address: str
    address_confidential: bool = False  # a foster home's: never given to the family
    members: list[Member]


class Link(Strict):
    person: str
    other: str
    type: str
    parental_responsibility: bool | None = None


class ProfessionalEntry(ProfessionalIn):
    works_with: list[str] = Field(default_factory=list)
    since: Day | None = None


class CareEntry(Strict):
    """One care event (app/cases/care.py), its carer by handle and its day in the date language."""

    kind: Literal["start", "legal_status", "placement", "ceased"]
    on: Day
    legal_status: str | None = None
    category_of_need: str | None = None
    carer: str | None = None
    placement_type: str | None = None
    provider: str | None = None
    postcode: str | None = None
    urn: str | None = None
    home_postcode: str | None = None
    upn: str | None = None
    reason_place_change: str | None = None
    reason_ceased: str | None = None


class CaseEntry(Strict):
    child: str
    worker: str
    legal_status: LegalStatus
    opened: Day
    care: list[CareEntry] = Field(default_factory=list)  # a looked-after child's history


class Family(Strict):
    team: str
    entered_by: str
    users: dict[str, UserEntry]
    people: dict[str, PersonEntry]
    households: list[Household]
    relationships: list[Link]
    professionals: dict[str, ProfessionalEntry]
    cases: list[CaseEntry]
    records_for: str
    timeline: dict[str, Day]


class SignOffFile(Strict):
    """What the manager says when approving: a comment, and the day (a named day) they did."""

    comment: str | None = None
    on: str | None = None


class RecordFile(Strict):
    exemplar: str
    order: int
    started_by: str
    finalised_by: str
    days: dict[str, Day] = Field(default_factory=dict)
    answers: dict[str, Any]
    sign_off: SignOffFile | None = None


def read_family(folder: Path = FOLDER) -> tuple[Document, Family]:
    """family.yaml, or ExemplarErrors with every problem at its line."""
    return _read(folder / "family.yaml", Family)


def read_records(folder: Path = FOLDER) -> list[tuple[Document, RecordFile]]:
    """Every record file, in story order; the first file that does not read raises."""
    found = [read_record(path) for path in record_paths(folder)]
    return sorted(found, key=lambda pair: pair[1].order)


def record_paths(folder: Path = FOLDER) -> list[Path]:
    return sorted((folder / "records").glob("*.yaml"))


def read_record(path: Path) -> tuple[Document, RecordFile]:
    return _read(path, RecordFile)


def record_exemplars(folder: Path = FOLDER) -> list[str]:
    """The exemplar of each demo record, in story order."""
    return [record.exemplar for _, record in read_records(folder)]


def _read(path: Path, model: type[Model]) -> tuple[Document, Model]:
    document = read(path, display(path))
    parsed, problems = validate(document, model, plain(document.data))
    if parsed is None:
        raise ExemplarErrors(problems)
    return document, parsed


def display(path: Path) -> str:
    """The file's name as the engine prints it: relative to the working folder if inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def placed(document: Document, faults: list[Fault]) -> list[Problem]:
    return [document.problem(path, message) for path, message in faults]


def named(
    days: Mapping[str, Any], *, names: Mapping[str, date], today: date, key: str
) -> tuple[dict[str, date], list[Fault]]:
    """`names` with `days` (a file's `timeline` or `days`) added, and a fault for each unread."""
    known, failed = name_days(days, names=names, today=today)
    return known, [((key, name), message) for name, message in failed.items()]


def family_day(day: Day, *, today: date) -> date:
    """A birthday, case opening or involvement: counted from today, since nothing has a date yet."""
    return evaluate(day, names={"today": today}, today=today)


def base_days(*, case_opened: date, today: date) -> dict[str, date]:
    return {"today": today, "case_opened": case_opened}


@dataclass(frozen=True)
class Cast:
    """What the names in a record stand for: handles as ids, named days as dates."""

    ids: Mapping[str, Mapping[str, int]]  # field type (person, professional) → handle → id
    days: Mapping[str, date]
    today: date


def resolve(
    exemplar: Exemplar, answers: Mapping[str, Any], cast: Cast
) -> tuple[dict[str, Any], list[Fault]]:
    """The answers as the record stores them, and every fault found on the way."""
    faults: list[Fault] = []
    resolved: dict[str, Any] = {}
    for field_id, value in answers.items():
        item = exemplar.fields.get(field_id)
        if item is None:
            hint = suggest(field_id, exemplar.fields)
            faults.append((("answers", field_id), f"{exemplar.id} has no field '{field_id}'{hint}"))
            continue
        resolved[field_id] = _value(exemplar, item, value, cast, ("answers", field_id), faults)
    return resolved, faults


def _value(
    exemplar: Exemplar, item: FieldDef, value: Any, cast: Cast, at: Where, faults: list[Fault]
) -> Any:
    if item.type == "group" and isinstance(value, list):
        before = len(faults)
        rows = [_row(exemplar, item, row, cast, (*at, n), faults) for n, row in enumerate(value)]
        if len(faults) == before:  # the whole group: row counts, and rows that are not mappings
            _shape(exemplar, item, rows, at, faults)
        return rows
    try:
        stored = _stored(item, value, cast)
    except ValueError as error:  # a day, a handle or a dated text that names nothing known
        faults.append((at, str(error)))
        return None
    _shape(exemplar, item, stored, at, faults)
    return stored


def _row(
    exemplar: Exemplar, item: FieldDef, row: Any, cast: Cast, at: Where, faults: list[Fault]
) -> Any:
    if not isinstance(row, Mapping):
        return row
    columns = {column.id: column for column in item.fields or []}
    cells = {}
    for key, cell in row.items():
        column = columns.get(key)
        if column is None:
            faults.append(((*at, key), f"{item.id} has no column '{key}'{suggest(key, columns)}"))
            continue
        cells[key] = _value(exemplar, column, cell, cast, (*at, key), faults)
    return cells


def _stored(item: FieldDef, value: Any, cast: Cast) -> Any:
    """A handle as a typed reference, a day as an ISO date, a dated text filled in; else as is."""
    if item.type in cast.ids and isinstance(value, str):
        return _handle(item.type, value, cast)
    if item.type == "date" and value is not None:
        return evaluate(value, names=cast.days, today=cast.today).isoformat()
    if item.type in _TEXT and isinstance(value, Mapping) and set(value) == {"dated"}:
        days = {name: day.isoformat() for name, day in cast.days.items()}
        return str(value["dated"]).format_map(_Days(days))
    return value


def _handle(kind: str, handle: str, cast: Cast) -> dict[str, Any]:
    if handle in cast.ids[kind]:
        return {"kind": kind, "id": cast.ids[kind][handle]}
    other = next((k for k, ids in cast.ids.items() if handle in ids), None)
    if other:
        raise Misnamed(f"'{handle}' is a {other}; this answer needs a {kind}")
    raise Misnamed(f"'{handle}' is not a {kind} in family.yaml{suggest(handle, cast.ids[kind])}")


_TEXT = ("text", "narrative")


class _Days(dict[str, str]):
    def __missing__(self, name: str) -> str:
        raise Misnamed(f"'{{{name}}}' is not a named day{suggest(name, self)}")


def _shape(exemplar: Exemplar, item: FieldDef, value: Any, at: Where, faults: list[Fault]) -> None:
    problem = value_problem(exemplar, item, value)
    if problem:
        faults.append((at, problem))
