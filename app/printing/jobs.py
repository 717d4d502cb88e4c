"""Printing off the request: a print asked for on a page is a job, made by a print worker.

The queue is the `print_jobs` table, so it is durable, shared by every app machine, and the same on
SQLite and PostgreSQL (procrastinate would have been the library on PostgreSQL alone, leaving a
second code path for the embedded default). A worker claims the oldest queued job — on PostgreSQL
with `SELECT … FOR UPDATE SKIP LOCKED`, so several workers never take the same one; SQLite has one
writer, and the claim is a conditional update either way — then does what an in-request print does:
reads in a short transaction, ends it, lays the PDF out holding no transaction, and stores the
printout, its audit event, the PDF and the job's "done" in one commit. A failure is kept as
"failed" with a message the user may read; nothing of the printout is half-written. A retry is a
new job naming the one it retries: the failed one is kept as it was.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from app.audit import service as audit
from app.audit.service import AuditAction
from app.auth.models import User
from app.db import utcnow
from app.engine.definitions import Audience
from app.engine.library import Library
from app.errors import Conflict, DomainError, NotFound
from app.printing import pdf, recipients, service
from app.printing.models import PrintJob

logger = logging.getLogger(__name__)
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
# A job "running" this long was on a worker that died: another worker takes it again.
LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class Asked:
    """What the print form asked for (the same as an in-request print)."""

    audience: Audience
    large_print: bool = False
    lang: Literal["en", "cy"] = "en"
    version: int | None = None
    recipient: str | None = None
    released: recipients.Released | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "audience": self.audience,
            "large_print": self.large_print,
            "lang": self.lang,
            "version": self.version,
            "recipient": self.recipient,
            "released": dict(self.released or {}),
        }


def enqueue(
    *, session: Session, actor: User, record_id: int, case_id: int, asked: Asked
) -> PrintJob:
    """Queue a print of a record; a print worker makes it."""
    job = PrintJob(
        record_id=record_id,
        case_id=case_id,
        requested_by_id=actor.id,
        request=asked.as_json(),
        state=QUEUED,
        attempts=0,
        created_at=utcnow(),
    )
    session.add(job)
    session.flush()
    return job


def get(*, session: Session, record_id: int, job_id: int) -> PrintJob:
    """A print job of this record (one of another record is not found through it)."""
    job = session.get(PrintJob, job_id)
    if job is None or job.record_id != record_id:
        raise NotFound(f"No print job {job_id} for this record.", field="job_id")
    return job


def retry(*, session: Session, actor: User, job: PrintJob) -> PrintJob:
    """A failed print asked for again, as a new job; the failed one is kept as it was."""
    if job.state != FAILED:
        raise Conflict("Only a print that failed is tried again.", field="job_id")
    again = PrintJob(
        record_id=job.record_id,
        case_id=job.case_id,
        requested_by_id=actor.id,
        request=dict(job.request),
        state=QUEUED,
        attempts=0,
        retry_of_id=job.id,
        created_at=utcnow(),
    )
    session.add(again)
    session.flush()
    return again


def claim(*, session: Session) -> PrintJob | None:
    """Take the oldest job waiting (or one whose worker died), marking it running."""
    stale = utcnow() - LEASE
    waiting = or_(
        PrintJob.state == QUEUED, (PrintJob.state == RUNNING) & (PrintJob.started_at < stale)
    )
    candidate = session.scalar(
        select(PrintJob.id)
        .where(waiting)
        .order_by(PrintJob.id)
        .limit(1)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite ignores it and has one writer
    )
    if candidate is None:
        return None
    taken = session.execute(
        update(PrintJob)
        .where(PrintJob.id == candidate, waiting)
        .values(state=RUNNING, started_at=utcnow(), attempts=PrintJob.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return None  # another worker took it between the two statements
    return session.get(PrintJob, candidate, populate_existing=True)


def run_next(*, factory: sessionmaker[Session], library: Library) -> int | None:
    """Claim and make one print; the id of the job done or failed, None when none is waiting."""
    with factory() as session:
        job = claim(session=session)
        session.commit()  # the claim is kept; nothing is held while the PDF is made
        if job is None:
            return None
        job_id, record_id = job.id, job.record_id
        asked, attempts = dict(job.request), job.attempts
        requested_by = job.requested_by_id
    try:
        _make(factory, library, job_id, record_id, asked, requested_by)
    except DomainError as refused:  # the record's own answer: the user reads it
        _failed(factory, job_id, refused.message, final=True)
    except Exception as crashed:
        # The exception's class only: its message may carry a name from the record.
        logger.warning("print job %s failed: %s", job_id, type(crashed).__name__)
        _failed(factory, job_id, "The PDF could not be made.", final=attempts >= MAX_ATTEMPTS)
    return job_id


def _make(
    factory: sessionmaker[Session],
    library: Library,
    job_id: int,
    record_id: int,
    asked: dict[str, Any],
    requested_by: int,
) -> None:
    with factory() as session:
        prepared = service.prepare(
            session=session,
            library=library,
            record_id=record_id,
            audience=asked["audience"],
            large_print=bool(asked.get("large_print")),
            lang=str(asked.get("lang") or "en"),
            version=asked.get("version"),
            recipient=asked.get("recipient"),
            released=asked.get("released") or {},
        )
        session.commit()  # the reading is done: laying out the PDF holds no transaction
        rendered = pdf.render(prepared.document)
        actor = session.get(User, requested_by)
        assert actor is not None
        printed = service.store(session=session, actor=actor, prepared=prepared, rendered=rendered)
        job = session.get(PrintJob, job_id)
        assert job is not None
        job.state, job.printout_id, job.pdf = DONE, printed.printout.id, printed.pdf
        job.finished_at, job.error = utcnow(), None
        session.commit()  # the printout, its audit event and the job's end: all or nothing


def _failed(factory: sessionmaker[Session], job_id: int, message: str, *, final: bool) -> None:
    """A failure is shown; a crash is tried again by the next worker until MAX_ATTEMPTS."""
    with factory() as session:
        job = session.get(PrintJob, job_id)
        assert job is not None
        job.state = FAILED if final else QUEUED
        job.error, job.finished_at = message[:500], utcnow() if final else None
        session.commit()


def pdf_of(*, job: PrintJob, session: Session) -> bytes:
    """The finished PDF (the route keeps the download in the trail)."""
    if job.state != DONE:
        raise Conflict("The PDF is not ready yet.", field="job_id")
    data = session.scalar(select(PrintJob.pdf).where(PrintJob.id == job.id))
    assert data is not None
    return data


def downloaded(*, actor: User, job: PrintJob) -> Any:
    """The audit event of a download, for the route to keep once it has answered."""
    return audit.event(
        actor=actor,
        action=AuditAction.PRINT_DOWNLOAD,
        target_type="printout",
        target_id=job.printout_id,
        case_id=job.case_id,
        detail={"job": job.id},
    )
