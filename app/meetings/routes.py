"""Meetings on the web: the team's meetings, arrange one from a child's page, the meeting's page
(invitees, letters, minutes) and the review started from it."""

from datetime import date
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from app.access import ENTER, Granted, Target, allow, permit
from app.audit import service as audit
from app.audit.service import AuditAction
from app.cases import service as cases
from app.cases.policy import Action, allowed, visible_cases
from app.deps import CsrfChecked, Id, LibraryDep, SessionDep, SettingsDep
from app.errors import Invalid
from app.meetings import forms, service
from app.meetings.models import Meeting
from app.meetings.schemas import MeetingIn
from app.printing import pdf
from app.printing import service as printing
from app.records import service as records
from app.templating import render

if TYPE_CHECKING:
    from app.cases.models import Case

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])
Arranging = Annotated[Granted, allow(Action.MEETINGS, Target.MEETING, page=True)]
METHODS = ("post", "email", "in person")


@router.get("/meetings")
def team_meetings(
    request: Request,
    db: SessionDep,
    granted: Annotated[Granted, allow(Action.MEETINGS, Target.NO_CASE, page=True)],
) -> Response:
    """The team's meetings from today, soonest first."""
    user = granted.user
    shown = cases.team_cases(session=db, team_id=user.team_id, visible=visible_cases(user))
    names = {c.id: c.child.full_name for c in shown}
    found = service.for_cases(session=db, case_ids=list(names), since=date.today())
    # A meeting is listed only where every child it discusses is one the user may see.
    listed = [m for m in found if set(m.case_ids) <= set(names)]
    context = {"title": "Meetings", "active_nav": "meetings", "meetings": listed, "names": names}
    return render(request, "meetings/list.html", context)


@router.get("/children/{case_id}/meetings/new")
def arrange_page(
    case_id: Id,
    request: Request,
    db: SessionDep,
    granted: Annotated[Granted, allow(Action.MEETINGS, Target.CASE, page=True)],
) -> Response:
    """Arrange a meeting: which brothers and sisters, when, where, who chairs, who is invited."""
    form = forms.ArrangeForm.empty(case_id)
    return _arrange(request, db, granted, form, {})


@router.post("/children/{case_id}/meetings")
async def arrange(
    case_id: Id,
    request: Request,
    db: SessionDep,
    granted: Annotated[Granted, allow(Action.MEETINGS, Target.CASE, page=True)],
) -> Response:
    """Schedule it; a mistake is shown on the form again, naming the field, and nothing is kept."""
    form = forms.ArrangeForm.parse(await request.form(), case_id)
    offered = _siblings(db, granted)
    errors = form.problems(offered={c.id for c in offered})
    found = service.candidates(session=db, case_ids=[c.id for c in offered], on=date.today())
    invitees = form.invitees(found)
    if not errors:
        try:
            data = MeetingIn.model_validate(form.meeting(invitees))
        except ValidationError as refused:
            errors = forms.errors_of(refused)
    if errors:
        return _arrange(request, db, granted, form, errors, status_code=400)
    granted.check_cases(db, form.case_ids, Action.MEETINGS)
    meeting = service.schedule(session=db, actor=granted.user, data=data)
    db.commit()
    return RedirectResponse(f"/meetings/{meeting.id}?arranged=1", status_code=303)


