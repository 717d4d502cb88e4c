"""JSON API for cases: open, allocate, close, reopen, the child's view and the caseload."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter

from app.access import Granted, SignedIn, Target, allow
from app.cases import care, episodes, service
from app.cases.policy import Action
from app.cases.schemas import (
    CareEventIn,
    CaseClose,
    CaseIn,
    CaseOut,
    CasePatch,
    CaseSummary,
    ChildView,
    LookedAfterOut,
)
from app.deps import CsrfChecked, Id, LibraryDep, SessionDep
from app.engine.library import Library
from app.errors import Invalid

router = APIRouter(prefix="/api", tags=["cases"], dependencies=[CsrfChecked])
Opening = Annotated[Granted, allow(Action.WRITE, Target.NO_CASE)]
Viewing = Annotated[Granted, allow(Action.VIEW, Target.CASE)]
Allocating = Annotated[Granted, allow(Action.ALLOCATE, Target.CASE)]
LookingAfter = Annotated[Granted, allow(Action.LOOKED_AFTER, Target.CASE)]


@router.post("/cases", status_code=201)
def open_case(body: CaseIn, db: SessionDep, library: LibraryDep, granted: Opening) -> CaseOut:
    """Open a case for a child: someone in another child's network must be reachable by you."""
    _listed(library, body.legal_status)
    granted.check_people(db, {"child_id": body.child_id}, Action.WRITE)
    case = service.open_case(session=db, actor=granted.user, data=body)
    db.commit()
    return CaseOut.model_validate(case)


@router.get("/cases/by-number/{case_number}")
def case_by_number(
    case_number: str, granted: Annotated[Granted, allow(Action.VIEW, Target.CASE_NUMBER)]
) -> CaseOut:
    return CaseOut.model_validate(granted.case)


@router.get("/cases/{case_id}")
def get_case(case_id: Id, granted: Viewing) -> CaseOut:
    return CaseOut.model_validate(granted.case)


@router.patch("/cases/{case_id}")
def change_case(
    case_id: Id, body: CasePatch, db: SessionDep, library: LibraryDep, granted: Allocating
) -> CaseOut:
    _listed(library, body.legal_status)
    case = service.change_case(session=db, actor=granted.user, case_id=case_id, data=body)
    db.commit()
    return CaseOut.model_validate(case)


def _listed(library: Library, legal_status: str | None) -> None:
    """A legal status is a code of the `legal_status` list, whatever the schema lets through."""
    listed = library.codelists.get("legal_status")
    codes = [option.code for option in listed.options] if listed else []
    if legal_status is not None and legal_status not in codes:
        raise Invalid(
            f"Choose a legal status from the list: {', '.join(codes)}.", field="legal_status"
        )


@router.post("/cases/{case_id}/close")
def close_case(case_id: Id, body: CaseClose, db: SessionDep, granted: Allocating) -> CaseOut:
    case = service.close_case(session=db, actor=granted.user, case_id=case_id, data=body)
    db.commit()
    return CaseOut.model_validate(case)


@router.post("/cases/{case_id}/reopen")
def reopen_case(case_id: Id, body: CaseClose, db: SessionDep, granted: Allocating) -> CaseOut:
    case = service.reopen_case(session=db, actor=granted.user, case_id=case_id, reason=body.reason)
    db.commit()
    return CaseOut.model_validate(case)


@router.get("/children/{case_id}")
def child_view(case_id: Id, db: SessionDep, granted: Viewing) -> ChildView:
    return service.child_view(session=db, case_id=case_id)


@router.get("/caseload")
def caseload(db: SessionDep, user: SignedIn) -> list[CaseSummary]:
    return service.caseload(session=db, user=user)


@router.get("/cases/{case_id}/looked-after")
def looked_after(case_id: Id, db: SessionDep, granted: Viewing) -> LookedAfterOut:
    """The child's care events (corrections kept), the SSDA903 episodes and the current one."""
    return episodes.looked_after_out(episodes.events_of(session=db, case_ids=[case_id])[case_id])


@router.post("/cases/{case_id}/looked-after/events", status_code=201)
def record_care_event(
    case_id: Id, body: CareEventIn, db: SessionDep, library: LibraryDep, granted: LookingAfter
) -> LookedAfterOut:
    """Becoming looked after, a legal status, a placement or move, the end of care, or a
    correction of one of them: appended, never changed."""
    care.record_event(
        session=db,
        actor=granted.user,
        library=library,
        case_id=case_id,
        data=body,
        today=date.today(),
    )
    db.commit()
    return episodes.looked_after_out(episodes.events_of(session=db, case_ids=[case_id])[case_id])
