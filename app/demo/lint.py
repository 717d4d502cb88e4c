"""Check the demo against the exemplars, so that renaming a field cannot quietly break it.

Each record file must name an exemplar that exists, answer only its fields, with values of each
field's shape, and name people, professionals, users and days the family file defines. Problems
come back at file:line:column, like the engine's own.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from app.cases.care import CODELISTS
from app.demo.dates import DayError
from app.demo.story import (
    FOLDER,
    Cast,
    Family,
    Fault,
    RecordFile,
    Where,
    base_days,
    family_day,
    named,
    placed,
    read_family,
    read_record,
    record_paths,
    resolve,
)
from app.engine.library import Exemplar, Library, UnknownExemplar
from app.engine.loader import ExemplarErrors, Problem, suggest


def lint(*, library: Library, folder: Path = FOLDER) -> list[Problem]:
    """Every problem in the demo's YAML, in file order; empty when it would load."""
    try:
        family_document, family = read_family(folder)
    except ExemplarErrors as error:
        return error.problems
    today = date.today()
    days, faults = _timeline(family, today)
    problems = placed(
        family_document, _family_faults(family) + faults + _care_faults(library, family)
    )
    # Stand-in ids: the shape check needs a positive whole number, not a real row.
    ids = {
        "person": {handle: n for n, handle in enumerate(family.people, start=1)},
        "professional": {handle: n for n, handle in enumerate(family.professionals, start=1)},
    }
    cast = Cast(ids=ids, days=days, today=today)
    seen: dict[str, str] = {}
    for path in record_paths(folder):
        try:
            document, record = read_record(path)
        except ExemplarErrors as error:
            problems.extend(error.problems)
            continue
        problems.extend(placed(document, _record_faults(library, family, record, cast, seen)))
        seen.setdefault(record.exemplar, document.name)
    return problems


def _timeline(family: Family, today: date) -> tuple[dict[str, date], list[Fault]]:
    opened = next((case.opened for case in family.cases if case.child == family.records_for), None)
    if opened is None:
        return {}, [(("records_for",), f"'{family.records_for}' has no case in `cases`")]
    try:
        case_opened = family_day(opened, today=today)
    except DayError:
        case_opened = today  # reported where the case is checked
    names = base_days(case_opened=case_opened, today=today)
    return named(family.timeline, names=names, today=today, key="timeline")


def _family_faults(family: Family) -> list[Fault]:
    """Each handle the family file uses must be one it defines."""
    people, users = family.people, family.users
    uses: list[tuple[Where, str, Mapping[str, Any], str]] = [
        (("entered_by",), family.entered_by, users, "user"),
        (("records_for",), family.records_for, people, "person"),
    ]
    for h, household in enumerate(family.households):
        for m, member in enumerate(household.members):
            at = ("households", h, "members", m, "person")
            uses.append((at, member.person, people, "person"))
    for n, link in enumerate(family.relationships):
        uses.append((("relationships", n, "person"), link.person, people, "person"))
        uses.append((("relationships", n, "other"), link.other, people, "person"))
    for handle, pro in family.professionals.items():
        for n, client in enumerate(pro.works_with):
            uses.append((("professionals", handle, "works_with", n), client, people, "person"))
    for n, case in enumerate(family.cases):
        uses.append((("cases", n, "child"), case.child, people, "person"))
        uses.append((("cases", n, "worker"), case.worker, users, "user"))
        for e, event in enumerate(case.care):
            if event.carer is not None:
                at = ("cases", n, "care", e, "carer")
                uses.append((at, event.carer, people, "person"))
    faults = [_unknown(at, handle, known, kind) for at, handle, known, kind in uses]
    return [fault for fault in faults if fault] + list(_day_faults(family))


def _care_faults(library: Library, family: Family) -> list[Fault]:
    """A care event's codes are codes of their lists (exemplars/codelists.yaml)."""
    faults: list[Fault] = []
    for n, case in enumerate(family.cases):
        for e, event in enumerate(case.care):
            for name, listed in CODELISTS.items():
                code = getattr(event, name)
                codelist = library.codelists.get(listed)
                codes = [o.code for o in codelist.options] if codelist else []
                if code is not None and code not in codes:
                    at = ("cases", n, "care", e, name)
                    faults.append((at, f"'{code}' is not a code of {listed}{suggest(code, codes)}"))
    return faults


def _day_faults(family: Family) -> Iterable[Fault]:
    """Birthdays, case openings and involvements are counted from today alone."""
    dated: list[tuple[Where, Any]] = [
        *((("people", h, "born"), p.born) for h, p in family.people.items() if p.born),
        *((("cases", n, "opened"), c.opened) for n, c in enumerate(family.cases)),
        *(
            (("cases", n, "care", e, "on"), event.on)
            for n, c in enumerate(family.cases)
            for e, event in enumerate(c.care)
        ),
        *(
            (("professionals", h, "since"), p.since)
            for h, p in family.professionals.items()
            if p.since
        ),
    ]
    for at, day in dated:
        try:
            family_day(day, today=date.today())
        except DayError as error:
            yield at, str(error)


def _unknown(at: Where, handle: str, known: Mapping[str, Any], kind: str) -> Fault | None:
    if handle in known:
        return None
    return at, f"'{handle}' is not a {kind} in family.yaml{suggest(handle, known)}"


def _record_faults(
    library: Library, family: Family, record: RecordFile, cast: Cast, seen: dict[str, str]
) -> list[Fault]:
    signers = ((("started_by",), record.started_by), (("finalised_by",), record.finalised_by))
    faults = [f for at, who in signers if (f := _unknown(at, who, family.users, "user"))]
    if record.exemplar in seen:
        already = f"{record.exemplar} is filled in already by {seen[record.exemplar]}"
        faults.append((("exemplar",), already))
    try:
        exemplar = library.latest(record.exemplar)
    except UnknownExemplar:
        hint = suggest(record.exemplar, library.ids())
        return [*faults, (("exemplar",), f"there is no exemplar '{record.exemplar}'{hint}")]
    days, day_faults = named(record.days, names=cast.days, today=cast.today, key="days")
    _, answer_faults = resolve(exemplar, record.answers, Cast(cast.ids, days, cast.today))
    return faults + day_faults + answer_faults + _sign_off_faults(exemplar, record, days)


def _sign_off_faults(
    exemplar: Exemplar, record: RecordFile, days: Mapping[str, Any]
) -> list[Fault]:
    """The manager's fields come from the sign-off, never from the answers; its day is named."""
    faults: list[Fault] = [
        (("answers", key), f"'{key}' is filled in at sign-off: give it under sign_off instead")
        for key in record.answers
        if key in exemplar.fields and exemplar.fields[key].signed_off_by
    ]
    on = record.sign_off.on if record.sign_off else None
    if on is not None and on not in days:
        faults.append((("sign_off", "on"), f"'{on}' is not a named day{suggest(on, days)}"))
    return faults
