"""Printouts read back from real PDFs: the family letter, the court statement, the frozen copy."""

import io
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy.orm import Session

from app import demo
from app.auth.models import User
from app.config import get_settings
from app.people.models import Family, FamilyMember
from app.printing import readability, service
from app.printing.models import Printout
from app.printing.pdf import court_settings
from app.records import service as records
from tests.api.test_records import Worker, value
from tests.factories import shipped_library

CONFIDENTIAL = "14 Refuge Road, Undisclosed"


def pdf_text(data: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), reader


@pytest.fixture()
def jade(db: Session, client: TestClient) -> dict[str, Any]:
    """Jade's finalised core assessment and child in need plan, typed through the API."""
    demo.load(session=db)
    db.commit()
    _hide_address(db)
    worker = Worker(client)
    case_id = worker.children()["Jade"]
    core = worker.complete(worker.start(case_id, "core_assessment"), {
        "commenced_date": value("2026-10-01"),
        "reason_for_assessment": value("School worried Jade was tired and hungry."),
        "analysis": value("Jade is loved. Her mother needs help with mornings."),
        "assessment_factors": value(["3A"]),
        "decision": value("cin_plan"),
    })  # fmt: skip
    plan = worker.next(core, "childs_plan")
    plan = worker.complete(plan, {
        "plan_type": value("cin"),
        "plan_start_date": value("2026-11-01"),
        "plan_lines": value([
            {"need": "Breakfast every day", "action": "Breakfast club", "who": "Kerry"},
        ]),
    })  # fmt: skip
    return {"case_id": case_id, "core": core["id"], "plan": plan["id"], "worker": worker}


def _hide_address(db: Session) -> None:
    """Kerry's household address is confidential (she left an abusive partner)."""
    for family in db.query(Family).join(FamilyMember).all():
        family.address = CONFIDENTIAL
        family.address_confidential = True
    db.commit()


def printed(db: Session, record_id: int, audience: Any) -> tuple[str, PdfReader, service.Printed]:
    library = shipped_library()
    actor = db.query(User).filter_by(username="worker").one()
    result = service.print_record(
        session=db, library=library, actor=actor, record_id=record_id, audience=audience
    )
    text, reader = pdf_text(result.pdf)
    return text, reader, result


def test_the_family_letter_is_plain_complete_and_safe(db: Session, jade: dict[str, Any]) -> None:
    text, _, result = printed(db, jade["plan"], "family")
    flat = " ".join(text.split())
    assert "The people in Jade's life" in flat
    assert "Kerry Walsh" in flat  # her pen-picture
    assert "Breakfast every day" in flat and "Breakfast club" in flat  # the plan, who does what
    assert CONFIDENTIAL not in flat
    assert "Words we have used" in flat
    library = shipped_library()
    lowered = flat.lower()
    for term in library.glossary.terms:
        if term.term.lower() in lowered.split("words we have used")[0]:
            assert term.explanation.split()[0] in flat, term.term
    record = records.get(session=db, record_id=jade["plan"])
    document, _ = service.build(
        session=db, library=library, record=record, audience="family", author=None
    )
    fixed = "\n\n".join(
        [document.title]
        + [s.title for s in document.sections]
        + [a.label for s in document.sections for a in s.answers]
    )
    assert readability.measure(fixed).reading_age <= 11
    assert result.printout.audience == "family" and result.printout.finalised


def test_the_court_statement_follows_swet(db: Session, jade: dict[str, Any]) -> None:
    text, reader, _ = printed(db, jade["core"], "court")
    flat = " ".join(text.split())
    headings = [
        "1. Case details",
        "2. Social work chronology",
        "3. Analysis of harm",
        "4. Child impact analysis",
        "5. The child's wishes and feelings",
        "11. Signature and statement of truth",
    ]
    positions = [flat.find(h) for h in headings]
    assert -1 not in positions and positions == sorted(positions), positions
    assert re.search(r"\b1\.\s", flat) and re.search(r"\b2\.\s", flat)
    assert f"Page 1 of {len(reader.pages)}" in flat
    assert "proceedings for contempt of court" in flat
    assert str(court_settings()["court_name"]) in flat  # the front sheet's court, from court.yaml
    assert f"Applicant: {get_settings().council_name}" in flat  # the council, from settings
    assert "Core assessment completed" in flat  # the chronology table
    assert "Family diagram" in flat and "Pat Walsh" in flat  # drawn from the relationships
    assert [item.title for item in reader.outline if not isinstance(item, list)][:1]  # bookmarks
    assert "Assessment factors" not in flat  # marked worker-only in the YAML


def test_a_blank_answer_never_reads_no(db: Session, jade: dict[str, Any]) -> None:
    for audience in ("worker", "family", "child", "court"):
        text, _, _ = printed(db, jade["core"], audience)
        lines = [line.strip() for line in text.splitlines()]
        # Only the worker's copy lists what is unanswered: the court's, the family's and the
        # child's leave it out (the print preview lists it instead).
        assert ("Not answered" in text) == (audience == "worker")
        assert "No" not in lines, audience


def test_a_finalised_printout_reads_the_same_after_the_child_changes(
    db: Session, jade: dict[str, Any]
) -> None:
    before, _, first = printed(db, jade["core"], "worker")
    worker = jade["worker"]
    person_id = worker.get(f"/api/children/{jade['case_id']}")["child"]["id"]
    worker.client.patch(
        f"/api/people/{person_id}",
        json={"known_as": "Jadey", "first_language": "Welsh"},
        headers=worker.headers,
    )
    after, _, second = printed(db, jade["core"], "worker")
    assert before.split("Page 1 of")[0] == after.split("Page 1 of")[0]
    assert first.printout.checksum == second.printout.checksum
    assert db.query(Printout).count() == 2  # every print is kept, with its checksum


def test_the_family_letter_in_welsh_uses_the_welsh_wording(
    db: Session, jade: dict[str, Any]
) -> None:
    library = shipped_library()
    actor = db.query(User).filter_by(username="worker").one()
    printed = service.print_record(
        session=db,
        library=library,
        actor=actor,
        record_id=jade["plan"],
        audience="family",
        lang="cy",
    )
    text, _ = pdf_text(printed.pdf)
    flat = " ".join(text.split())
    assert "Cynllun Jade" in flat  # the exemplar's Welsh title, with the child's name
    assert "Am y cynllun hwn" in flat  # a Welsh section title from the YAML
    assert "Y bobl ym mywyd Jade" in flat  # the letter's own wording, in Welsh
    assert printed.printout.language == "cy"
