"""The demo child's records: `ics demo load --with-records` fills, submits and finalises them."""

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from app import cli, demo
from app.cases import service as cases
from app.records.models import Record, RecordRevision, RecordSnapshot, RecordStatus
from tests.factories import shipped_library


def _jade_records(db: Session, case_number: str) -> list[Record]:
    case = cases.get_case_by_number(session=db, case_number=case_number)
    assert case is not None
    return list(db.scalars(select(Record).where(Record.case_id == case.id).order_by(Record.id)))


def _counts(db: Session) -> tuple[int, int, int]:
    return (
        db.scalar(select(func.count()).select_from(Record)) or 0,
        db.scalar(select(func.count()).select_from(RecordRevision)) or 0,
        db.scalar(select(func.count()).select_from(RecordSnapshot)) or 0,
    )


def test_demo_records_are_finalised_for_jade(db: Session) -> None:
    numbers = demo.load(session=db, with_records=True, library=shipped_library())
    db.commit()
    jade_number = numbers[1]  # youngest first: Ruby, Jade, Tyler
    case = cases.get_case_by_number(session=db, case_number=jade_number)
    assert case is not None and case.child.given_names == "Jade"
    found = _jade_records(db, jade_number)
    assert [r.exemplar_id for r in found] == demo.record_exemplars()
    assert all(r.status == RecordStatus.FINALISED for r in found)
    by_id = {r.exemplar_id: r.answers for r in found}
    assert by_id["childs_plan"]["plan_type"]["value"] == "cin"  # pre-filled from the case
    assert by_id["review"]["review_type"]["value"] == "cin"  # pre-filled from the plan
    assert by_id["core_assessment"]["age_band"]["value"] == "5_to_10"
    assert by_id["core_assessment"]["disability_codes"]["value"] == ["COMM", "MOB"]
    assert len(by_id["childs_plan"]["plan_lines"]["value"]) >= 3
    for exemplar_id in ("initial_assessment", "core_assessment"):
        assert by_id[exemplar_id]["child_words"]["value"]
        assert by_id[exemplar_id]["parent_words"]["value"]
    # Pre-fill carried the referral into the assessment rather than it being typed again.
    assert "prefilled" in by_id["initial_assessment"]["reason_for_assessment"]
    # Every date in every record is in the past, but the next review the last review set.
    ahead = by_id["review"].pop("next_review_date")["value"]
    dates = [v for a in by_id.values() for v in _iso_dates(a)]
    assert dates and max(dates) < date.today().isoformat() < ahead
    # The other children have no records.
    for other in (numbers[0], numbers[2]):
        assert _jade_records(db, other) == []


def _iso_dates(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [d for v in value.values() for d in _iso_dates(v) if v is not value.get("prefilled")]
    if isinstance(value, list):
        return [d for v in value for d in _iso_dates(v)]
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return [value]
    return []


def test_demo_records_are_not_duplicated(db: Session) -> None:
    first = demo.load(session=db, with_records=True, library=shipped_library())
    db.commit()
    before = _counts(db)
    assert demo.load(session=db, with_records=True, library=shipped_library()) == first
    db.commit()
    assert _counts(db) == before
    assert len(_jade_records(db, first[1])) == len(demo.record_exemplars())


def test_demo_records_add_only_what_is_missing(db: Session) -> None:
    numbers = demo.load(session=db)  # the family without records, as an older demo database
    db.commit()
    assert _jade_records(db, numbers[1]) == []
    first_two = demo.record_exemplars()[:2]
    assert demo.load_records(session=db, exemplars=first_two) == numbers[1]
    db.commit()
    kept = {r.exemplar_id: r.id for r in _jade_records(db, numbers[1])}
    assert sorted(kept) == sorted(first_two)
    assert demo.load(session=db, with_records=True, library=shipped_library()) == numbers
    db.commit()
    found = _jade_records(db, numbers[1])
    assert [r.exemplar_id for r in found] == demo.record_exemplars()
    assert {r.exemplar_id: r.id for r in found if r.exemplar_id in first_two} == kept
    assert all(r.status == RecordStatus.FINALISED for r in found)


@pytest.fixture()
def cli_uses_test_database(
    monkeypatch: pytest.MonkeyPatch, session_factory: sessionmaker[Session]
) -> None:
    monkeypatch.setattr(cli, "make_engine", lambda url: None)
    monkeypatch.setattr(cli, "make_session_factory", lambda engine: session_factory)


@pytest.mark.usefixtures("cli_uses_test_database")
def test_cli_prints_jade_case_number_last(db: Session) -> None:
    result = CliRunner().invoke(cli.main, ["demo", "load", "--with-records"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 5  # Ruby, Jade, Liam, Tyler, then Jade again
    assert lines[-1] == lines[1]  # Jade, the 6-year-old, again on the last line
    assert len(_jade_records(db, lines[-1])) == len(demo.record_exemplars())
    again = CliRunner().invoke(cli.main, ["demo", "load", "--with-records"])
    assert again.exit_code == 0, again.output
    assert again.output == result.output
    assert len(_jade_records(db, lines[-1])) == len(demo.record_exemplars())


@pytest.mark.usefixtures("cli_uses_test_database")
def test_cli_without_records_prints_only_the_children(db: Session) -> None:
    result = CliRunner().invoke(cli.main, ["demo", "load"])
    assert result.exit_code == 0, result.output
    assert len(result.output.strip().splitlines()) == 4
