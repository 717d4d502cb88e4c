"""The Children in Need census (England): the message of a collection year, built from records
through the declared mapping (mappings/england/cin.yaml), and the census problems of a child or a
record, from the same mapping, while the worker types.

This module knows the census's shape only: its modules, their order, which list items sit in a
wrapper and which date ends a row. Which exemplar field feeds which item is the mapping's.
Records count whatever their status: a referral is received when it is typed, not when it is
signed off, and a problem is best seen while the record is still a draft.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree
from sqlalchemy.orm import Session

from app.cases import service as cases
from app.engine.conditions import Scope, compile_condition, plain
from app.people.schemas import PersonOut
from app.records import service as records
from app.returns import mapping as declared
from app.returns.mapping import Item, Source

if TYPE_CHECKING:  # the types only: other domains' tables are read through their services
    from app.cases.models import Case
    from app.records.models import Record

COUNTRY, RETURN = "england", "cin"
SOFTWARE = ("ICS", "0.1.0")
# Each module's items in message order; a (wrapper, item) pair is a list inside a wrapper.
ORDER: dict[str, list[str | tuple[str, str]]] = {
    "ChildIdentifiers": [
        "LAchildID",
        "UPN",
        "FormerUPN",
        "UPNunknown",
        "PersonBirthDate",
        "ExpectedPersonBirthDate",
        "Sex",
        "PersonDeathDate",
    ],
    "Child": [("Disabilities", "Disability")],
    "CINdetails": [
        "CINreferralDate",
        "ReferralSource",
        "PrimaryNeedCode",
        "CINclosureDate",
        "ReasonForClosure",
        "DateOfInitialCPC",
        "Assessments",
        "CINPlanDates",
        "Section47",
        "ReferralNFA",
        "ChildProtectionPlans",
    ],
    "Assessments": [
        "AssessmentActualStartDate",
        "AssessmentInternalReviewDate",
        "AssessmentAuthorisationDate",
        ("FactorsIdentifiedAtAssessment", "AssessmentFactors"),
    ],
    "CINPlanDates": ["CINPlanStartDate", "CINPlanEndDate"],
    "Section47": ["S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired"],
    "ChildProtectionPlans": [
        "CPPstartDate",
        "CPPendDate",
        "InitialCategoryOfAbuse",
        "LatestCategoryOfAbuse",
        "NumberOfPreviousCPP",
        ("Reviews", "CPPreviewDate"),
    ],
}
ROWS = ("Assessments", "CINPlanDates", "Section47", "ChildProtectionPlans")
# The dates a row runs between: a row ended before the year, or started after it, is not in it.
SPAN = {
    "CINdetails": ("CINreferralDate", "CINclosureDate"),
    "Assessments": ("AssessmentActualStartDate", "AssessmentAuthorisationDate"),
    "CINPlanDates": ("CINPlanStartDate", "CINPlanEndDate"),
    "Section47": ("S47ActualStartDate", "DateOfInitialCPC"),
    "ChildProtectionPlans": ("CPPstartDate", "CPPendDate"),
}
# What goes with an end date: a closure's reason; the factors found when an assessment ends.
ENDS_WITH = {
    "CINclosureDate": "ReasonForClosure",
    "AssessmentAuthorisationDate": "AssessmentFactors",
}
ACTION_ORDER = {"starts": 0, "adds": 1, "completes": 2}


def items_of_modules() -> dict[str, set[str]]:
    """Each module's items, for the mapping's linter."""
    return {
        module: {part[1] if isinstance(part, tuple) else part for part in parts} - set(ROWS)
        for module, parts in ORDER.items()
    }


def person_attributes() -> set[str]:
    """What the person record holds, for the mapping's linter (its identity items)."""
    return set(PersonOut.model_fields)


@dataclass(frozen=True)
class CensusProblem:
    """Something the census needs and the records do not give, where the worker can fix it."""

    case_id: int
    child_name: str
    item: str
    message: str
    record_id: int | None = None
    exemplar_id: str | None = None
    field: str | None = None  # the record's field that would give it

    @property
    def text(self) -> str:
        return f"Census: {self.message}"


@dataclass
class Row:
    items: dict[str, Any] = field(default_factory=dict)


