"""The child's chronology: dated by the event each exemplar declares, case notes included, marked by
the worker, and frozen into a finalised record so later records never change its printout."""

import io
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import demo
from app.cases import service as cases
from app.config import ROOT
from app.engine.display import long_date
from app.engine.loader import ExemplarErrors, load_library
from app.records import chronology
from app.records.models import ChronologyMark, Record
from tests.api.test_pages import page_sign_in
from tests.api.test_records import Worker, value
from tests.factories import shipped_library


@pytest.fixture()
def jade(db: Session, client: TestClient) -> dict[str, Any]:
    """The demo with Jade's five finalised records, and the worker signed in to the pages."""
    numbers = demo.load(session=db, with_records=True, library=shipped_library())
    db.commit()
    case = cases.get_case_by_number(session=db, case_number=numbers[1])
    assert case is not None
    csrf = page_sign_in(client, "worker")
    return {"case_id": case.id, "csrf": csrf}


def _records(db: Session, case_id: int) -> list[Record]:
    return list(db.scalars(select(Record).where(Record.case_id == case_id).order_by(Record.id)))


def _page(client: TestClient, case_id: int, query: str = "") -> str:
    page = client.get(f"/children/{case_id}/chronology{query}")
    assert page.status_code == 200, page.text[:500]
    return page.text


def _rows(html: str) -> list[str]:
    body = html.split('<tbody class="govuk-table__body">')[1].split("</tbody>")[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in body.split("</tr>")[:-1]]


def test_each_demo_record_is_dated_by_the_event_its_yaml_declares(
    db: Session, client: TestClient, jade: dict[str, Any]
) -> None:
    library = shipped_library()
    entries = chronology.of_case(session=db, library=library, case_id=jade["case_id"])
    by_record = {entry.record_id: entry for entry in entries}
    found = _records(db, jade["case_id"])
    assert len(found) == len(entries) == 5
    for record in found:
        declared = library.get(record.exemplar_id, record.exemplar_version).definition.chronology
        assert declared is not None, record.exemplar_id
        entry = by_record[record.id]
        assert entry.on == record.answers[declared.date]["value"], record.exemplar_id
        assert entry.dated_by_event and entry.kind == declared.kind
        assert record.finalised_at is not None
        assert entry.on != record.finalised_at.date().isoformat()  # not the day it was signed off
    assert [e.on for e in entries] == sorted(e.on for e in entries)
    referral = entries[0]
    assert referral.kind == "referral" and referral.what.startswith("Referral received from ")
    rows = _rows(_page(client, jade["case_id"]))
    assert rows[0].startswith(long_date(referral.on))
    assert f'href="/records/{referral.record_id}"' in _page(client, jade["case_id"])
    assert "Chronology" in client.get(f"/children/{jade['case_id']}").text


def test_a_significant_case_note_adds_its_own_entry_and_an_ordinary_one_does_not(
    db: Session, client: TestClient, jade: dict[str, Any]
) -> None:
    worker = Worker(TestClient(client.app))
    note = {"note_type": value("home_visit"), "note": value("Visited Jade at home.")}
    worker.complete(worker.start(jade["case_id"], "case_note"), {
        **note, "event_date": value("2026-11-02"), "significant_event": value("no"),
    })  # fmt: skip
    worker.complete(worker.start(jade["case_id"], "case_note"), {
        **note,
        "event_date": value("2026-11-03"),
        "significant_event": value("yes"),
        "chronology_entry": value("Jade fell at nursery and hurt her arm; hospital checked it."),
    })  # fmt: skip
    rows = _rows(_page(client, jade["case_id"], "?kind=case_note"))
    assert len(rows) == 1
    assert rows[0].startswith("3 November 2026 Jade fell at nursery and hurt her arm")
    assert "Case note, record" in rows[0]


