"""Schedule a meeting, write invitations, record minutes linked to every child discussed."""

from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.audit import service as audit
from app.audit.service import AuditAction
from app.auth.models import User
from app.errors import NotFound
from app.meetings.models import Meeting, MeetingChild
from app.meetings.schemas import MeetingIn

LOCAL = ZoneInfo("Europe/London")
KIND_WORDS = {
    "cin_review": "child in need review meeting",
    "cp_conference": "child protection conference",
    "lac_review": "review meeting for a child in care",
    "core_group": "core group meeting",
}


def schedule(*, session: Session, actor: User, data: MeetingIn) -> Meeting:
    """A meeting about one or more children (siblings are discussed together, minuted once)."""
    starts = data.starts_at
    if starts.tzinfo is None:  # a time typed without a zone is a time in England and Wales
        starts = starts.replace(tzinfo=LOCAL)
    meeting = Meeting(
        kind=data.kind,
        starts_at=starts,
        venue=data.venue,
        invitees=[i.model_dump() for i in data.invitees],
        created_by_id=actor.id,
    )
    session.add(meeting)
    session.flush()
    session.add_all(MeetingChild(meeting_id=meeting.id, case_id=c) for c in data.case_ids)
    audit.record_on_each(
        session=session,
        case_ids=data.case_ids,
        actor=actor,
        action=AuditAction.MEETING_SCHEDULE,
        target_type="meeting",
        target_id=meeting.id,
    )
    return meeting


def get(*, session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(f"No meeting with id {meeting_id}.", field="meeting_id")
    return meeting


def case_ids(meeting: Meeting) -> list[int]:
    return [child.case_id for child in meeting.children]


def record_minutes(*, session: Session, actor: User, meeting_id: int, minutes: str) -> Meeting:
    """Minutes are kept once and linked to every child the meeting discussed."""
    meeting = get(session=session, meeting_id=meeting_id)
    meeting.minutes = minutes
    meeting.minutes_by_id = actor.id
    audit.record_on_each(
        session=session,
        case_ids=case_ids(meeting),
        actor=actor,
        action=AuditAction.MEETING_MINUTES,
        target_type="meeting",
        target_id=meeting.id,
    )
    return meeting


def for_case(*, session: Session, case_id: int) -> list[Meeting]:
    query = (
        select(Meeting)
        .join(MeetingChild)
        .where(MeetingChild.case_id == case_id)
        .order_by(Meeting.starts_at)
    )
    return list(session.scalars(query))


def for_cases(*, session: Session, case_ids: list[int]) -> list[Meeting]:
    """The meetings about any of these children, earliest first, each with its children."""
    query = (
        select(Meeting)
        .where(
            Meeting.id.in_(
                select(MeetingChild.meeting_id).where(MeetingChild.case_id.in_(case_ids))
            )
        )
        .options(selectinload(Meeting.children))
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return list(session.scalars(query))