def _arrange(
    request: Request,
    db: SessionDep,
    granted: Granted,
    form: forms.ArrangeForm,
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    offered = _siblings(db, granted)
    context = {
        "title": "Arrange a meeting",
        "case": granted.case,
        "siblings": offered,
        "form": form,
        "errors": errors,
        "kinds": service.KIND_WORDS,
        "chairs": service.chairs(session=db, team_id=granted.case.team_id),
        "candidates": service.candidates(
            session=db, case_ids=[c.id for c in offered], on=date.today()
        ),
        "wordings": forms.WORDINGS,
    }
    return render(request, "meetings/arrange.html", context, status_code=status_code)


def _siblings(db: SessionDep, granted: Granted) -> list["Case"]:
    """This child and the brothers and sisters in their households whose cases the user may
    arrange meetings for."""
    view = cases.child_view(session=db, case_id=granted.case.id)
    members = {m.person.id for f in view.families for m in f.members}
    around = cases.cases_of_children(session=db, child_ids=sorted(members))
    user = granted.user
    mine = [c for c in around if allowed(user=user, action=Action.MEETINGS, case=c)]
    return sorted(mine, key=lambda c: (c.id != granted.case.id, c.id))


@router.get("/meetings/{meeting_id}")
def meeting_page(
    meeting_id: Id,
    request: Request,
    db: SessionDep,
    granted: Annotated[Granted, allow(Action.VIEW, Target.MEETING, page=True)],
) -> Response:
    """The meeting: its children, invitees, letters sent, minutes and the review to start."""
    meeting = service.get(session=db, meeting_id=meeting_id)
    return _meeting(request, db, granted, meeting, {})


def _meeting(
    request: Request,
    db: SessionDep,
    granted: Granted,
    meeting: Meeting,
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    sent = printing.letters_of(session=db, meeting_id=meeting.id)
    latest = service.latest_minutes(session=db, meeting_id=meeting.id)
    context = {
        "title": service.KIND_WORDS[meeting.kind].capitalize(),
        "meeting": meeting,
        "kind_words": service.KIND_WORDS[meeting.kind],
        "when": service.when(meeting.starts_at),
        "cases": granted.cases,
        "chair": service.sender_of(session=db, meeting=meeting) if meeting.chair_id else None,
        "sender": service.sender_of(session=db, meeting=meeting),
        "attendance": service.attendance_of(session=db, meeting=meeting),
        "attendance_words": service.ATTENDANCE_WORDS,
        "sent": sent,
        "sent_to": {letter.invitee for letter in sent},
        "methods": METHODS,
        "minutes": latest,
        "errors": errors,
        "can_arrange": all(
            allowed(user=granted.user, action=Action.MEETINGS, case=c) for c in granted.cases
        ),
        "starts": service.starts_record(meeting),
        "sent_count": request.query_params.get("sent", "")[:3],
        "arranged": request.query_params.get("arranged") == "1",
        "wordings": forms.WORDINGS,
        "local": service.LOCAL,
    }
    return render(request, "meetings/meeting.html", context, status_code=status_code)


@router.post("/meetings/{meeting_id}/letters")
async def send_letters(
    meeting_id: Id, request: Request, db: SessionDep, settings: SettingsDep, granted: Arranging
) -> Response:
    """One letter per invitee ticked, each kept as a printout and logged in the distribution log
    with how it went; the trail of every child discussed says so too."""
    meeting = service.get(session=db, meeting_id=meeting_id)
    chosen = forms.methods(await request.form(), len(meeting.invitees), METHODS)
    if not chosen:
        return _meeting(
            request,
            db,
            granted,
            meeting,
            {"letters": "Choose how to send at least one letter"},
            400,
        )
    council = settings.council_name
    made = []
    for number, method in chosen.items():
        context = service.letters(
            session=db, meeting=meeting, numbers=[number], dated={}, council=council
        )
        made.append((number, method, pdf.letter("meeting/invitation.html", context)))
    for number, method, rendered in made:
        invitee = meeting.invitees[number - 1]
        printing.store_letter(
            session=db,
            actor=granted.user,
            meeting_id=meeting.id,
            invitee=number,
            wording=invitee["wording"],
            rendered=rendered,
            recipient=invitee["name"],
            method=method,
        )
        audit.record_on_each(
            session=db,
            case_ids=service.case_ids(meeting),
            actor=granted.user,
            action=AuditAction.MEETING_INVITATION,
            target_type="meeting",
            target_id=meeting.id,
            detail={"invitee": number, "method": method},
        )
    db.commit()
    return RedirectResponse(f"/meetings/{meeting_id}?sent={len(made)}#letters", status_code=303)


@router.get("/meetings/{meeting_id}/letters")
def all_letters(
    meeting_id: Id, db: SessionDep, settings: SettingsDep, granted: Arranging
) -> Response:
    """Every invitee's letter in one PDF, to print at once; each dated the day it was sent."""
    meeting = service.get(session=db, meeting_id=meeting_id)
    numbers = list(range(1, len(meeting.invitees) + 1))
    if not numbers:
        raise Invalid("This meeting has nobody invited yet.", field="invitees")
    return _letters_pdf(db, settings.council_name, meeting, numbers, f"letters-{meeting.id}")


@router.get("/meetings/{meeting_id}/letters/{number}")
def one_letter(
    meeting_id: Id, number: int, db: SessionDep, settings: SettingsDep, granted: Arranging
) -> Response:
    """One invitee's letter (numbered from 1)."""
    meeting = service.get(session=db, meeting_id=meeting_id)
    return _letters_pdf(
        db, settings.council_name, meeting, [number], f"letter-{meeting.id}-{number}"
    )


def _letters_pdf(
    db: SessionDep, council: str, meeting: Meeting, numbers: list[int], name: str
) -> Response:
    dated = {
        letter.invitee: letter.sent_at.astimezone(service.LOCAL).date()
        for letter in printing.letters_of(session=db, meeting_id=meeting.id)
    }
    context = service.letters(
        session=db, meeting=meeting, numbers=numbers, dated=dated, council=council
    )
    data = pdf.letter("meeting/invitation.html", context).pdf
    headers = {
        "Content-Disposition": f'attachment; filename="{name}.pdf"',
        "Cache-Control": "no-store",
    }
    return Response(data, media_type="application/pdf", headers=headers)


@router.post("/meetings/{meeting_id}/minutes")
async def minutes(meeting_id: Id, request: Request, db: SessionDep, granted: Arranging) -> Response:
    """The minutes and who came, kept once for every child discussed; earlier versions stay."""
    meeting = service.get(session=db, meeting_id=meeting_id)
    posted = await request.form()
    text, marks, errors = forms.minutes(posted, len(meeting.invitees))
    if errors:
        return _meeting(request, db, granted, meeting, errors, 400)
    service.record_minutes(
        session=db, actor=granted.user, meeting_id=meeting.id, minutes=text, attendance=marks
    )
    db.commit()
    return RedirectResponse(f"/meetings/{meeting_id}#minutes", status_code=303)


@router.post("/meetings/{meeting_id}/records")
def start_from_meeting(
    meeting_id: Id,
    db: SessionDep,
    library: LibraryDep,
    granted: Arranging,
    case_id: Annotated[int, Form(ge=1, le=2_147_483_647)],
) -> Response:
    """Start the child's review from this meeting: its date, chair and attendance pre-filled."""
    meeting = service.get(session=db, meeting_id=meeting_id)
    exemplar_id = service.starts_record(meeting)
    if exemplar_id is None or case_id not in service.case_ids(meeting):
        raise Invalid("Choose a child this meeting discussed.", field="case_id")
    entering = permit(db, granted.user, ENTER, Target.CASE, case_id)
    record = records.start(
        session=db,
        library=library,
        actor=granted.user,
        case_id=case_id,
        exemplar_id=exemplar_id,
        on_behalf_of=entering.typing_for(),
        known=service.record_facts(session=db, meeting=meeting),
    )
    db.commit()
    return RedirectResponse(f"/records/{record.id}", status_code=303)
