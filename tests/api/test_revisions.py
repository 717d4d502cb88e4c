"""Revisions are kept as changes: a long narrative saved ten times is stored once, and the record
as it stood after any revision is still there to read."""

import json

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import demo
from app.records import service as records
from app.records.models import RecordRevision
from tests.api.test_records import Worker, value


def test_ten_saves_of_a_long_narrative_store_it_once(db: Session, client: TestClient) -> None:
    demo.load(session=db)
    db.commit()
    worker = Worker(client)
    note = worker.start(worker.children()["Ruby"], "case_note")
    long_text = "Kerry described the morning in detail. " * 2500  # ~100 KB
    saved = worker.save(note, {"note": value(long_text)})
    for number in range(9):
        saved = worker.save(
            {"id": note["id"], "revision": saved["revision"]},
            {"note_type": value("home_visit" if number % 2 else "phone_call")},
        )
    stored = db.scalars(
        select(RecordRevision.answers).where(RecordRevision.record_id == note["id"])
    ).all()
    total = sum(len(json.dumps(answers)) for answers in stored)
    assert total < 1.5 * len(long_text), total  # once, not ten times
    first_save = note["revision"] + 1
    then = records.answers_at(session=db, record_id=note["id"], number=first_save)
    assert then is not None and then["note"]["value"] == long_text
    assert "note_type" not in then
    page = worker.client.get(f"/records/{note['id']}/view?revision={first_save}")
    assert page.status_code == 200 and "Kerry described the morning" in page.text
