"""A looked-after review: Part One is the worker's report, Part Two the independent reviewing
officer's record (`written_by` in exemplars/review.yaml), with the date and participation code the
SSDA903 return needs. A child in need review's Part Two stays the worker's to write."""

import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import demo
from app.audit.models import AuditEvent
from app.engine.loader import ExemplarErrors, load_library
from tests.api.test_pages import page_sign_in
from tests.api.test_records import Worker, value
from tests.api.test_signoff import form_of
from tests.api.test_two_sibling_journey import ago
from tests.factories import shipped_library

ROOT = Path(__file__).resolve().parents[2]
PART_ONE = {
    "review_type": value("lac"),
    "review_date": value(ago(2)),
    "progress_summary": value("Jade has settled with Maureen; she sees Kerry on Tuesdays."),
    "placement_meets_needs": value("yes"),
}
PART_TWO = {
    "child_participation": value("PN6"),
    "decision": value("continue"),
    "decision_reasons": value("The placement meets Jade's needs; the plan stays."),
    "iro_recommendations": value([{"recommendation": "Health assessment booked within 4 weeks."}]),
}


@pytest.fixture()
def review(db: Session, client: TestClient) -> tuple[Worker, Worker, dict[str, Any]]:
    demo.load(session=db, with_records=True, library=shipped_library())
    db.commit()
    worker = Worker(client)
    chair = Worker(TestClient(client.app), "chair")
    record = worker.start(worker.children()["Jade"], "review")
    return worker, chair, record


def test_part_two_of_a_looked_after_review_is_written_by_the_chair_only(
    review: tuple[Worker, Worker, dict[str, Any]], db: Session
) -> None:
    worker, chair, record = review
    saved = worker.save(record, PART_ONE)
    assert saved["errors"] == {}
    record = worker.get(f"/api/records/{record['id']}")
    for field_id, answer in PART_TWO.items():
        refused = worker.save(record, {field_id: answer}, status=403)
        assert refused["detail"][0]["field"] == field_id, refused
        assert refused["detail"][0]["message"].startswith("Only the conference chair may write")
    # Nothing of a refused save is written, and each refusal is kept in the trail.
    unchanged = worker.get(f"/api/records/{record['id']}")
    assert unchanged["revision"] == record["revision"]
    assert "decision" not in unchanged["answers"]
    refusals = db.scalars(
        select(AuditEvent).where(
            AuditEvent.target_id == record["id"], AuditEvent.action == "denied.author_only"
        )
    ).all()
    assert len(refusals) == len(PART_TWO)
    # The chair writes Part Two; the worker's Part One stays as they wrote it.
    written = chair.save(record, PART_TWO)
    assert written["errors"] == {}
    after = chair.get(f"/api/records/{record['id']}")["answers"]
    assert after["decision"]["value"] == "continue"
    assert after["child_participation"]["value"] == "PN6"
    assert after["progress_summary"]["value"] == PART_ONE["progress_summary"]["value"]
    assert after["review_date"]["value"] == ago(2)  # the 903's REVIEW date: the meeting's


def test_the_903_participation_code_is_required_on_a_looked_after_review(
    review: tuple[Worker, Worker, dict[str, Any]],
) -> None:
    worker, chair, record = review
    worker.save(record, PART_ONE)
    record = worker.get(f"/api/records/{record['id']}")
    chair.save(record, {k: v for k, v in PART_TWO.items() if k != "child_participation"})
    refused = worker.post(f"/api/records/{record['id']}/submit", status=422)
    fields = {item["field"] for item in refused["detail"]}
    assert "child_participation" in fields, refused


def test_a_child_in_need_reviews_part_two_is_still_the_workers(
    review: tuple[Worker, Worker, dict[str, Any]],
) -> None:
    worker, _, record = review
    saved = worker.save(
        record, {**PART_ONE, "review_type": value("cin"), "decision": value("close")}
    )
    assert saved["errors"] == {}


def test_the_worker_sees_part_two_read_only_and_their_page_never_changes_it(
    review: tuple[Worker, Worker, dict[str, Any]], client: TestClient
) -> None:
    worker, chair, record = review
    worker.save(record, PART_ONE)
    chair.save(worker.get(f"/api/records/{record['id']}"), PART_TWO)
    browser = TestClient(client.app)
    csrf = page_sign_in(browser, "worker")
    url = f"/records/{record['id']}/sections/decisions"
    page = browser.get(url).text
    assert "Written by the conference chair." in page
    assert "The placement meets Jade&#39;s needs; the plan stays." in page
    form = form_of(page)
    assert "decision" not in form and "decision_reasons" not in form  # no inputs for them
    # A forged input is no input: the chair's words stay as they wrote them.
    form |= {"decision": ["close"], "csrf_token": [csrf], "action": ["continue"]}
    assert browser.post(url, data=form, follow_redirects=False).status_code == 303
    answers = worker.get(f"/api/records/{record['id']}")["answers"]
    assert answers["decision"]["value"] == "continue"
    assert answers["decision_reasons"]["value"] == PART_TWO["decision_reasons"]["value"]
    # The chair's own page has the inputs.
    chairs = TestClient(client.app)
    page_sign_in(chairs, "chair")
    assert 'name="decision"' in chairs.get(url).text


def test_a_section_written_by_a_role_that_neither_completes_nor_signs_is_named(
    tmp_path: Path,
) -> None:
    text = (ROOT / "exemplars" / "review.yaml").read_text()
    broken = text.replace("roles: [conference_chair]", "roles: [conference_chiar]")
    folder = tmp_path / "exemplars"
    shutil.copytree(ROOT / "exemplars", folder)
    (folder / "review.yaml").write_text(broken)
    with pytest.raises(ExemplarErrors) as caught:
        load_library(folder)
    line = broken.splitlines().index("      roles: [conference_chiar]") + 1
    found = [(p.line, p.message) for p in caught.value.problems if p.severity == "error"]
    assert any(
        at == line and "'conference_chiar' neither completes nor signs review" in message
        for at, message in found
    ), found
