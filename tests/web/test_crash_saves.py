"""Saves acknowledged before a crash survive it: the server is killed (SIGKILL) again and again
while a client saves as fast as it can, and every save the client was told about is on disk."""

import json
import threading
import time

import httpx
from sqlalchemy import Engine, text

from tests.web.conftest import LiveServer

SAVES_AT_LEAST = 60
CRASHES = 3


def _saver(server: LiveServer, acknowledged: dict[int, str], stop: threading.Event) -> None:
    """Save a new note again and again; remember each revision the server acknowledged."""
    with httpx.Client(base_url=server.url, timeout=5) as client:
        token = _retry(
            lambda: client.post(
                "/api/session", json={"username": "worker", "password": "demo-password"}
            ).json()["token"]
        )
        headers = {"Authorization": f"Bearer {token}"}
        case_id = _retry(lambda: client.get("/api/caseload", headers=headers).json()[0]["case_id"])
        record = _retry(
            lambda: client.post(
                f"/api/cases/{case_id}/records", json={"exemplar_id": "case_note"}, headers=headers
            ).json()
        )
        acknowledged[-1] = str(record["id"])
        revision, number = record["revision"], 0
        while not stop.is_set() or len(acknowledged) <= SAVES_AT_LEAST:  # -1 holds the record
            number += 1
            note = f"save {number}"
            body = {"base_revision": revision, "answers": {"note": {"value": note}}}
            try:
                answer = client.patch(
                    f"/api/records/{record['id']}/answers", json=body, headers=headers
                )
            except httpx.TransportError:
                time.sleep(0.05)  # the server is down: try again when it is back
                continue
            if answer.status_code == 200:
                revision = answer.json()["revision"]
                acknowledged[revision] = note
            elif answer.status_code == 409:
                # A save that landed just before the crash never got its answer back: start
                # again from the revision the server has, as the page does after a reload.
                revision = _retry(
                    lambda: client.get(f"/api/records/{record['id']}", headers=headers).json()[
                        "revision"
                    ]
                )


def _retry(call):  # type: ignore[no-untyped-def]
    for _ in range(200):
        try:
            return call()
        except (httpx.TransportError, KeyError, ValueError):
            time.sleep(0.05)
    raise RuntimeError("the server never answered")


def test_no_acknowledged_save_is_lost_when_the_server_is_killed(
    server: LiveServer, db_engine: Engine
) -> None:
    acknowledged: dict[int, str] = {}
    stop = threading.Event()
    saver = threading.Thread(target=_saver, args=(server, acknowledged, stop))
    saver.start()
    for _ in range(CRASHES):
        deadline = time.monotonic() + 20
        before = len(acknowledged)
        while len(acknowledged) < before + 10 and time.monotonic() < deadline:
            time.sleep(0.02)  # let some saves through, then crash mid-stream
        server.kill()
        time.sleep(0.2)
        server.start()
    stop.set()
    saver.join(timeout=120)
    assert not saver.is_alive(), "the saver never got its saves through after the crashes"
    record_id = int(acknowledged.pop(-1))
    with db_engine.connect() as connection:
        rows = connection.execute(
            text("SELECT number, answers FROM record_revisions WHERE record_id = :id"),
            {"id": record_id},
        ).all()
    stored = {number: answers for number, answers in rows}
    lost = [n for n, note in acknowledged.items() if _note(stored.get(n)) != note]
    assert len(acknowledged) >= SAVES_AT_LEAST
    assert lost == [], f"{len(lost)} of {len(acknowledged)} acknowledged saves lost"


def _note(answers: object) -> str | None:
    found = json.loads(answers) if isinstance(answers, str) else answers
    note = found.get("note") if isinstance(found, dict) else None
    return note.get("value") if isinstance(note, dict) else None
