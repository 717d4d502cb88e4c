"""A family's replies to a printout: recorded from a returned slip or a call, then acted on.

Reading the replies needs the child's VIEW; recording one needs PRINT (those who send printouts
out — the worker, business support, the manager — take what comes back); deciding what a
correction leads to needs WRITE, since an amendment opens the record's next version.
"""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from app.access import Granted, Target, allow
from app.cases import service as cases
from app.cases.policy import Action, allowed
from app.deps import CsrfChecked, Id, LibraryDep, SessionDep
from app.errors import Invalid
from app.printing import replies, service
from app.printing.models import Printout
from app.records import service as records
from app.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])
Reading = Annotated[Granted, allow(Action.VIEW, Target.PRINTOUT, page=True)]
Recording = Annotated[Granted, allow(Action.PRINT, Target.PRINTOUT, page=True)]
Deciding = Annotated[Granted, allow(Action.WRITE, Target.PRINTOUT, page=True)]
Text = Annotated[str, Form(max_length=25_000)]
DatePart = Annotated[str, Form(max_length=10)]


def _page(
    request: Request, db: SessionDep, library: LibraryDep, granted: Granted, **extra: Any
) -> Response:
    printout = service.get_printout(session=db, printout_id=granted.target_id or 0)
    if printout.record_id is None:
        raise Invalid("Replies are recorded against a copy of a record.", field="printout_id")
    record = records.get(session=db, record_id=printout.record_id)
    user, case = granted.user, granted.case
    context = {
        "title": "Replies to this printout",
        "printout": printout,
        "record": record,
        "record_title": records.title_of(records.definition_of(library=library, record=record)),
        "child": cases.child_view(session=db, case_id=record.case_id),
        # An amendment opens a finalised record's next version; a draft is simply corrected.
        "finalised": record.status == records.RecordStatus.FINALISED,
        "replies": replies.of_printout(session=db, printout_id=printout.id),
        "kinds": replies.KINDS,
        "received": replies.RECEIVED,
        # The user already sees the case, so a restricted case names them.
        "can_record": allowed(user=user, action=Action.PRINT, case=case, named=True),
        "can_decide": allowed(user=user, action=Action.WRITE, case=case, named=True),
        "errors": {},
        "posted": {},
        **extra,
    }
    status = 422 if context["errors"] else 200
    return render(request, "printing/replies.html", context, status_code=status)


@router.get("/printouts/{printout_id}/replies")
def replies_page(
    printout_id: Id, request: Request, db: SessionDep, library: LibraryDep, granted: Reading
) -> Response:
    """What the family said back about this copy, and what was done about each correction."""
    return _page(request, db, library, granted)


def _date(day: str, month: str, year: str) -> date | None:
    if not (day or month or year):
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise Invalid("Enter a real date, for example 3 12 2026.", field="received_on") from None


@router.post("/printouts/{printout_id}/replies")
def record_reply(
    printout_id: Id,
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    granted: Recording,
    kind: Annotated[str, Form(max_length=20)] = "",
    from_whom: Annotated[str, Form(max_length=300)] = "",
    received_by: Annotated[str, Form(max_length=20)] = "",
    day: Annotated[str, Form(alias="received_on-day", max_length=10)] = "",
    month: Annotated[str, Form(alias="received_on-month", max_length=10)] = "",
    year: Annotated[str, Form(alias="received_on-year", max_length=10)] = "",
    text: Text = "",
) -> Response:
    """Keep a reply as the family said it; a mistake is shown on the form, nothing written."""
    posted = {"kind": kind, "from_whom": from_whom, "received_by": received_by, "text": text}
    posted |= {"day": day, "month": month, "year": year}
    printout: Printout = service.get_printout(session=db, printout_id=printout_id)
    try:
        data = replies.ReplyIn(kind, from_whom, received_by, _date(day, month, year), text)
        reply = replies.record(session=db, actor=granted.user, printout=printout, data=data)
    except Invalid as error:
        db.rollback()
        errors = {error.field or "text": error.message}
        return _page(request, db, library, granted, errors=errors, posted=posted)
    db.commit()
    return RedirectResponse(f"/printouts/{printout_id}/replies#reply-{reply.id}", status_code=303)


@router.post("/printouts/{printout_id}/replies/{reply_id}/amend")
def amend_for_reply(
    printout_id: Id,
    reply_id: Id,
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    granted: Deciding,
    reason: Annotated[str, Form(max_length=3000)] = "",
) -> Response:
    """The correction is right: open the record's next version, naming the reply."""
    printout = service.get_printout(session=db, printout_id=printout_id)
    reply = replies.get(session=db, printout=printout, reply_id=reply_id)
    try:
        replies.amend_for(session=db, actor=granted.user, reply=reply, reason=reason)
    except Invalid as error:
        db.rollback()
        errors = {f"reason-{reply_id}": error.message}
        return _page(request, db, library, granted, errors=errors, posted={"reason": reason})
    db.commit()
    return RedirectResponse(f"/records/{reply.record_id}?amended=1", status_code=303)


@router.post("/printouts/{printout_id}/replies/{reply_id}/disagreement")
def record_disagreement(
    printout_id: Id,
    reply_id: Id,
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    granted: Deciding,
    note: Annotated[str, Form(max_length=3000)] = "",
) -> Response:
    """The record stands: keep the family's view beside it, printed in later copies."""
    printout = service.get_printout(session=db, printout_id=printout_id)
    reply = replies.get(session=db, printout=printout, reply_id=reply_id)
    try:
        replies.disagree(session=db, actor=granted.user, reply=reply, note=note)
    except Invalid as error:
        db.rollback()
        errors = {f"note-{reply_id}": error.message}
        return _page(request, db, library, granted, errors=errors, posted={"note": note})
    db.commit()
    return RedirectResponse(f"/printouts/{printout_id}/replies#reply-{reply_id}", status_code=303)
