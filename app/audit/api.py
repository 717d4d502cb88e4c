"""Who has seen or changed a child's record: for managers and auditors. Read-only, always."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from app.access import Granted, Target, allow
from app.audit import service as audit
from app.audit.service import AuditAction
from app.cases.policy import Action
from app.deps import Id, SessionDep

router = APIRouter(prefix="/api", tags=["audit"])
SeeingTrail = Annotated[Granted, allow(Action.SEE_AUDIT, Target.CASE, event=AuditAction.AUDIT_VIEW)]


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    actor_id: int | None
    action: str
    target_type: str
    target_id: int | None
    allowed: bool
    detail: dict[str, Any]


@router.get("/cases/{case_id}/audit")
def case_audit(case_id: Id, db: SessionDep, granted: SeeingTrail) -> list[EventOut]:
    """Every view, print, change and refusal on this child's case, newest first."""
    return [EventOut.model_validate(e) for e in audit.for_case(session=db, case_id=case_id)]
