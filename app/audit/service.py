"""Write audit events. Append-only: there is no function here, or route anywhere, that edits one."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.auth.models import User


def record(
    *,
    session: Session,
    actor: User | None,
    action: str,
    target_type: str,
    target_id: int | None = None,
    case_id: int | None = None,
    allowed: bool = True,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one event: who did what to which thing (and whether they were allowed to)."""
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        case_id=case_id,
        allowed=allowed,
        detail=detail or {},
    )
    session.add(event)
    session.flush()
    return event


def for_case(*, session: Session, case_id: int, limit: int = 500) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.case_id == case_id)
            .order_by(AuditEvent.id.desc())
            .limit(limit)
        )
    )
