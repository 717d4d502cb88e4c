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
from app.records.models import Record, RecordStatus
from app.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])


@router.get("/caseload")
def caseload(request: Request, db: SessionDep, library: LibraryDep, user: PageUser) -> Response:
    """My children, and for each what is in progress and what is due next."""
    cases = service.caseload(session=db, user=user)
    families = {family_id for case in cases for family_id in case.family_ids[:1]}
    work = {case.case_id: _work(db, library, case.case_id) for case in cases}
    context = {
        "title": "My caseload",
        "active_nav": "caseload",
        "cases": cases,
        "family_count": len(families),
        "work": work,
    }
    return render(request, "people/caseload.html", context)


def _work(db: Any, library: Library, case_id: int) -> dict[str, Any]:
    """Drafts in progress and the nearest due date among records not yet completed."""
    open_records = [
        r
        for r in records_service.records_for_case(session=db, case_id=case_id)
        if r.status in records_service.EDITABLE and r.status != RecordStatus.SUBMITTED
    ]
    dues = [
        (due, r)
        for r in open_records
        if (due := records_service.due_date(library=library, record=r)) is not None
    ]
    soonest = min(dues, key=lambda pair: pair[0][0]) if dues else None
    next_due = None
    if soonest:
        exemplar = records_service.definition_of(library=library, record=soonest[1])
        next_due = {
            "on": soonest[0][0],
            "what": records_service.title_of(exemplar),
            "id": soonest[1].id,
        }
    return {"drafts": len(open_records), "next_due": next_due}


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
    case, events = access.open_trail(session=db, user=user, case_id=case_id)
    names = {
        u.id: u.full_name
        for u in db.scalars(select(User).where(User.id.in_({e.actor_id for e in events})))
    }
    context = {
        "title": f"Who has seen {case.child.full_name}'s record",
        "events": events,
        "names": names,
        "case": case,
    }
    return render(request, "people/audit.html", context)


@router.get("/families/{family_id}")
def family_page(family_id: Id, request: Request, db: SessionDep, user: PageUser) -> Response:
    """A household: every child and adult in it, each with their pen-picture, written once."""
    family = service.get_family(session=db, family_id=family_id)
    cases = _cases_of(db, [m.person_id for m in family.members])
    _require_any(db, user, cases)
    pictures = service.current_pen_pictures(
        session=db, person_ids=[m.person_id for m in family.members]
    )
    context = {
        "title": family.name,
        "family": family,
        "pictures": pictures,
        "cases": {c.child_id: c for c in cases},
    }
    return render(request, "people/family.html", context)


@router.get("/people/{person_id}")
def person_page(person_id: Id, request: Request, db: SessionDep, user: PageUser) -> Response:
    """One person and the history of their pen-picture: who wrote what, when."""
    person = service.get_person(session=db, person_id=person_id)
    families = service.families_of(session=db, person_id=person_id)
    members = [m.person_id for f in families for m in f.members] or [person_id]
    _require_any(db, user, _cases_of(db, members))
    history = service.pen_picture_history(session=db, person_id=person_id)
    names = {
        u.id: u.full_name
        for u in db.scalars(select(User).where(User.id.in_({h.author_id for h in history})))
    }
    context = {
        "title": person.full_name,
        "person": person,
        "history": history,
        "names": names,
        "families": families,
    }
    return render(request, "people/person.html", context)


def _cases_of(db: Any, person_ids: list[int]) -> list[Case]:
    return list(db.scalars(select(Case).where(Case.child_id.in_(person_ids))))


def _require_any(db: Any, user: Any, cases: list[Case]) -> None:
    """A family or adult is visible through any child of theirs the user may see."""
    for case in cases:
        named = access.is_named(session=db, user=user, case=case)
        if access.allowed(user=user, action=Action.VIEW, case=case, named=named):
            return
    if not cases:  # nobody's child: nothing here is anyone's business yet
        raise access.Forbidden("There is no child's record to see this through.", field="body")
    access.require(session=db, user=user, action=Action.VIEW, case=cases[0])
