"""Find a child: by case number, date of birth, or a name that may be misspelt.

The access filter is part of the query (only children whose case the user may see are candidates),
so a common name never hides the user's own children behind others they may not see.
"""

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.cases.service import get_case_by_number
from app.people import service as people
from app.people.schemas import SearchResult
from app.timescales.calendar import typed_date


def search(
    *, session: Session, text: str, visible: ColumnElement[bool], limit: int = 50
) -> list[SearchResult]:
    """Children by case number, date of birth, or name, best first, among the `visible` cases."""
    text = text.strip()
    among = select(Case.child_id).where(visible)
    case = get_case_by_number(session=session, case_number=text)
    if case is not None:
        scored = people.scored_among(session=session, person_ids=[case.child_id], among=among)
    elif (born := typed_date(text)) is not None:
        scored = people.born_on(session=session, day=born, among=among, limit=limit)
    else:
        scored = people.by_name(session=session, text=text, among=among, limit=limit)
    cases = {
        c.child_id: c
        for c in session.scalars(
            select(Case).where(Case.child_id.in_([person.id for person, _ in scored]))
        )
    }
    return [
        SearchResult(
            person_id=person.id,
            full_name=person.full_name,
            date_of_birth=person.date_of_birth,
            case_id=cases[person.id].id if person.id in cases else None,
            case_number=cases[person.id].case_number if person.id in cases else None,
            score=round(score, 2),
        )
        for person, score in scored
    ]