def test_the_filter_keeps_one_kind_and_one_significance(
    client: TestClient, jade: dict[str, Any]
) -> None:
    everything = _rows(_page(client, jade["case_id"]))
    assessments = _rows(_page(client, jade["case_id"], "?kind=assessment"))
    assert len(assessments) == 2 and len(everything) == 5
    assert all(" Assessment " in row for row in assessments)
    high = _rows(_page(client, jade["case_id"], "?significance=high"))
    assert len(high) == 1 and "Referral received" in high[0]
    printable = _page(client, jade["case_id"], "?kind=assessment&print=true")
    assert "<form" not in printable.split("<main")[1] and len(_rows(printable)) == 2
    refused = client.get(f"/children/{jade['case_id']}/chronology?kind=visit")
    assert refused.status_code == 422 and "kind" in refused.text


def test_the_significance_a_worker_sets_shows_and_is_kept_as_history(
    db: Session, client: TestClient, jade: dict[str, Any]
) -> None:
    review = _records(db, jade["case_id"])[-1]
    url = f"/records/{review.id}/significance"
    for significance in ("high", "low"):
        form = {"csrf_token": jade["csrf"], "version": "1", "significance": significance}
        assert client.post(url, data=form).status_code == 200  # followed back to the page
    rows = _rows(_page(client, jade["case_id"], "?significance=low"))
    assert len(rows) == 1 and "Review" in rows[0]
    kept = db.scalars(select(ChronologyMark).where(ChronologyMark.record_id == review.id)).all()
    assert [m.significance for m in kept] == ["high", "low"]
    bad = {"csrf_token": jade["csrf"], "version": "1", "significance": "enormous"}
    refused = client.post(url, data=bad)
    assert refused.status_code == 422 and "significance" in refused.text
    missing = {"csrf_token": jade["csrf"], "version": "9", "significance": "low"}
    assert client.post(url, data=missing).status_code == 404


def test_a_finalised_printout_never_changes_when_a_later_record_is_finalised(
    db: Session, client: TestClient, jade: dict[str, Any]
) -> None:
    review = _records(db, jade["case_id"])[-1]

    def print_review() -> bytes:
        form = {"csrf_token": jade["csrf"], "audience": "worker"}
        response = client.post(f"/records/{review.id}/print", data=form)
        assert response.status_code == 200
        return response.content

    before = print_review()
    worker = Worker(TestClient(client.app))
    worker.complete(worker.start(jade["case_id"], "case_note"), {
        "event_date": value("2026-11-04"),
        "note_type": value("home_visit"),
        "note": value("Kerry said Dean came to the house."),
        "significant_event": value("yes"),
        "chronology_entry": value("Dean Marshall visited the home against the agreed plan."),
    })  # fmt: skip
    form = {"csrf_token": jade["csrf"], "version": "1", "significance": "high"}
    client.post(f"/records/{review.id}/significance", data=form)
    after = print_review()
    assert after == before
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(after)).pages)
    assert "Referral received from" in " ".join(text.split())
    assert "Dean Marshall visited" not in text
    live = _page(client, jade["case_id"])
    assert "Dean Marshall visited the home against the agreed plan" in live


def test_a_chronology_line_naming_a_missing_field_is_an_error_at_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "exemplars"
    shutil.copytree(ROOT / "exemplars", folder)
    path = folder / "review.yaml"
    text = path.read_text()
    path.write_text(text.replace("({review_type}): {decision}", "({review_kind}): {decision}"))
    line = next(
        n for n, row in enumerate(path.read_text().splitlines(), 1) if "{review_kind}" in row
    )
    with pytest.raises(ExemplarErrors) as raised:
        load_library(folder)
    message = str(raised.value)
    assert f"review.yaml:{line}:" in message
    assert "'{review_kind}' in the chronology line is not a field of review" in message
    path.write_text(text.replace("date: review_date", "date: review_type"))
    with pytest.raises(ExemplarErrors) as raised:
        load_library(folder)
    assert "chronology date 'review_type' must be a date field of review" in str(raised.value)
