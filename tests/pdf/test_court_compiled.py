"""A court statement about the child, compiled from the finalised records the worker ticks on the
child's "Court statement" page, read back from the PDF as a court would read it."""

import io
import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import demo
from app.auth.models import Role, User
from app.cases import service as cases
from app.engine.display import long_date
from app.printing.models import Printout
from app.printing.pdf import court_settings
from app.records import service as records
from app.records.models import Record
from tests.api.test_pages import page_sign_in
from tests.api.test_records import Worker, value
from tests.conftest import PASSWORD
from tests.factories import shipped_library
from tests.pdf.test_court_front import PROFILE, assert_accessible
from tests.pdf.test_court_statement import _between, _heading, _headings, _paragraphs

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _jade(db: Session, client: TestClient) -> tuple[int, list[Record], str]:
    """The demo with Jade's five finalised records, the worker's profile complete, signed in."""
    numbers = demo.load(session=db, with_records=True, library=shipped_library())
    worker = db.scalars(select(User).where(User.username == "worker")).one()
    for name, given in PROFILE.items():
        setattr(worker, name, given)
    db.commit()
    case = cases.get_case_by_number(session=db, case_number=numbers[1])  # Jade's
    assert case is not None
    made = list(db.scalars(select(Record).where(Record.case_id == case.id).order_by(Record.id)))
    client.app.state.other_case = numbers[0]  # type: ignore[attr-defined]  # a sister's case
    return case.id, made, page_sign_in(client, "worker")


def _compile(client: TestClient, case_id: int, picked: list[str], chronology: bool = True) -> bytes:
    page = client.get(f"/children/{case_id}/statement")
    assert page.status_code == 200
    token = TOKEN.search(page.text)
    assert token
    form: dict[str, object] = {"csrf_token": token[1], "records": picked}
    if chronology:
        form["chronology"] = "true"
    made = client.post(f"/children/{case_id}/statement", data=form)
    assert made.status_code == 200, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", made.text))[-1500:]
    assert made.headers["content-type"] == "application/pdf"
    return made.content


def _text(data: bytes) -> tuple[str, list[str]]:
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
    body = "\n".join(page for page in pages if "\nContents\n" not in f"\n{page}")
    return body, pages


