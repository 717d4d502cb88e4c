"""JSON API for meetings: schedule, invitations as letters, minutes."""

from typing import Annotated

from fastapi import APIRouter, Response

from app.access import Granted, Target, allow
from app.audit import service as audit
from app.audit.service import AuditAction
from app.cases.policy import Action
from app.deps import CsrfChecked, Id, SessionDep, keep_at_end
from app.errors import NotFound
from app.meetings import service
from app.meetings.models import Meeting
from app.meetings.schemas import MeetingIn, MeetingOut, MinutesIn
from app.printing import pdf

router = APIRouter(prefix="/api", tags=["meetings"], dependencies=[CsrfChecked])
Arranging = Annotated[Granted, allow(Action.MEETINGS, Target.MEETING)]


@router.post("/meetings", status_code=201)
def schedule(
    body: MeetingIn,
    db: SessionDep,
    granted: Annotated[Granted, allow(Action.MEETINGS, Target.NO_CASE)],
) -> MeetingOut:
    granted.check_cases(db, body.case_ids, Action.MEETINGS)
    meeting = service.schedule(session=db, actor=granted.user, data=body)
    db.commit()
    return _out(meeting)


@router.get("/meetings/{meeting_id}")
def get_meeting(
    meeting_id: Id, db: SessionDep, granted: Annotated[Granted, allow(Action.VIEW, Target.MEETING)]
) -> MeetingOut:
    return _out(service.get(session=db, meeting_id=meeting_id))


@router.post("/meetings/{meeting_id}/minutes")
def minutes(meeting_id: Id, body: MinutesIn, db: SessionDep, granted: Arranging) -> MeetingOut:
    meeting = service.record_minutes(
        session=db, actor=granted.user, meeting_id=meeting_id, minutes=body.minutes
    )
    db.commit()
    return _out(meeting)


@router.get("/meetings/{meeting_id}/invitations/{number}")
def invitation(meeting_id: Id, number: int, db: SessionDep, granted: Arranging) -> Response:
    """The invitation letter for one invitee (numbered from 1), as a PDF; sending is audited."""
    meeting = service.get(session=db, meeting_id=meeting_id)
    user = granted.user
    if not 1 <= number <= len(meeting.invitees):
        raise NotFound(f"This meeting has {len(meeting.invitees)} invitees.", field="number")
    invitee = meeting.invitees[number - 1]
    children = [c.child.full_name for c in granted.cases]
    context = {
        "meeting": meeting,
        "starts": meeting.starts_at.astimezone(service.LOCAL),
        "invitee": invitee,
        "children": children,
        "kind_words": service.KIND_WORDS.get(meeting.kind, "meeting"),
        "sender": user.full_name,
    }
    data = pdf.render_letter("meeting/invitation.html", context)
    sent = audit.on_each(
        service.case_ids(meeting),
        actor=user,
        action=AuditAction.MEETING_INVITATION,
        target_type="meeting",
        target_id=meeting.id,
        detail={"meeting": meeting.id, "to": invitee["name"], "role": invitee["role"]},
    )
    keep_at_end(db, *sent)
    headers = {
        "Content-Disposition": f'attachment; filename="invitation-{meeting.id}-{number}.pdf"'
    }
    return Response(data, media_type="application/pdf", headers=headers)


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
