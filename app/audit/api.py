"""Who has seen or changed a child's record: for managers and auditors. Read-only, always."""

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from app.auth import access
from app.deps import ApiUser, Id, SessionDep

router = APIRouter(prefix="/api", tags=["audit"])


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
def case_audit(case_id: Id, db: SessionDep, user: ApiUser) -> list[EventOut]:
    """Every view, print, change and refusal on this child's case, newest first."""
    _, events = access.open_trail(session=db, user=user, case_id=case_id)
    return [EventOut.model_validate(e) for e in events]
