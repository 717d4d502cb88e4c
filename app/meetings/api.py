"""JSON API for meetings: schedule, invitations as letters, minutes."""

from fastapi import APIRouter, Response
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.auth import access
from app.auth.access import Action
from app.auth.models import User
from app.deps import ApiUser, CsrfChecked, Id, SessionDep
from app.meetings import service
from app.meetings.models import Meeting
from app.meetings.schemas import MeetingIn, MeetingOut, MinutesIn
from app.people import service as people
from app.printing import pdf

router = APIRouter(prefix="/api", tags=["meetings"], dependencies=[CsrfChecked])


@router.post("/meetings", status_code=201)
def schedule(body: MeetingIn, db: SessionDep, user: ApiUser) -> MeetingOut:
    for case_id in body.case_ids:
        access.require_case(session=db, user=user, action=Action.MEETINGS, case_id=case_id)
    meeting = service.schedule(session=db, actor=user, data=body)
    db.commit()
    return _out(meeting)


@router.get("/meetings/{meeting_id}")
def get_meeting(meeting_id: Id, db: SessionDep, user: ApiUser) -> MeetingOut:
    return _out(_meeting(db, user, meeting_id, Action.VIEW))


@router.post("/meetings/{meeting_id}/minutes")
def minutes(meeting_id: Id, body: MinutesIn, db: SessionDep, user: ApiUser) -> MeetingOut:
    _meeting(db, user, meeting_id, Action.MEETINGS)
    meeting = service.record_minutes(
        session=db, actor=user, meeting_id=meeting_id, minutes=body.minutes
    )
    db.commit()
    return _out(meeting)


@router.get("/meetings/{meeting_id}/invitations/{number}")
def invitation(meeting_id: Id, number: int, db: SessionDep, user: ApiUser) -> Response:
    """The invitation letter for one invitee (numbered from 1), as a PDF; sending is audited."""
    meeting = _meeting(db, user, meeting_id, Action.MEETINGS)
    if not 1 <= number <= len(meeting.invitees):
        from app.errors import NotFound

        raise NotFound(f"This meeting has {len(meeting.invitees)} invitees.", field="number")
    invitee = meeting.invitees[number - 1]
    children = [
        people.get_case(session=db, case_id=c).child.full_name for c in service.case_ids(meeting)
    ]
    context = {
        "meeting": meeting,
        "starts": meeting.starts_at.astimezone(service.LOCAL),
        "invitee": invitee,
        "children": children,
        "kind_words": service.KIND_WORDS.get(meeting.kind, "meeting"),
        "sender": user.full_name,
    }
    data = pdf.render_letter("meeting/invitation.html", context)
    for case_id in service.case_ids(meeting):
        detail = {"meeting": meeting.id, "to": invitee["name"], "role": invitee["role"]}
        audit.record(
            session=db,
            actor=user,
            action="meeting.invitation",
            target_type="meeting",
            target_id=meeting.id,
            case_id=case_id,
            detail=detail,
        )
    db.commit()
    headers = {
        "Content-Disposition": f'attachment; filename="invitation-{meeting.id}-{number}.pdf"'
    }
    return Response(data, media_type="application/pdf", headers=headers)


def _meeting(db: Session, user: User, meeting_id: int, action: Action) -> Meeting:
    """The meeting, if the user may do `action` to every child it discusses."""
    meeting = service.get(session=db, meeting_id=meeting_id)
    for case_id in service.case_ids(meeting):
        access.require_case(session=db, user=user, action=action, case_id=case_id)
    return meeting


def _out(meeting: Meeting) -> MeetingOut:
    return MeetingOut(
        id=meeting.id,
        kind=meeting.kind,
        starts_at=meeting.starts_at,
        venue=meeting.venue,
        invitees=meeting.invitees,
        minutes=meeting.minutes,
        case_ids=service.case_ids(meeting),
    )
