"""JSON API for meetings: schedule, invitations as letters, minutes."""

from typing import Annotated

from fastapi import APIRouter, Response

from app.access import Granted, Target, allow
from app.audit import service as audit
from app.audit.service import AuditAction
from app.cases.policy import Action
from app.deps import CsrfChecked, Id, SessionDep, SettingsDep, keep_at_end
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
        session=db,
        actor=granted.user,
        meeting_id=meeting_id,
        minutes=body.minutes,
        attendance=list(body.attendance),
    )
    db.commit()
    return _out(meeting)


@router.get("/meetings/{meeting_id}/invitations/{number}")
def invitation(
    meeting_id: Id, number: int, db: SessionDep, settings: SettingsDep, granted: Arranging
) -> Response:
    """The invitation letter for one invitee (numbered from 1), as a PDF, in the wording chosen
    for them and signed by the chair or the worker. Sending it is logged by the meeting's page
    (`POST /meetings/{id}/letters`, the distribution log); this download is audited."""
    meeting = service.get(session=db, meeting_id=meeting_id)
    context = service.letters(
        session=db, meeting=meeting, numbers=[number], dated={}, council=settings.council_name
    )
    invitee = meeting.invitees[number - 1]
    data = pdf.render_letter("meeting/invitation.html", context)
    sent = audit.on_each(
        service.case_ids(meeting),
        actor=granted.user,
        action=AuditAction.MEETING_INVITATION,
        target_type="meeting",
        target_id=meeting.id,
        detail={"meeting": meeting.id, "invitee": number, "wording": invitee["wording"]},
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
        chair_id=meeting.chair_id,
        invitees=meeting.invitees,
        minutes=meeting.minutes,
        case_ids=service.case_ids(meeting),
    )
