"""Pages for attachments: add one (from the child's page or a record's section), download one,
withdraw one. Every form works without JavaScript; every download is audited by its guard."""

import re
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from app.access import ENTER, Granted, Target, allow
from app.attachments import content as checking
from app.attachments import service
from app.audit.service import AuditAction
from app.cases.policy import Action, allowed, writing_action
from app.deps import CsrfChecked, Id, SessionDep, SettingsDep
from app.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])
Adding = Annotated[Granted, allow(ENTER, Target.CASE, page=True)]
# Where an upload may send the worker back to: the child's page or a section of a record.
BACK = re.compile(r"/records/\d{1,10}/sections/[A-Za-z0-9_-]{1,80}")
# The paths whose form posts may carry a file (app.limits raises the body limit for them only).
UPLOAD_PATHS = re.compile(r"/children/\d{1,10}/attachments")
FORM_ROOM = 100_000  # the form's other fields and the multipart framing, beside the file


@router.get("/children/{case_id}/attachments/new")
def new(
    case_id: Id, request: Request, granted: Adding, back: Annotated[str, Query(max_length=200)] = ""
) -> Response:
    """The upload form on a page of its own, for a record's section to send the worker to."""
    context = {
        "title": "Add a drawing, letter or photo",
        "case": granted.case,
        "back": back if BACK.fullmatch(back) else "",
        "max_mb": max_mb(request),
    }
    return render(request, "attachments/new.html", context)


@router.post("/children/{case_id}/attachments")
def add(
    case_id: Id,
    db: SessionDep,
    settings: SettingsDep,
    granted: Adding,
    file: Annotated[UploadFile | None, File()] = None,
    title: Annotated[str, Form(max_length=1000)] = "",
    description: Annotated[str, Form(max_length=5000)] = "",
    for_family: Annotated[bool, Form()] = False,
    for_child: Annotated[bool, Form()] = False,
    back: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Add a file to the child's case, then go back to where the worker came from.

    A plain (not async) route: FastAPI runs it in a worker thread, so decoding a large photo
    never holds up other requests.
    """
    details = service.details(
        title=title, description=description, for_family=for_family, for_child=for_child
    )
    limit = settings.max_attachment_bytes
    data = file.file.read(limit + 1) if file is not None else b""
    name = (file.filename or "") if file is not None else ""
    added = service.add(
        session=db,
        actor=granted.user,
        case_id=case_id,
        upload=service.Upload(name, data),
        data=details,
        max_bytes=limit,
    )
    db.commit()
    if BACK.fullmatch(back):
        return RedirectResponse(f"{back}?attached={added.id}#attachments", status_code=303)
    return RedirectResponse(f"/children/{case_id}?attached={added.id}#attachments", 303)


@router.get("/children/{case_id}/attachments/{attachment_id}/file")
def download(
    case_id: Id,
    attachment_id: Id,
    db: SessionDep,
    granted: Annotated[
        Granted, allow(Action.VIEW, Target.CASE, page=True, event=AuditAction.ATTACHMENT_VIEW)
    ],
) -> Response:
    """The file, never from /static: an image shown in the page, a PDF saved."""
    attachment = service.get(session=db, case_id=case_id, attachment_id=attachment_id)
    data = service.content_of(session=db, attachment=attachment)
    shown = "attachment" if attachment.content_type == checking.PDF else "inline"
    name = f"attachment-{attachment.id}.{checking.EXTENSION[attachment.content_type]}"
    headers = {
        "Content-Disposition": f"{shown}; filename=\"{name}\"; filename*=UTF-8''{quote(name)}",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    }
    return Response(data, media_type=attachment.content_type, headers=headers)


@router.post("/children/{case_id}/attachments/{attachment_id}/withdraw")
def withdraw(
    case_id: Id,
    attachment_id: Id,
    db: SessionDep,
    granted: Adding,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Withdraw a file added in error or replaced: kept, no longer offered or printed."""
    service.withdraw(
        session=db,
        actor=granted.user,
        case_id=case_id,
        attachment_id=attachment_id,
        reason=reason,
    )
    db.commit()
    return RedirectResponse(f"/children/{case_id}#attachments", status_code=303)


def on_child_page(db: Session, granted: Granted, request: Request) -> dict[str, Any]:
    """The child page's attachments block (templates/pages/_attachments.html)."""
    shown = service.for_case(session=db, case_id=granted.case.id)
    wanted = request.query_params.get("attached", "")
    return {
        "attachments": shown,
        "attached": next((a for a in shown if str(a.id) == wanted), None),
        "can_add_attachment": can_add(granted),
        "max_mb": max_mb(request),
    }


def can_add(granted: Granted) -> bool:
    """Whoever may write in the child's record (or type for its author) may add a file."""
    user = granted.user
    return allowed(user=user, action=writing_action(user), case=granted.case)


def max_mb(request: Request) -> str:
    return f"{request.app.state.settings.max_attachment_bytes / 1_000_000:g}"
