"""The CIN census export against the real rules: the demo family and a generated year of several
hundred children export to a message that passes our XSD of the year's structure (lxml) with 0
errors and the DfE's validation rules, as the sector's validator implements them
(csc-validator-be-cin, run in its own venv as a subprocess), with 0 errors."""

import json
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import demo
from app.engine.library import Library
from app.records.models import Record
from app.returns import cin
from tests.factories import Factory
from tests.returns.generated_year import generate

ROOT = Path(__file__).parents[2]
VALIDATOR = ROOT / ".venv-cin" / "bin" / "python"
RULESET = "cin2025_26"  # the newest published set (2026-27 inherits it unchanged)
CHILDREN = 400


def rule_issues(xml: bytes, tmp_path: Path) -> list[dict[str, str]]:
    """Every issue the DfE rules find in `xml`: errors and queries."""
    assert VALIDATOR.exists(), "run `make setup`: it makes .venv-cin with the CIN validator"
    path = tmp_path / "cin.xml"
    path.write_bytes(xml)
    ran = subprocess.run(
        [str(VALIDATOR), str(Path(__file__).parent / "cin_rules.py"), str(path), RULESET],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    issues: list[dict[str, str]] = json.loads(ran.stdout.strip().splitlines()[-1])
    return issues


def demo_year(db: Session) -> int:
    """The collection year of the demo's referral (its dates are counted back from today)."""
    referral = db.scalars(
        select(Record).where(Record.exemplar_id == "referral_and_information")
    ).first()
    assert referral is not None
    day = date.fromisoformat(referral.answers["referral_date"]["value"])
    return day.year + 1 if day.month >= 4 else day.year


@pytest.fixture()
def a_year(db: Session, factory: Factory, library: Library) -> int:
    demo.load(session=db, with_records=True)
    year = demo_year(db)
    generate(
        session=db,
        library=library,
        actor=factory.actor,
        period=cin.Period.of(year),
        children=CHILDREN,
        seed=2026,
    )
    db.commit()
    return year


def test_the_demo_and_a_generated_year_pass_the_structure_and_the_dfe_rules(
    db: Session, a_year: int, tmp_path: Path
) -> None:
    started = time.perf_counter()
    census = cin.build(session=db, year=a_year, la_code="873")
    took = time.perf_counter() - started
    assert census.children == CHILDREN + 1  # Jade has the demo's records; so does every child made
    assert census.structure_errors == []
    issues = rule_issues(census.xml, tmp_path)
    errors = [i for i in issues if i["kind"] != "QUERY"]
    assert errors == [], errors[:20]
    queries = sorted({f"{i['code']}: {i['message'][:90]}" for i in issues})
    print(f"\nbuilt {census.children} children in {took:.2f} s; queries: {queries}")
    assert took < 10


def test_a_break_in_the_structure_is_found_where_it_is(db: Session, a_year: int) -> None:
    census = cin.build(session=db, year=a_year, la_code="873")
    broken = census.xml.replace(
        b"<ReferralNFA>0</ReferralNFA>", b"<ReferralNFA>false</ReferralNFA>", 1
    )
    found = cin.structure_errors(broken)
    assert len(found) == 1 and "ReferralNFA" in found[0] and "'false'" in found[0]
    reordered = census.xml.replace(b"<Sex>", b"<Gender>", 1).replace(b"</Sex>", b"</Gender>", 1)
    assert any("Gender" in e for e in cin.structure_errors(reordered))


def test_the_rules_find_a_real_mistake_so_a_clean_run_means_something(
    db: Session, a_year: int, tmp_path: Path
) -> None:
    census = cin.build(session=db, year=a_year, la_code="873")
    # The first primary need left out: rule 8610 (further action needs a primary need).
    start = census.xml.index(b"<PrimaryNeedCode>")
    end = census.xml.index(b"</PrimaryNeedCode>") + len(b"</PrimaryNeedCode>")
    issues = rule_issues(census.xml[:start] + census.xml[end:], tmp_path)
    assert {i["code"] for i in issues if i["kind"] != "QUERY"} == {"8610"}
