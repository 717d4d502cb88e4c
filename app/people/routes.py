"""Pages for people and cases: the caseload, the child, search."""

from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import select

from app.audit import service as audit
from app.auth import access
from app.auth.access import Action
from app.auth.models import User
from app.deps import CsrfChecked, Id, LibraryDep, PageUser, SessionDep
from app.engine.library import Library
from app.people import service
from app.people.models import Case
from app.records import service as records_service
from app.records.models import Record
from app.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])


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


@router.get("/children/{case_id}")
def child_page(
    case_id: Id, request: Request, db: SessionDep, library: LibraryDep, user: PageUser
) -> Response:
    """The child: identity, the people around them, records, what is next."""
    view = access.open_child(session=db, user=user, case_id=case_id, via="page")
    records = records_service.records_for_case(session=db, case_id=case_id)
    rows = [_record_row(library, record) for record in records]
    startable = [(e.id, records_service.title_of(e)) for e in library.current()]
    context = {
        "title": view.child.full_name,
        "child": view,
        "records": rows,
        "startable": startable,
    }
    return render(request, "people/child.html", context)


def _record_row(library: Library, record: Record) -> dict[str, Any]:
    exemplar = records_service.definition_of(library=library, record=record)
    due = records_service.due_date(library=library, record=record)
    return {"record": record, "title": records_service.title_of(exemplar), "due": due}


@router.get("/search")
def search(request: Request, db: SessionDep, user: PageUser, q: str = "") -> Response:
    """One box: a name (misspellings allowed), a date of birth or a case number."""
    found = service.search(session=db, text=q) if q.strip() else []
    visible = set(db.scalars(select(Case.id).where(access.visible_cases(user))))
    results = [r for r in found if r.case_id in visible]  # only what this user may see
    audit.record(
        session=db,
        actor=user,
        action="search",
        target_type="search",
        detail={"results": len(results)},
    )
    db.commit()
    return render(
        request,
        "people/search.html",
        {"title": "Find a child or person", "q": q, "results": results, "active_nav": "search"},
    )


@router.get("/children/{case_id}/audit")
def who_has_seen(case_id: Id, request: Request, db: SessionDep, user: PageUser) -> Response:
    """Who has looked at, printed or changed this child's record, and who was refused."""
    case = access.require_case(session=db, user=user, action=Action.SEE_AUDIT, case_id=case_id)
    events = audit.for_case(session=db, case_id=case_id)
    names = {
        u.id: u.full_name
        for u in db.scalars(select(User).where(User.id.in_({e.actor_id for e in events})))
    }
    audit.record(
        session=db,
        actor=user,
        action="audit.view",
        target_type="case",
        target_id=case_id,
        case_id=case_id,
    )
    db.commit()
    context = {
        "title": f"Who has seen {case.child.full_name}'s record",
        "events": events,
        "names": names,
        "case": case,
    }
    return render(request, "people/audit.html", context)