@dataclass
class Episode:
    record_id: int  # the referral that started it
    details: Row = field(default_factory=Row)
    rows: dict[str, list[Row]] = field(default_factory=dict)
    record_ids: set[int] = field(default_factory=set)  # every record placed in it


@dataclass
class ChildReturn:
    case_id: int
    child_name: str
    identity: dict[str, Any]
    characteristics: dict[str, Any]
    episodes: list[Episode]
    problems: list[CensusProblem]


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def of(cls, year: int) -> "Period":
        """Collection year 2026 is 1 April 2025 to 31 March 2026 (its reference date)."""
        return cls(date(year - 1, 4, 1), date(year, 3, 31))


@dataclass(frozen=True)
class Census:
    year: int
    xml: bytes
    case_ids: list[int]  # the children in it, whose trails an export is written on
    problems: list[CensusProblem]
    structure_errors: list[str]

    @property
    def children(self) -> int:
        return len(self.case_ids)


@cache
def the_mapping() -> declared.Mapping:
    return declared.read_mapping(declared.path_of(COUNTRY, RETURN))[1]


def schema_path() -> Path:
    return declared.path_of(COUNTRY, RETURN).parent / the_mapping().schema_


# Building --------------------------------------------------------------------------------------


def build(*, session: Session, year: int, la_code: str) -> Census:
    """The census message of collection `year`, checked against the year's structure."""
    period = Period.of(year)
    every = cases.all_cases(session=session)
    found = records.records_for_cases(session=session, case_ids=[c.id for c in every])
    children = [
        child
        for case in every
        if (child := in_year(child_return(case, found.get(case.id, [])), period)) is not None
    ]
    children.sort(key=lambda c: (str(c.identity.get("LAchildID") or ""), c.case_id))
    xml = _message(children, period, la_code)
    problems = [p for child in children for p in child.problems]
    case_ids = [child.case_id for child in children]
    return Census(year, xml, case_ids, problems, structure_errors(xml))


def record_problems(*, case: "Case", record: "Record") -> list[CensusProblem]:
    """The census problems of one record's answers as they stand (its section pages)."""
    mapping = the_mapping()
    problems: list[CensusProblem] = []
    for _, source in mapping.sources_for(record.exemplar_id):
        if _applies(source, record.answers):
            problems += _missing(case, record, source)
    return _unique(problems)


def child_return(case: "Case", found: Sequence["Record"]) -> ChildReturn:
    """The child's identity, characteristics and episodes of need from all their records."""
    mapping = the_mapping()
    person = case.child
    identity = {name: _person_item(person, item) for name, item in mapping.person.items()}
    problems = [
        CensusProblem(case.id, person.full_name, name, item.missing)
        for name, item in mapping.person.items()
        if item.missing and identity[name] is None
    ]
    hits = sorted(_hits(mapping, found), key=lambda h: (h[0], ACTION_ORDER[h[1]], h[2].id))
    episodes, characteristics = _episodes(hits)
    for record in found:
        problems += record_problems(case=case, record=record)
    problems += _checks(mapping, case, episodes, characteristics)
    # An episode's check may say what a record already said: the record's, which names where.
    said = {(p.item, p.message): p for p in reversed(problems)}
    problems = [p for p in problems if said[(p.item, p.message)] is p]
    return ChildReturn(case.id, person.full_name, identity, characteristics, episodes, problems)


def _hits(
    mapping: declared.Mapping, found: Iterable["Record"]
) -> Iterable[tuple[str, str, "Record", Source]]:
    """(date, action, record, source) for every record a source reads and can place."""
    for record in found:
        for _, source in mapping.sources_for(record.exemplar_id):
            day = plain(record.answers.get(source.date))
            if day and _applies(source, record.answers):
                action = "starts" if source.starts else "adds" if source.adds else "completes"
                yield str(day), action, record, source


