"""Pages for people and cases: the worker's caseload."""

from fastapi import APIRouter, Request, Response

from app.deps import PageUser, SessionDep
from app.people import service
from app.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/caseload")
def caseload(request: Request, db: SessionDep, user: PageUser) -> Response:
    cases = service.caseload(session=db, user=user)
    families = {family_id for case in cases for family_id in case.family_ids[:1]}
    return render(
        request,
        "people/caseload.html",
        {
            "title": "My caseload",
            "active_nav": "caseload",
            "cases": cases,
            "family_count": len(families),
        },
    )
