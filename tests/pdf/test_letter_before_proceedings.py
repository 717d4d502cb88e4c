"""The letter before proceedings: written from a pre-proceedings record that was pre-filled from
the demo child's plan and family, one letter to each parent with parental responsibility, kept as
printouts of the record, logged as sent and read back from the PDF."""

import io
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import demo
from app.audit.models import AuditEvent
from app.auth.models import User
from app.engine.yamlfile import ExemplarErrors
from app.printing import letters
from app.printing.models import Printout, PrintoutDelivery
from tests.api.test_records import Worker, value
from tests.factories import shipped_library

LETTER = "before_proceedings"


@pytest.fixture()
def worker(db: Session, client: TestClient) -> Worker:
    demo.load(session=db, with_records=True, library=shipped_library())
    sam = db.scalars(select(User).where(User.username == "worker")).one()
    sam.work_phone, sam.job_title = "01632 960 123", "Social worker"
    db.commit()
    return Worker(client)


def _pre_proceedings(worker: Worker, **answers: Any) -> dict[str, Any]:
    jade = worker.children()["Jade"]
    record = worker.start(jade, "pre_proceedings")
    typed = {
        "legal_planning_date": value("2026-11-02"),
        "legal_planning_decision": value("pre_proceedings"),
        "pp_start_date": value("2026-11-02"),
        "fgdm_offered": value("yes"),
        "lbp_sent_date": value("2026-11-04"),
        "pp_meeting_date": value("2026-11-18"),
        "pp_meeting_time": value("10am"),
        "pp_meeting_place": value("Riverside Family Centre, 4 Mill Lane"),
    } | {k: value(v) for k, v in answers.items()}
    saved = worker.save(record, typed)
    return record | {"revision": saved["revision"]}


def _text(pdf: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    return text, len(reader.pages)


def _form(worker: Worker) -> dict[str, str]:
    return {"csrf_token": worker.headers["X-CSRF-Token"]}


def test_the_record_is_prefilled_from_the_plan_and_the_family(worker: Worker) -> None:
    record = _pre_proceedings(worker)
    answers = worker.client.get(f"/api/records/{record['id']}").json()["answers"]
    assert answers["worries"]["value"] and "prefilled" in answers["worries"]
    assert answers["must_change"]["value"] and "prefilled" in answers["must_change"]
    assert answers["assessment_summary"]["value"]  # the core assessment's analysis
    with_pr = [
        r
        for r in answers["household_members"]["value"]
        if r.get("has_parental_responsibility") == "yes"
    ]
    assert with_pr, "the family's parental responsibility is carried, not typed again"


def test_one_letter_to_each_parent_is_kept_logged_and_reads_back(
    worker: Worker, db: Session
) -> None:
    record = _pre_proceedings(worker)
    printing = worker.client.get(f"/records/{record['id']}/print")
    assert f'href="/records/{record["id"]}/letters/{LETTER}"' in printing.text
    page = worker.client.get(f"/records/{record['id']}/letters/{LETTER}")
    assert page.status_code == 200, page.text
    assert "Kerry" in page.text and "Make and log the letters" in page.text
    response = worker.client.post(
        f"/records/{record['id']}/letters/{LETTER}", data=_form(worker) | {"method": "post"}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    kept = db.scalars(
        select(Printout).where(Printout.record_id == record["id"], Printout.audience == LETTER)
    ).all()
    assert kept and all(p.pages >= 1 for p in kept)
    names = sorted(p.recipient or "" for p in kept)
    logged = db.scalars(
        select(PrintoutDelivery).where(PrintoutDelivery.printout_id.in_([p.id for p in kept]))
    ).all()
    assert sorted(d.recipient for d in logged) == names and {d.method for d in logged} == {"post"}
    text, pages = _text(response.content)
    assert pages == sum(p.pages for p in kept)  # each letter whole, one after another
    for name in names:
        assert f"Dear {name}," in text
    for words in (
        "Letter before proceedings",
        "Riverside Borough Council",
        "Wednesday 4 November 2026",  # dated the day the record says it was sent
        "Wednesday 18 November 2026 at 10am",
        "Riverside Family Centre, 4 Mill Lane",
        "free legal advice",
        "0345 345 4345",
        "family group decision-making meeting",
        "Sam Okafor on 01632 960 123",
        "Our reference: CN-",
        "What must change",
    ):
        assert words in text, words
    trail = db.scalars(
        select(AuditEvent).where(
            AuditEvent.target_id == record["id"], AuditEvent.action == "record.print"
        )
    ).all()
    assert len(trail) == len(kept)
    listed = worker.client.get(f"/records/{record['id']}/letters/{LETTER}")
    assert all(name in listed.text for name in names) and "None yet." not in listed.text


def test_no_offer_recorded_leaves_the_offer_out_of_the_letter(worker: Worker) -> None:
    record = _pre_proceedings(worker, fgdm_offered="no", fgdm_not_offered_reason="Held in May.")
    response = worker.client.get(f"/records/{record['id']}/letters/{LETTER}/preview")
    assert response.status_code == 200, response.text
    text, _ = _text(response.content)
    assert "Letter before proceedings" in text
    assert "family group decision-making meeting" not in text


def test_a_letter_without_its_meeting_place_is_refused_naming_the_question(
    worker: Worker, db: Session
) -> None:
    record = _pre_proceedings(worker)
    worker.save(record, {"pp_meeting_place": {"absent": "not_known"}})
    before = db.scalars(select(Printout)).all()
    response = worker.client.post(
        f"/records/{record['id']}/letters/{LETTER}", data=_form(worker) | {"method": "post"}
    )
    assert response.status_code == 422
    assert "Where the meeting is held" in response.text
    assert db.scalars(select(Printout)).all() == before  # nothing half-made
    page = worker.client.get(f"/records/{record['id']}/letters/{LETTER}")
    assert "The letter cannot be written yet" in page.text
    assert "/sections/letter#pp_meeting_place" in page.text


def test_no_letter_until_the_parent_can_reach_the_worker(worker: Worker, db: Session) -> None:
    record = _pre_proceedings(worker)
    sam = db.scalars(select(User).where(User.username == "worker")).one()
    sam.work_phone = sam.work_email = None  # the demo gives Sam both; a letter needs one
    db.commit()
    page = worker.client.get(f"/records/{record['id']}/letters/{LETTER}")
    assert "Add a work phone or email for Sam Okafor" in page.text
    assert 'href="/profile"' in page.text and "Make and log the letters" not in page.text


def test_every_letter_names_what_its_exemplar_holds() -> None:
    assert letters.kinds(), "the letter before proceedings is declared"
    assert letters.problems(shipped_library()) == []


def test_a_mistake_in_a_letter_file_names_its_line(tmp_path: Path) -> None:
    shipped = (letters.FOLDER / f"{LETTER}.yaml").read_text()
    (tmp_path / "broken.yaml").write_text(shipped.replace("  rows: household_members", "  row: x"))
    with pytest.raises(ExemplarErrors) as refused:
        letters.load(tmp_path)
    where = [(p.file.split("/")[-1], p.line) for p in refused.value.problems]
    line = shipped.splitlines().index("  rows: household_members") + 1
    assert ("broken.yaml", line) in where
