"""Write audit events. Append-only: there is no function here, or route anywhere, that edits one."""

import enum
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol, Required, TypedDict, Unpack

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent


class AuditAction(enum.StrEnum):
    """Every kind of event, so a trail can be read (and filtered) without guessing at strings."""

    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in.failed"
    SIGN_IN_REFUSED = "sign_in.refused"
    SIGN_IN_THROTTLED = "sign_in.throttled"
    PASSWORD_CHANGE = "password.change"  # noqa: S105 - an event name, not a password
    PASSWORD_CHANGE_REFUSED = "password.change_refused"  # noqa: S105 - an event name
    PASSWORD_CHANGE_THROTTLED = "password.change_throttled"  # noqa: S105 - an event name
    PROFILE_CHANGE = "user.profile_change"
    DENIED = "denied"
    DENIED_AUTHOR_ONLY = "denied.author_only"
    CHILD_VIEW = "child.view"
    RECORD_VIEW = "record.view"
    PERSON_VIEW = "person.view"
    MEETING_VIEW = "meeting.view"
    PRINTOUT_VIEW = "printout.view"
    AUDIT_VIEW = "audit.view"
    SEARCH = "search"
    CHANGE = "change"
    RECORD_START = "record.start"
    RECORD_SUBMIT = "record.submit"
    RECORD_RETURN = "record.return"
    RECORD_FINALISE = "record.finalise"
    RECORD_AMEND = "record.amend"
    RECORD_SECTION_MARK = "record.section_mark"
    RECORD_PRINT = "record.print"
    PRINT_DOWNLOAD = "record.print_download"  # a PDF made off the request, downloaded
    PRINTOUT_REPLY = "printout.reply"  # a family's reply recorded, or what came of a correction
    MEETING_SCHEDULE = "meeting.schedule"
    MEETING_INVITATION = "meeting.invitation"
    MEETING_MINUTES = "meeting.minutes"
    CASE_ALLOCATE = "case.allocate"
    ATTACHMENT_ADD = "attachment.add"
    ATTACHMENT_VIEW = "attachment.view"
    ATTACHMENT_WITHDRAW = "attachment.withdraw"
    CARE_EVENT = "care.event"
    RETURNS_EXPORT = "returns.export"  # a statutory return built from every case (who, which, how)
    RETURN_VIEW = "returns.view"  # a return's problems, listed for the data manager


class Actor(Protocol):
    """Whoever acts: anything with a user id (audit knows nothing else about users)."""

    @property
    def id(self) -> int: ...


class EventFields(TypedDict, total=False):
    """What an event says: who did what to which thing (and whether they were allowed to)."""

    actor: Required[Actor | None]
    action: Required[AuditAction]
    target_type: Required[str]
    target_id: int | None
    case_id: int | None
    allowed: bool
    detail: dict[str, Any] | None


def event(**what: Unpack[EventFields]) -> AuditEvent:
    """One event, not yet added to any session."""
    actor = what["actor"]
    return AuditEvent(
        actor_id=actor.id if actor else None,
        action=what["action"].value,
        target_type=what["target_type"],
        target_id=what.get("target_id"),
        case_id=what.get("case_id"),
        allowed=what.get("allowed", True),
        detail=what.get("detail") or {},
    )


def record(*, session: Session, **what: Unpack[EventFields]) -> AuditEvent:
    """Add one event to the session's unit of work."""
    added = event(**what)
    session.add(added)
    session.flush()
    return added


class OnEachFields(TypedDict, total=False):
    """An event's fields but the case: it goes on each child's trail."""

    actor: Required[Actor | None]
    action: Required[AuditAction]
    target_type: Required[str]
    target_id: int | None
    allowed: bool
    detail: dict[str, Any] | None


def on_each(case_ids: Sequence[int], **what: Unpack[OnEachFields]) -> list[AuditEvent]:
    """The same event for the trail of every child it concerns (one with no child if none)."""
    on_cases: list[int | None] = [*case_ids] or [None]
    return [event(case_id=case_id, **what) for case_id in on_cases]


def record_on_each(
    *, session: Session, case_ids: Sequence[int], **what: Unpack[OnEachFields]
) -> None:
    """Add the same event to the trail of every child it concerns."""
    session.add_all(on_each(case_ids, **what))
    session.flush()


def for_case(*, session: Session, case_id: int, limit: int = 500) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.case_id == case_id)
            .order_by(AuditEvent.id.desc())
            .limit(limit)
        )
    )


def count(
    *, session: Session, action: AuditAction, target_type: str, target_id: int, since: datetime
) -> int:
    """How many events of one kind a thing has had since a moment (e.g. failed sign-ins)."""
    query = select(func.count(AuditEvent.id)).where(
        AuditEvent.action == action.value,
        AuditEvent.target_type == target_type,
        AuditEvent.target_id == target_id,
        AuditEvent.at >= since,
    )
    return int(session.scalar(query) or 0)


def latest_details(
    *, session: Session, action: AuditAction, target_type: str, target_ids: Sequence[int]
) -> dict[int, dict[str, Any]]:
    """Per target, the detail of its newest event of one kind (e.g. each record's last return)."""
    if not target_ids:
        return {}
    query = (
        select(AuditEvent)
        .where(
            AuditEvent.action == action.value,
            AuditEvent.target_type == target_type,
            AuditEvent.target_id.in_(target_ids),
        )
        .order_by(AuditEvent.id)
    )
    return {e.target_id: e.detail for e in session.scalars(query) if e.target_id is not None}


def changes_to(*, session: Session, target_type: str, target_id: int) -> list[AuditEvent]:
    """What was changed in one thing, newest first, each change once.

    A change to someone around several children is one event on each child's trail, written
    together (consecutive ids, same actor and detail): those read as the one change they are.
    """
    query = (
        select(AuditEvent)
        .where(
            AuditEvent.action == AuditAction.CHANGE.value,
            AuditEvent.target_type == target_type,
            AuditEvent.target_id == target_id,
        )
        .order_by(AuditEvent.id.desc())
        .limit(500)
    )
    found: list[AuditEvent] = []
    for event in session.scalars(query):
        if found and (found[-1].actor_id, found[-1].detail) == (event.actor_id, event.detail):
            continue
        found.append(event)
    return found
