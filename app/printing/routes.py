"""Printing from the record page: choose the reader, see what is left out and how it reads."""

import io
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import RedirectResponse
from pypdf import PdfReader, PdfWriter

from app.access import Granted, Target, allow, on_record
from app.cases import service as cases
from app.cases.policy import Action
from app.deps import CsrfChecked, Id, LibraryDep, SessionDep, SettingsDep
from app.engine.definitions import Audience
from app.engine.readers import reader
from app.errors import Invalid
from app.printing import jobs, letters, pdf, replies, service, statement
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
    ("carer", "The carer (what they need to care for the child)"),
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
    made = service.printouts_of(session=db, record_id=record.id)
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
        "printouts": made,
        "reply_counts": replies.counts_by_printout(
            session=db, printout_ids=[printout.id for printout, _ in made]
        ),
        "version": version,
        "copy_for": reader(audience).copy_for,
        "recipients": service.recipients_of(session=db, record=record, version=version),
        "recipient": recipient or "nobody",
        "letters": letters.kinds_for(record.exemplar_id),
    }
    return render(request, "printing/choose.html", page)


async def asked_for(
    released: Released,
    audience: Annotated[Audience, Form()],
    large_print: Annotated[bool, Form()] = False,
    lang: Annotated[Literal["en", "cy"], Form()] = "en",
    version: Annotated[int | None, Form(ge=1, le=100_000)] = None,
    recipient: Annotated[str | None, Form(max_length=40, pattern=RECIPIENT)] = None,
) -> jobs.Asked:
    """The print form, as both the print now and the print queue take it: for whom, in what
    size and language, which version, and what the worker released (each with a note)."""
    return jobs.Asked(audience, large_print, lang, version, recipient, released)


PrintAsked = Annotated[jobs.Asked, Depends(asked_for)]


@router.post("/records/{record_id}/print")
def print_pdf(
    record_id: Id, db: SessionDep, library: LibraryDep, context: Printing, asked: PrintAsked
) -> Response:
    """The PDF, for the recipient chosen, with what the worker released to them (each with a
    note, kept with the printout)."""
    prepared = service.prepare(
        session=db,
        library=library,
        record_id=record_id,
        audience=asked.audience,
        large_print=asked.large_print,
        lang=asked.lang,
        version=asked.version,
        recipient=asked.recipient,
        released=asked.released,
    )
    db.commit()  # the reading is done: laying out the PDF holds no lock, so others keep saving
    rendered = pdf.render(prepared.document)
    printed = service.store(
        session=db, actor=context.granted.user, prepared=prepared, rendered=rendered
    )
    db.commit()
    name = f"record-{record_id}-{asked.audience}.pdf"
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
    if printout.meeting_id is not None:  # a meeting's letter, sent again another way
        return RedirectResponse(f"/meetings/{printout.meeting_id}#letters", status_code=303)
    if printout.record_id is None:  # a statement compiled for the child
        case_id = service.case_of(session=db, printout=printout)
        return RedirectResponse(f"/children/{case_id}/statement", status_code=303)
    return RedirectResponse(
        f"/records/{printout.record_id}/print?audience={printout.audience}", status_code=303
    )


# A court statement about the child, compiled from the finalised records the worker picks.
Compiling = Annotated[Granted, allow(Action.PRINT, Target.CASE, page=True)]


def _statement_page(
    request: Request, db: SessionDep, library: LibraryDep, granted: Granted, **page: object
) -> Response:
    case_id = granted.case.id
    context = {
        "title": f"Court statement for {granted.case.child.full_name}",
        "case": granted.case,
        "choices": statement.choices(session=db, library=library, case_id=case_id),
        "made": statement.made_for(session=db, case_id=case_id),
        "errors": {},
        "picked": [],
        "chronology": True,
        "page_limit": int(pdf.court_settings()["page_limit"]),
        **page,
    }
    status = 422 if context["errors"] else 200
    return render(request, "printing/statement.html", context, status_code=status)


@router.get("/children/{case_id}/statement")
def statement_page(
    case_id: Id, request: Request, db: SessionDep, library: LibraryDep, granted: Compiling
) -> Response:
    """Tick the finalised records (and the chronology) the statement is made from."""
    return _statement_page(request, db, library, granted)


