"""Printing off the request: queue a print, watch it, download the PDF, retry one that failed.

The web worker only writes the job and answers; a print worker makes the PDF (jobs.py,
worker.py). The job's page refreshes itself without JavaScript (a meta refresh and a "Check
again" button) and, with it, polls and reloads when the print is done.
"""

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from app.cases import service as cases
from app.deps import CsrfChecked, Id, LibraryDep, SessionDep, keep_at_end
from app.printing import jobs
from app.printing.routes import PrintAsked, Printing
from app.records import service as records
from app.templating import render

# Access: `Printing`, the print action on the record the path names (as in-request printing).
router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])
REFRESH_SECONDS = 2


@router.post("/records/{record_id}/print/jobs")
def queue_print(
    record_id: Id,
    request: Request,
    db: SessionDep,
    context: Printing,
    asked: PrintAsked,
) -> Response:
    """Queue the print and answer at once: a print worker makes it."""
    job = jobs.enqueue(
        session=db,
        actor=context.granted.user,
        record_id=record_id,
        case_id=context.record.case_id,
        asked=asked,
    )
    db.commit()
    request.app.state.print_pool.wake()
    return RedirectResponse(f"/records/{record_id}/print/jobs/{job.id}", status_code=303)


@router.get("/records/{record_id}/print/jobs/{job_id}")
def job_page(
    record_id: Id,
    job_id: Id,
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    context: Printing,
) -> Response:
    """Where the print has got to; the PDF when it is ready; a retry when it failed."""
    job = jobs.get(session=db, record_id=record_id, job_id=job_id)
    record = context.record
    page = {
        "title": "Your printout",
        "record": record,
        "record_title": records.title_of(records.definition_of(library=library, record=record)),
        "child": cases.child_view(session=db, case_id=record.case_id),
        "job": job,
        "waiting": job.state in (jobs.QUEUED, jobs.RUNNING),
        "refresh": REFRESH_SECONDS,
    }
    return render(request, "printing/job.html", page)


@router.get("/records/{record_id}/print/jobs/{job_id}/pdf")
def job_pdf(record_id: Id, job_id: Id, db: SessionDep, context: Printing) -> Response:
    """The finished PDF; the download is kept in the trail."""
    job = jobs.get(session=db, record_id=record_id, job_id=job_id)
    data = jobs.pdf_of(session=db, job=job)
    keep_at_end(db, jobs.downloaded(actor=context.granted.user, job=job))
    name = f"record-{record_id}-{job.request.get('audience', 'print')}.pdf"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(data, media_type="application/pdf", headers=headers)


@router.post("/records/{record_id}/print/jobs/{job_id}/retry")
def retry_print(
    record_id: Id, job_id: Id, request: Request, db: SessionDep, context: Printing
) -> Response:
    """Ask again for a print that failed; the failed job is kept."""
    job = jobs.get(session=db, record_id=record_id, job_id=job_id)
    again = jobs.retry(session=db, actor=context.granted.user, job=job)
    db.commit()
    request.app.state.print_pool.wake()
    return RedirectResponse(f"/records/{record_id}/print/jobs/{again.id}", status_code=303)
