"""Find a child, or an adult and the children they lead to: by case number, NHS number (with or
without spaces), date of birth (as people type it), or a name that may be misspelt.

The access filter is part of the query: only children whose case the user may see, and the
people in those children's networks, are candidates, so a common name never hides the user's
own children behind others they may not see, and an adult leads only to cases the user may see.
"""

from typing import Any

from sqlalchemy import ColumnElement, Row, select
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.cases.service import get_case_by_number
from app.people import search as finding
from app.people.identifiers import looks_like_nhs_number
from app.people.schemas import LinkedCase, SearchResult
from app.timescales.calendar import typed_date


def search(
    *, session: Session, text: str, visible: ColumnElement[bool], limit: int = 50
) -> list[SearchResult]:
    """Children and adults by case number, NHS number, date of birth or name, best first."""
    text = text.strip()
    children, among = finding.visible_among(
        session=session, children=select(Case.child_id).where(visible)
    )
    case = get_case_by_number(session=session, case_number=text)
    if case is not None:
        scored = finding.scored_among(session=session, person_ids=[case.child_id], among=children)
    elif (number := looks_like_nhs_number(text)) is not None:
        scored = finding.by_nhs_number(session=session, number=number, among=among)
    elif (born := typed_date(text)) is not None:
        scored = finding.born_on(session=session, day=born, among=among, limit=limit)
    else:
        scored = finding.by_name(session=session, text=text, among=among, limit=limit)
    found = [person.id for person, _ in scored]
    links = finding.linked_among(session=session, person_ids=found, others=children)
    linked = {child for each in links.values() for child in each}
    # The case's number and child's name only: not the worker and team a Case joins by default.
    shown = finding.named(select(Case.id, Case.case_number, Case.child_id), Case.child_id)
    cases = {
        case.child_id: case
        for case in session.execute(shown.where(Case.child_id.in_([*found, *linked]), visible))
    }
    return [
        SearchResult(
            person_id=person.id,
            full_name=person.full_name,
            date_of_birth=person.date_of_birth,
            case_id=cases[person.id].id if person.id in cases else None,
            case_number=cases[person.id].case_number if person.id in cases else None,
            score=round(score, 2),
            children=[] if person.id in cases else _leads_to(links.get(person.id, set()), cases),
        )
        for person, score in scored
    ]


def _leads_to(children: set[int], cases: dict[int, Row[Any]]) -> list[LinkedCase]:
    """The children's cases an adult (or a child whose own case is not the user's) leads to."""
    return [
        LinkedCase(case_id=case.id, case_number=case.case_number, full_name=case.full_name)
        for case in sorted((cases[c] for c in children if c in cases), key=lambda c: c.id)
    ]
