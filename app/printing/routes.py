"""Printing from the record page: choose the reader, see what is left out and how it reads."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from app.access import Granted, Target, allow, on_record
from app.cases import service as cases
from app.cases.policy import Action
from app.deps import CsrfChecked, Id, LibraryDep, SessionDep
from app.engine.definitions import Audience
from app.engine.readers import reader
from app.errors import Invalid
from app.printing import pdf, service
from app.records import service as records
from app.records.context import RecordContext
from app.templating import render

RECIPIENT = r"^(person-\d{1,12}|child|nobody)$"
router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])
Printing = Annotated[RecordContext, on_record(Action.PRINT, page=True)]
AUDIENCES: list[tuple[Audience, str]] = [
    ("family", "The family (plain words)"),
    ("child", "The child"),
    ("court", "The court (statement)"),
    ("worker", "Worker's copy (everything)"),
]


async def released_notes(request: Request) -> dict[str, str]:
    """Each item ticked for release (`release`) with the worker's note (`note-<key>`); a release
    without a note is refused, naming the note's field. Read here, so the route stays sync."""
    form = await request.form()
    released = {}
    for key in [str(k) for k in form.getlist("release")][:500]:
        note = str(form.get(f"note-{key}") or "").strip()
        if not note:
            raise Invalid("Say why you are releasing this to them.", field=f"note-{key}")
        released[key] = note[:2000]
    return released


Released = Annotated[dict[str, str], Depends(released_notes)]


@router.get("/records/{record_id}/print")
def choose(
    record_id: Id,
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    context: Printing,
    audience: Audience = "family",
    version: Annotated[int | None, Query(ge=1, le=100_000)] = None,
    recipient: Annotated[str | None, Query(max_length=40, pattern=RECIPIENT)] = None,
) -> Response:
    """Before printing: whom the copy is for, what this reader will not see (each item the worker
    may release with a note), and a reading-age hint for families."""
    record = context.record
    author = service.author_of(session=db, record=record)
    document, withheld = service.build(
        session=db,
        library=library,
        record=record,
        audience=audience,
        author=author,
        version=version,
        recipient=recipient,
    )
    hint = service.readability_of(document, library) if reader(audience).readability_hint else None
    page = {
        "title": f"Print {records.title_of(records.definition_of(library=library, record=record))}",
        "record": record,
        "child": cases.child_view(session=db, case_id=record.case_id),
        "audience": audience,
        "audiences": AUDIENCES,
        "withheld": withheld,
        "hint": hint,
        "document": document,
        "budget": service.page_budget(document),
        "printouts": service.printouts_of(session=db, record_id=record.id),
        "version": version,
        "copy_for": reader(audience).copy_for,
        "recipients": service.recipients_of(session=db, record=record, version=version),
        "recipient": recipient or "nobody",
    }
    return render(request, "printing/choose.html", page)


@router.post("/records/{record_id}/print")
def print_pdf(
    record_id: Id,
    db: SessionDep,
    library: LibraryDep,
    context: Printing,
    released: Released,
    audience: Annotated[Audience, Form()],
    large_print: Annotated[bool, Form()] = False,
    lang: Annotated[Literal["en", "cy"], Form()] = "en",
    version: Annotated[int | None, Form(ge=1, le=100_000)] = None,
    recipient: Annotated[str | None, Form(max_length=40, pattern=RECIPIENT)] = None,
) -> Response:
    """The PDF, for the recipient chosen, with what the worker released to them (each with a
    note, kept with the printout)."""
    prepared = service.prepare(
        session=db,
        library=library,
        record_id=record_id,
        audience=audience,
        large_print=large_print,
        lang=lang,
        version=version,
        recipient=recipient,
        released=released,
    )
    db.commit()  # the reading is done: laying out the PDF holds no lock, so others keep saving
    rendered = pdf.render(prepared.document)
    printed = service.store(
        session=db, actor=context.granted.user, prepared=prepared, rendered=rendered
    )
    db.commit()
    name = f"record-{record_id}-{audience}.pdf"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(printed.pdf, media_type="application/pdf", headers=headers)


@router.post("/printouts/{printout_id}/deliveries")
def log_delivery(
    printout_id: Id,
    db: SessionDep,
    granted: Annotated[Granted, allow(Action.PRINT, Target.PRINTOUT, page=True)],
    recipient: Annotated[str, Form(min_length=1, max_length=200)],
    method: Annotated[Literal["post", "email", "in person", "court bundle"], Form()],
) -> Response:
    """The distribution log: who a printout went to, how and when."""
    printout = service.get_printout(session=db, printout_id=printout_id)
    service.deliver(
        session=db, actor=granted.user, printout_id=printout.id, recipient=recipient, method=method
    )
    db.commit()
    if printout.record_id is None:  # a meeting's letter, sent again another way
        return RedirectResponse(f"/meetings/{printout.meeting_id}#letters", status_code=303)
    record = records.get(session=db, record_id=printout.record_id)
    return RedirectResponse(
        f"/records/{record.id}/print?audience={printout.audience}", status_code=303
    )