@router.post("/children/{case_id}/statement")
def compile_statement(
    case_id: Id,
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    granted: Compiling,
    picked: Annotated[list[str], Form(alias="records")] = [],  # noqa: B006 (FastAPI copies it)
    chronology: Annotated[bool, Form()] = False,
) -> Response:
    try:
        picks = statement.parse_picks(picked)
        compiled = statement.compile_statement(
            session=db,
            library=library,
            case_id=case_id,
            picks=picks,
            chronology=chronology,
            actor=granted.user,
        )
    except Invalid as error:
        errors = {error.field or "records": error.message}
        return _statement_page(
            request, db, library, granted, errors=errors, picked=picked, chronology=chronology
        )
    db.commit()  # the reading is done: laying out the PDF holds no lock
    rendered = pdf.render(compiled.document)
    printed = statement.store(session=db, actor=granted.user, compiled=compiled, rendered=rendered)
    db.commit()
    return _pdf(printed.pdf, f"statement-{printed.printout.id}.pdf")


@router.post("/printouts/{printout_id}/again")
def print_again(
    printout_id: Id,
    db: SessionDep,
    library: LibraryDep,
    granted: Annotated[Granted, allow(Action.PRINT, Target.PRINTOUT, page=True)],
) -> Response:
    """A compiled statement printed again, as it was first made: the same bytes."""
    printout = service.get_printout(session=db, printout_id=printout_id)
    compiled = statement.again(session=db, library=library, actor=granted.user, printout=printout)
    db.commit()
    return _pdf(pdf.render(compiled.document).pdf, f"statement-{printout.id}.pdf")


def _pdf(data: bytes, name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(data, media_type="application/pdf", headers=headers)


# Letters written from a record's answers (the letter before proceedings): who gets one, a
# preview, and sending them, each kept as a printout and logged in the distribution log.
PROFILE_FIELDS = {"work_phone"}  # what the letter needs from the worker's profile, not the record
LetterKind = Annotated[str, PathParam(max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]


@router.get("/records/{record_id}/letters/{kind}")
def letters_page(
    record_id: Id,
    kind: LetterKind,
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    settings: SettingsDep,
    context: Printing,
    sent: int = 0,
) -> Response:
    """Who gets a letter, what is still to answer before it can be written, and the log."""
    record = context.record
    declared = letters.kind_of(record=record, kind=kind)
    problem, link = None, None
    try:
        letters.compose(
            session=db, library=library, record=record, kind=declared, council=settings.council_name
        )
    except Invalid as missing:
        problem, link = missing, _answer_at(library, context, missing.field)
    page = {
        "title": declared.title,
        "kind": kind,
        "record": record,
        "child": cases.child_view(session=db, case_id=record.case_id),
        "recipients": letters.recipients(session=db, record=record, kind=declared),
        "problem": problem,
        "problem_link": link,
        "methods": letters.METHODS,
        "log": letters.sent_for(session=db, record_id=record.id, kind_name=kind),
        "sent": sent,
    }
    return render(request, "printing/letters.html", page, status_code=200)


@router.get("/records/{record_id}/letters/{kind}/preview")
def preview(
    record_id: Id,
    kind: LetterKind,
    db: SessionDep,
    library: LibraryDep,
    settings: SettingsDep,
    context: Printing,
) -> Response:
    """Every recipient's letter in one PDF, to read before sending: nothing is kept or logged."""
    data = letters.preview(
        session=db,
        library=library,
        record=context.record,
        kind_name=kind,
        council=settings.council_name,
    )
    return _pdf(data, f"{kind}-{record_id}-preview.pdf")


@router.post("/records/{record_id}/letters/{kind}")
def send(
    record_id: Id,
    kind: LetterKind,
    db: SessionDep,
    library: LibraryDep,
    settings: SettingsDep,
    context: Printing,
    method: Annotated[str, Form(max_length=20)],
) -> Response:
    """One letter to each recipient, each kept and logged as sent; the PDF of them all to print."""
    sent = letters.send(
        session=db,
        library=library,
        actor=context.granted.user,
        record=context.record,
        kind_name=kind,
        council=settings.council_name,
        method=method,
    )
    db.commit()
    return _pdf(_joined([s.pdf for s in sent]), f"{kind}-{record_id}.pdf")


def _answer_at(library: LibraryDep, context: RecordContext, field: str | None) -> str:
    """The section page where the missing answer is asked (the profile for the worker's own)."""
    if field in PROFILE_FIELDS:
        return "/profile"
    exemplar = records.definition_of(library=library, record=context.record)
    section = exemplar.section_of.get(field or "")
    base = f"/records/{context.record.id}"
    return f"{base}/sections/{section}#{field}" if section else base


def _joined(parts: list[bytes]) -> bytes:
    """One PDF to print, each letter starting on its own page (pypdf joins them as they are)."""
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