def _episodes(
    hits: Iterable[tuple[str, str, "Record", Source]],
) -> tuple[list[Episode], dict[str, Any]]:
    episodes: list[Episode] = []
    characteristics: dict[str, Any] = {}
    for _, action, record, source in hits:
        answers = record.answers
        if action == "starts":
            episodes.append(Episode(record.id))
        if not episodes:
            continue  # nothing before the child's first referral is in an episode
        episode = episodes[-1]
        episode.record_ids.add(record.id)
        target = _target(episode, source, action)
        if target is not None:
            _fill(target, source.items, answers)
        _fill(episode.details, source.episode, answers)
        characteristics |= {k: v for k, v in _values(source.child, answers).items() if v}
    return episodes, characteristics


def _target(episode: Episode, source: Source, action: str) -> Row | None:
    if source.module == "CINdetails":
        return episode.details
    rows = episode.rows.setdefault(source.module, [])
    if action == "adds":
        rows.append(Row())
    return rows[-1] if rows else None  # a review with no plan before it has nothing to complete


def _fill(row: Row, items: Mapping[str, Item], answers: Mapping[str, Any]) -> None:
    """Later records complete earlier ones: an answered item replaces, a list item adds up."""
    for name, value in _values(items, answers).items():
        if value is None:
            continue
        if name == "CPPreviewDate":  # each review adds its date to the plan's list
            row.items.setdefault(name, []).append(value)
        else:
            row.items[name] = value


def _values(items: Mapping[str, Item], answers: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _answer_item(item, answers) for name, item in items.items()}


def _answer_item(item: Item, answers: Mapping[str, Any]) -> Any:
    if item.value is not None:
        return item.value
    value = plain(answers.get(item.field or ""))
    if value is None or value == [] or value == "":
        return None
    if item.is_ is not None:
        return "1" if value in item.is_ else "0"
    if item.is_not is not None:
        return "0" if value in item.is_not else "1"
    if item.codes is not None:
        return item.codes.get(str(value))
    return value


def _person_item(person: Any, item: Item) -> Any:
    value = getattr(person, item.attribute or "", None) if item.attribute else item.value
    if value is None or value == "":
        return None
    if item.codes is not None:
        return item.codes.get(str(value))
    return value.isoformat() if isinstance(value, date) else value


def _applies(source: Source, answers: Mapping[str, Any]) -> bool:
    return source.when is None or compile_condition(source.when)(Scope(answers, {}))


def _missing(case: "Case", record: "Record", source: Source) -> list[CensusProblem]:
    parts = {**source.items, **source.episode, **source.child}
    return [
        CensusProblem(
            case.id,
            case.child.full_name,
            name,
            item.missing,
            record.id,
            record.exemplar_id,
            item.field,
        )
        for name, item in parts.items()
        if item.missing and _answer_item(item, record.answers) is None
    ]


def _checks(
    mapping: declared.Mapping, case: "Case", episodes: list[Episode], child: dict[str, Any]
) -> list[CensusProblem]:
    name = case.child.full_name
    found = [
        CensusProblem(case.id, name, check.item, check.problem, episode.record_id)
        for episode in episodes
        for check in mapping.episode_checks
        if episode.details.items.get(check.item) is None
        and not (check.unless and episode.details.items.get(check.unless) == "1")
    ]
    if episodes:  # a child with no episode is not in the census: nothing about them is missing
        found += [
            CensusProblem(case.id, name, check.item, check.problem)
            for check in mapping.child_checks
            if not child.get(check.item)
        ]
    return found


def _unique(problems: list[CensusProblem]) -> list[CensusProblem]:
    return list(dict.fromkeys(problems))


# The collection year ---------------------------------------------------------------------------


def in_year(child: ChildReturn, period: Period) -> ChildReturn | None:
    """The child as the year sees them: episodes and rows that touch the year, with what
    happened after it left out; None when no episode touches it."""
    kept = [e for e in (_episode_in(e, period) for e in child.episodes) if e is not None]
    if not kept:
        return None
    problems = [p for p in child.problems if p.record_id is None or _in(p, kept, child)]
    return ChildReturn(
        child.case_id, child.child_name, child.identity, child.characteristics, kept, problems
    )


def _in(problem: CensusProblem, kept: list[Episode], child: ChildReturn) -> bool:
    # A problem of a record the year leaves out (an episode closed last year) is not this year's;
    # one of a record no episode could place (a referral with no date) is every year's.
    kept_ids = {i for e in kept for i in e.record_ids}
    placed = {i for e in child.episodes for i in e.record_ids}
    return problem.record_id in kept_ids or problem.record_id not in placed


