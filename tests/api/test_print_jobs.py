"""Printing off the request: queued → made by a print worker → downloaded (audited), the same bytes
as an in-request print; a failed print is shown as failed with a retry, and nothing of it is kept.

The print worker's loop (`jobs.run_next`) runs here on the test's own connection, since a worker
process could not see the test's rolled-back transaction; tests/web/test_locks.py runs the real
worker processes against the real server."""

import io

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app import demo
from app.audit.models import AuditEvent
from app.printing import jobs
from app.printing.models import PrintJob, Printout
from app.records.models import Record
from tests.api.test_records import Worker
from tests.factories import shipped_library


def _setup(db: Session, client: TestClient) -> tuple[Worker, Record]:
    demo.load(session=db, with_records=True, library=shipped_library())
    db.commit()
    return Worker(client), db.query(Record).filter_by(exemplar_id="core_assessment").one()


def _queue(worker: Worker, record: Record, **form: str) -> str:
    asked = worker.client.post(
        f"/records/{record.id}/print/jobs",
        data={"audience": "worker", **form},
        headers=worker.headers,
        follow_redirects=False,
    )
    assert asked.status_code == 303, asked.text
    return str(asked.headers["location"])


def test_a_print_is_queued_made_by_a_worker_and_downloaded_audited(
    db: Session, client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    worker, record = _setup(db, client)
    page_url = _queue(worker, record)
    job = db.scalars(select(PrintJob)).one()
    assert (job.state, job.printout_id) == ("queued", None)
    waiting = client.get(page_url)
    assert "is waiting to be made" in waiting.text and 'http-equiv="refresh"' in waiting.text
    assert "Check again" in waiting.text
    assert client.get(f"{page_url}/pdf").status_code == 409  # not ready: nothing to download
    assert db.scalars(select(Printout)).all() == []

    library = client.app.state.library  # type: ignore[attr-defined]
    assert jobs.run_next(factory=session_factory, library=library) == job.id
    assert jobs.run_next(factory=session_factory, library=library) is None  # nothing waits
    db.refresh(job)
    assert job.state == "done" and job.attempts == 1 and job.printout_id is not None
    ready = client.get(page_url)
    assert "Your printout is ready" in ready.text and 'http-equiv="refresh"' not in ready.text
    pdf = client.get(f"{page_url}/pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Jade" in text
    downloads = db.scalars(
        select(AuditEvent).where(AuditEvent.action == "record.print_download")
    ).all()
    assert [(e.target_id, e.case_id) for e in downloads] == [(job.printout_id, record.case_id)]
    printed = db.scalars(select(AuditEvent).where(AuditEvent.action == "record.print")).one()
    assert printed.detail["printout"] == job.printout_id  # type: ignore[index]
    # The same bytes as printing in the request: a re-print is byte-identical either way.
    direct = client.post(
        f"/records/{record.id}/print", data={"audience": "worker"}, headers=worker.headers
    )
    assert direct.content == pdf.content


def test_a_failed_print_is_shown_failed_with_a_retry_and_nothing_half_written(
    db: Session, client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    worker, record = _setup(db, client)
    # A copy for someone outside the child's network is refused by the printing rules.
    page_url = _queue(worker, record, audience="family", recipient="person-999999")
    library = client.app.state.library  # type: ignore[attr-defined]
    job_id = jobs.run_next(factory=session_factory, library=library)
    job = db.get(PrintJob, job_id)
    assert job is not None and job.state == "failed" and job.printout_id is None
    assert db.scalars(select(Printout)).all() == []  # nothing of the printout was kept
    failed = client.get(page_url)
    assert "The printout could not be made" in failed.text and "No copy is made" in failed.text
    assert "Try again" in failed.text
    again = client.post(f"{page_url}/retry", headers=worker.headers, follow_redirects=False)
    assert again.status_code == 303
    retried = db.scalars(select(PrintJob).where(PrintJob.retry_of_id == job.id)).one()
    assert retried.state == "queued"
    db.refresh(job)
    assert job.state == "failed"  # the failed job is kept as it was
    twice = client.post(
        f"/records/{record.id}/print/jobs/{retried.id}/retry", headers=worker.headers
    )
    assert twice.status_code == 409  # only a failed print is tried again
