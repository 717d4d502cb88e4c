"""A long print, and pages being read, never stop another user saving.

On the real server and database (SQLite's write lock is one per database file): while a worker's
long record is laid out as a PDF and the child's pages are read again and again, a second user's
saves all succeed, and they go on succeeding *during* the print rather than queueing behind it.
Two saves of one record, though, must queue: the second reads the record after the first is kept.
"""

import threading
import time

import httpx
from sqlalchemy import Engine, func, select, text, update

from app.demo import DEMO_PASSWORD
from app.records.models import Record
from tests.web.conftest import LiveServer

# A narrative long enough that laying it out takes a while (dozens of pages), under the cap.
LONG_NOTE = ("The family met at the office and talked through the week at some length. " * 1200)[
    :90_000
]
SAVES_DURING_PRINT = 3


def _bearer(server: LiveServer, username: str) -> dict[str, str]:
    """Signed in with a bearer token (no cookie, so no CSRF token is needed on a form post)."""
    signed_in = httpx.post(
        f"{server.url}/api/session", json={"username": username, "password": DEMO_PASSWORD}
    )
    assert signed_in.status_code == 201, signed_in.text
    return {"Authorization": f"Bearer {signed_in.json()['token']}"}


def _note(client: httpx.Client, headers: dict[str, str], case_id: int, text: str) -> dict:  # type: ignore[type-arg]
    record = client.post(
        f"/api/cases/{case_id}/records", json={"exemplar_id": "case_note"}, headers=headers
    ).json()
    saved = client.patch(
        f"/api/records/{record['id']}/answers",
        json={"base_revision": record["revision"], "answers": {"note": {"value": text}}},
        headers=headers,
    )
    assert saved.status_code == 200, saved.text
    return {"id": record["id"], "revision": saved.json()["revision"]}


def test_a_long_print_and_page_reads_never_block_another_users_saves(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=120) as client:
        worker = _bearer(server, "worker")
        case_id = client.get("/api/caseload", headers=worker).json()[0]["case_id"]
        long_record = _note(client, worker, case_id, LONG_NOTE)
        manager = _bearer(server, "manager")
        saving = _note(client, manager, case_id, "first")

    printed: dict[str, httpx.Response] = {}

    def print_it() -> None:
        with httpx.Client(base_url=server.url, timeout=120) as printer:
            printed["pdf"] = printer.post(
                f"/records/{long_record['id']}/print", data={"audience": "worker"}, headers=worker
            )

    def read_pages(stop: threading.Event, statuses: list[int]) -> None:
        with httpx.Client(base_url=server.url, timeout=120) as reader:
            while not stop.is_set():
                statuses.append(reader.get(f"/children/{case_id}", headers=worker).status_code)

    stop, page_statuses = threading.Event(), []  # type: ignore[var-annotated]
    printer = threading.Thread(target=print_it)
    reader = threading.Thread(target=read_pages, args=(stop, page_statuses))
    reader.start()
    printer.start()
    saves_during, statuses, revision = 0, [], saving["revision"]
    with httpx.Client(base_url=server.url, timeout=120) as client:
        while printer.is_alive():
            answer = client.patch(
                f"/api/records/{saving['id']}/answers",
                json={
                    "base_revision": revision,
                    "answers": {"note": {"value": f"save {revision}"}},
                },
                headers=manager,
            )
            statuses.append(answer.status_code)
            if answer.status_code == 200:
                revision = answer.json()["revision"]
                saves_during += printer.is_alive()
    stop.set()
    reader.join()

    assert printed["pdf"].status_code == 200
    assert printed["pdf"].content.startswith(b"%PDF")
    assert set(statuses) == {200}, statuses
    assert page_statuses and set(page_statuses) == {200}, page_statuses
    # Had the print held the write lock while laying out, a save would have waited until it ended.
    assert saves_during >= SAVES_DURING_PRINT, (saves_during, len(statuses))