def test_a_statement_about_the_child_is_compiled_from_the_records_ticked(
    db: Session, client: TestClient, artifacts_dir: Path, tmp_path: Path
) -> None:
    case_id, made, _ = _jade(db, client)
    page = client.get(f"/children/{case_id}/statement").text
    picked = re.findall(r'name="records" type="checkbox" value="([^"]+)"', page)
    assert picked == [f"{r.id}:{r.version}" for r in made]  # every finalised record, in order
    data = _compile(client, case_id, picked)
    (artifacts_dir / "court-compiled.pdf").write_bytes(data)  # to look at
    text, pages = _text(data)
    flat = " ".join(text.split())
    # One front sheet, one contents page, one statement of truth.
    assert sum("\nContents\n" in f"\n{p}" for p in pages) == 1
    assert flat.count("In the matter of the Children Act 1989") == 1
    assert flat.count("Statement of truth") == 1
    assert str(court_settings()["court_name"]) in flat.split("Contents")[0]
    for given in PROFILE.values():
        assert " ".join(given.split()) in flat, given  # the witness block, from the profile
    assert "Before filing" not in flat
    # The SWET headings in order, then the chronology exhibited after the signature.
    positions = [flat.find(h) for h in _headings()]
    assert -1 not in positions and positions == sorted(positions)
    exhibit = flat.rindex("Exhibit 1: Social work chronology")  # the front sheet names it too
    assert exhibit > flat.index("Statement of truth")
    assert "Not answered" not in flat
    numbers = [number for number, _ in _paragraphs(text)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > 10  # one sequence
    html_paragraphs = [p for _, p in _paragraphs(text)]
    assert all(len(p.split()) >= 5 for p in html_paragraphs)
    # Each record's sections under their headings, introduced by their source, in date order.
    sources = [
        s for s in re.findall(r"From the (.+?) completed on (\d+ \w+ \d{4}) \(version 1\)", flat)
    ]
    titles = {records.title_of(records.definition_of(library=shipped_library(), record=r)).lower()
              for r in made}  # fmt: skip
    assert {title for title, _ in sources} == titles
    plan = _between(flat, _heading(9, "care_plan"), _heading(10, "views"))
    assert "From the child's plan completed on" in plan and len(plan.split()) > 50
    wishes = _between(flat, _heading(5, "child_wishes"), _heading(6, "parenting"))
    for exemplar_id in ("initial_assessment", "core_assessment"):
        record = next(r for r in made if r.exemplar_id == exemplar_id)
        said = str(record.answers["child_words"]["value"][0]["what_they_said"]).split()[:4]
        assert " ".join(said) in wishes, exemplar_id  # the child's words, from both records
    # The chronology's dates are the events' dates.
    chronology = flat[exhibit:]
    for record in made:
        declared = records.definition_of(library=shipped_library(), record=record).definition
        assert declared.chronology is not None
        assert long_date(str(record.answers[declared.chronology.date]["value"])) in chronology
    assert_accessible(data, tmp_path / "compiled.pdf")
    listed = client.get(f"/children/{case_id}/statement").text.replace("&#39;", "'")
    over = len(pages) > court_settings()["page_limit"]  # the demo's five records run past it
    assert (f"{len(pages)} pages, over the court's limit" in listed) == over
    stored = db.scalars(select(Printout).where(Printout.case_id == case_id)).one()
    assert [s["record_id"] for s in stored.sources] == [r.id for r in made]
    assert stored.record_id is None and stored.frozen and stored.frozen["chronology"] is True


def test_printed_again_it_is_the_same_bytes_whatever_changed_since(
    db: Session, client: TestClient, make_user: Any
) -> None:
    case_id, made, csrf = _jade(db, client)
    picked = [f"{r.id}:{r.version}" for r in made[:3]]
    first = _compile(client, case_id, picked)
    worker = db.scalars(select(User).where(User.username == "worker")).one()
    worker.employer, worker.registration_number = "Northshire County Council", "SW999999"
    db.commit()
    core = next(r for r in made if r.exemplar_id == "core_assessment")
    api = Worker(TestClient(client.app))  # a later amendment, finalised as version 2
    amended = api.post(f"/api/records/{core.id}/amend", reason="The analysis was updated.")
    api.save(amended, {"analysis": value("Jade is loved; since the review mornings are calm.")})
    api.post(f"/api/records/{core.id}/submit")
    team = _worker(db).team
    assert team is not None
    other = make_user(Role.TEAM_MANAGER, username="second-manager", team=team.name)
    Worker(TestClient(client.app), other.username, PASSWORD).post(
        f"/api/records/{core.id}/finalise"
    )  # the demo's manager signed this record off before: another manager signs the amendment
    assert api.get(f"/api/records/{core.id}")["version"] == 2
    printout = db.scalars(select(Printout).where(Printout.case_id == case_id)).one()
    again = client.post(f"/printouts/{printout.id}/again", data={"csrf_token": csrf})
    assert again.status_code == 200 and again.content == first  # byte-identical
    assert "Northshire" not in " ".join(_text(again.content)[0].split())
    assert f'value="{core.id}:2"' in client.get(f"/children/{case_id}/statement").text
    page = client.get(f"/children/{case_id}/statement").text
    assert "Print statement 1 again" in page
    second = _compile(client, case_id, picked, chronology=False)  # a new statement: signed now
    flat = " ".join(_text(second)[0].split())
    assert "Northshire County Council" in flat and "Statement number 2" in flat
    assert "The social work chronology is not part of this statement" in flat


def test_a_statement_without_records_or_with_another_childs_is_refused(
    db: Session, client: TestClient
) -> None:
    case_id, made, csrf = _jade(db, client)
    before = db.scalar(select(func.count(Printout.id)))
    ruby = cases.get_case_by_number(session=db, case_number=client.app.state.other_case)  # type: ignore[attr-defined]
    assert ruby is not None and ruby.id != case_id
    elsewhere = client.post(
        f"/children/{ruby.id}/statement",
        data={"csrf_token": csrf, "records": [f"{made[0].id}:1"]},
    )
    assert elsewhere.status_code == 422 and "is not one of this child" in elsewhere.text
    refused = client.post(f"/children/{case_id}/statement", data={"csrf_token": csrf})
    assert refused.status_code == 422
    assert "Choose at least one finalised record for the statement" in refused.text
    assert 'href="#records"' in refused.text  # the error names the field
    wrong = client.post(
        f"/children/{case_id}/statement",
        data={"csrf_token": csrf, "records": [f"{made[0].id}:99"]},
    )
    assert wrong.status_code == 422 and "was never finalised" in wrong.text
    junk = client.post(
        f"/children/{case_id}/statement", data={"csrf_token": csrf, "records": ["DROP TABLE"]}
    )
    assert junk.status_code == 422 and "Choose records from the list" in junk.text
    assert db.scalar(select(func.count(Printout.id))) == before  # nothing half-written


def _worker(db: Session) -> User:
    return db.scalars(select(User).where(User.username == "worker")).one()