def _episode_in(episode: Episode, period: Period) -> Episode | None:
    details = _row_in("CINdetails", episode.details, period)
    if details is None:
        return None
    rows = {
        module: [r for r in (_row_in(module, row, period) for row in rows) if r is not None]
        for module, rows in episode.rows.items()
    }
    return Episode(episode.record_id, details, rows, episode.record_ids)


def _row_in(module: str, row: Row, period: Period) -> Row | None:
    start_item, end_item = SPAN[module]
    start, end = row.items.get(start_item), row.items.get(end_item)
    if start is None or date.fromisoformat(start) > period.end:
        return None
    if end is not None and date.fromisoformat(end) < period.start:
        return None
    items = dict(row.items)
    if end is not None and date.fromisoformat(end) > period.end:  # it ends after the year
        items.pop(end_item)
        items.pop(ENDS_WITH.get(end_item, ""), None)
    elif end is None:
        items.pop(ENDS_WITH.get(end_item, ""), None)
    reviews = [d for d in items.get("CPPreviewDate", []) if date.fromisoformat(d) <= period.end]
    if "CPPreviewDate" in items:
        items["CPPreviewDate"] = reviews
    return Row(items)


# The message -----------------------------------------------------------------------------------


def _message(children: list[ChildReturn], period: Period, la_code: str) -> bytes:
    root = etree.Element("Message")
    header = etree.SubElement(root, "Header")
    details = etree.SubElement(header, "CollectionDetails")
    _add(details, "Collection", "CIN")
    _add(details, "Year", str(period.end.year))
    _add(details, "ReferenceDate", period.end.isoformat())
    source = etree.SubElement(header, "Source")
    _add(source, "SourceLevel", "L")
    _add(source, "LEA", la_code)
    _add(source, "SoftwareCode", SOFTWARE[0])
    _add(source, "Release", SOFTWARE[1])
    _add(source, "SerialNo", "1")
    _add(source, "DateTime", datetime.now().replace(microsecond=0).isoformat())
    listed = etree.SubElement(root, "Children")
    for child in children:
        _child(etree.SubElement(listed, "Child"), child)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _child(element: Any, child: ChildReturn) -> None:
    _module(etree.SubElement(element, "ChildIdentifiers"), "ChildIdentifiers", child.identity)
    characteristics = etree.SubElement(element, "ChildCharacteristics")
    _add(characteristics, "Ethnicity", child.identity.get("Ethnicity"))
    _module(characteristics, "Child", child.characteristics)
    for episode in child.episodes:
        _episode(etree.SubElement(element, "CINdetails"), episode)


def _episode(element: Any, episode: Episode) -> None:
    for part in ORDER["CINdetails"]:
        if part in ROWS:
            for row in episode.rows.get(str(part), []):
                _module(etree.SubElement(element, str(part)), str(part), row.items)
        else:
            _add(element, str(part), episode.details.items.get(str(part)))


def _module(element: Any, module: str, items: Mapping[str, Any]) -> None:
    for part in ORDER[module]:
        if isinstance(part, tuple):
            wrapper, name = part
            values = items.get(name) or []
            if values:
                inside = etree.SubElement(element, wrapper)
                for value in dict.fromkeys(values):  # each code once (rules 8794, 8898)
                    _add(inside, name, value)
        else:
            _add(element, part, items.get(part))


def _add(parent: Any, name: str, value: Any) -> None:
    if value is not None and value != "":
        etree.SubElement(parent, name).text = str(value)


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(schema_path())))


def structure_errors(xml: bytes) -> list[str]:
    """Each place the message breaks the year's structure, as "line N: what is wrong"."""
    schema = _schema()
    if schema.validate(etree.fromstring(xml)):
        return []
    # Each line of the log reads "<string>:LINE:COLUMN:LEVEL:DOMAIN:TYPE: message".
    lines = [line.split(":", 6) for line in str(schema.error_log).splitlines()]
    return [f"line {parts[1]}: {parts[-1].strip()}" for parts in lines if len(parts) == 7]