def _job_state(client: httpx.Client, url: str, headers: dict[str, str]) -> str:
    page = client.get(url, headers=headers)
    assert page.status_code == 200, page.status_code
    return page.text.split('data-state="', 1)[1].split('"', 1)[0]


def test_a_print_through_the_queue_holds_no_web_worker_and_blocks_no_save(
    server: LiveServer,
) -> None:
    """Queued, the long print is made by a print worker process: the request that asked for it
    answers while it is still waiting or being made, and saves go on while it is made."""
    with httpx.Client(base_url=server.url, timeout=120) as client:
        worker = _bearer(server, "worker")
        case_id = client.get("/api/caseload", headers=worker).json()[0]["case_id"]
        long_record = _note(client, worker, case_id, LONG_NOTE)
        manager = _bearer(server, "manager")
        saving = _note(client, manager, case_id, "first")
        asked = client.post(
            f"/records/{long_record['id']}/print/jobs", data={"audience": "worker"}, headers=worker
        )
        assert asked.status_code == 303, asked.text
        job_url = asked.headers["location"]
        # The web worker answered before the PDF was made: the print is not on the request.
        assert _job_state(client, job_url, worker) in ("queued", "running")
        saves_during, statuses, revision = 0, [], saving["revision"]
        while (state := _job_state(client, job_url, worker)) in ("queued", "running"):
            answer = client.patch(
                f"/api/records/{saving['id']}/answers",
                json={"base_revision": revision, "answers": {"note": {"value": f"s {revision}"}}},
                headers=manager,
            )
            statuses.append(answer.status_code)
            if answer.status_code == 200:
                revision = answer.json()["revision"]
                saves_during += 1
        assert state == "done", state
        pdf = client.get(f"{job_url}/pdf", headers=worker)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert set(statuses) == {200}, statuses
    assert saves_during >= SAVES_DURING_PRINT, (saves_during, len(statuses))


def _waiting_on_a_lock(engine: Engine) -> bool:
    """Whether a server connection is waiting for a row lock (PostgreSQL shows it; SQLite, whose
    writers wait on the file in the driver, shows nothing: there the save is given a moment)."""
    if engine.dialect.name != "postgresql":
        time.sleep(1)
        return True
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE wait_event_type = 'Lock' AND datname = current_database()"
    )
    with engine.connect() as conn:
        return bool(conn.scalar(waiting))


def test_a_save_waits_for_another_save_of_the_same_record_and_reads_what_it_kept(
    server: LiveServer, db_engine: Engine
) -> None:
    """Another save of the record is under way (its change written, not yet kept): a save sent
    now waits, then builds on that change. Had it read the record before the lock, it would write
    the same revision number over the other's change (a lost update)."""
    with httpx.Client(base_url=server.url, timeout=120) as client:
        worker = _bearer(server, "worker")
        case_id = client.get("/api/caseload", headers=worker).json()[0]["case_id"]
        note = _note(client, worker, case_id, "before")
    answered: dict[str, httpx.Response] = {}

    def save() -> None:
        with httpx.Client(base_url=server.url, timeout=120) as saver:
            answered["save"] = saver.patch(
                f"/api/records/{note['id']}/answers",
                json={"base_revision": note["revision"], "answers": {"note": {"value": "mine"}}},
                headers=worker,
            )

    with db_engine.connect() as other:
        other.begin()
        revision = Record.__table__.c.revision
        other.execute(update(Record).where(Record.id == note["id"]).values(revision=revision + 1))
        saving = threading.Thread(target=save)
        saving.start()
        deadline = time.monotonic() + 60
        while not _waiting_on_a_lock(db_engine) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert saving.is_alive(), answered["save"].text  # it waited for the other save
        other.commit()
    saving.join(timeout=120)
    assert answered["save"].status_code == 200, answered["save"].text
    assert answered["save"].json()["revision"] == note["revision"] + 2
    with db_engine.connect() as conn:
        kept = conn.scalar(select(func.max(revision)).where(Record.id == note["id"]))
    assert kept == note["revision"] + 2
