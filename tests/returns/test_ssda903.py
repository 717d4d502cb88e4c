"""The SSDA903 export (`ics returns 903`), read back and checked by the sector's rule validator
(csc-validator-be-903, run from its own venv as a subprocess) with 0 errors: on the demo's
looked-after child and on a seeded set of 300 generated children. The validator is shown to catch
a broken file, so a pass means something."""

import csv
import json
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from app import cli, demo
from app.audit.models import AuditEvent
from app.auth.models import Role, User
from app.cases import service as cases
from app.config import ROOT
from app.engine.yamlfile import ExemplarErrors
from app.records import service as records
from app.returns import ssda903
from tests.factories import Factory, shipped_library
from tests.returns.generate import generate

VALIDATOR = ROOT / ".venv-903" / "bin" / "python"
DRIVER = Path(__file__).with_name("validate_903.py")
LA_CODE = "E09000027"  # the council the demo's and the generated postcodes are in


def validate(folder: Path, year: int) -> list[dict[str, str]]:
    """Every issue the validator finds in the folder's CSV files (made by `make setup`)."""
    assert VALIDATOR.exists(), "run `make setup`: it makes .venv-903 with the 903 validator"
    ran = subprocess.run(
        [str(VALIDATOR), str(DRIVER), str(folder), str(year), LA_CODE],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    lines = ran.stdout.splitlines()
    header = [json.loads(line[8:]) for line in lines if line.startswith("RULESET ")]
    assert header and header[0]["rules"] > 250, ran.stdout[-2000:]  # the year's rules ran
    return [json.loads(line[6:]) for line in lines if line.startswith("ISSUE ")]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _collection_year(today: date) -> int:
    return today.year + 1 if today.month >= 4 else today.year


@pytest.fixture()
def cli_uses_test_database(
    monkeypatch: pytest.MonkeyPatch, session_factory: sessionmaker[Session]
) -> None:
    monkeypatch.setattr(cli, "make_engine", lambda url: None)
    monkeypatch.setattr(cli, "make_session_factory", lambda engine: session_factory)


@pytest.mark.usefixtures("cli_uses_test_database")
def test_the_demo_exports_with_no_validator_errors(db: Session, tmp_path: Path) -> None:
    demo.load(session=db)
    db.commit()
    year = _collection_year(date.today())
    args = ["returns", "903", "--year", str(year), "--as", "data", "--out", str(tmp_path)]
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "episodes.csv",
        "header.csv",
        "missing.csv",
        "reviews.csv",
    ]
    header = _read(tmp_path / "header.csv")
    episodes = _read(tmp_path / "episodes.csv")
    assert [(h["SEX"], h["UPN"]) for h in header] == [("M", "A318200118001")]  # Liam only
    assert [e["RNE"] for e in episodes] == ["S", "L", "P"]
    assert [e["REC"] for e in episodes] == ["X1", "X1", ""]
    assert [e["REASON_PLACE_CHANGE"] for e in episodes] == ["", "CARPL", ""]
    assert [e["LS"] for e in episodes] == ["V2", "C1", "C1"]
    assert episodes[-1]["PL_POST"] == "TW1 1AF" and episodes[-1]["DEC"] == ""
    assert validate(tmp_path, year) == []
    exported = db.scalars(select(AuditEvent).where(AuditEvent.action == "returns.export")).all()
    assert [e.detail for e in exported] == [{"return": "ssda903", "year": year, "children": 1}]


@pytest.mark.usefixtures("cli_uses_test_database")
def test_only_a_data_manager_exports_and_a_refusal_is_kept(db: Session, tmp_path: Path) -> None:
    demo.load(session=db)
    db.commit()
    args = ["returns", "903", "--year", "2027", "--as", "worker", "--out", str(tmp_path / "x")]
    refused = CliRunner().invoke(cli.main, args)
    assert refused.exit_code == 1 and "export_returns" in refused.output
    assert not (tmp_path / "x").exists()
    worker = db.scalar(select(User).where(User.username == "worker"))
    denied = db.scalars(
        select(AuditEvent).where(AuditEvent.actor_id == worker.id, AuditEvent.allowed.is_(False))  # type: ignore[union-attr]
    ).all()
    assert [e.detail for e in denied] == [{"action": "export_returns"}]


def test_a_generated_set_of_300_children_exports_with_no_validator_errors(
    db: Session, factory: Factory, tmp_path: Path
) -> None:
    worker = factory.user(Role.SOCIAL_WORKER)
    began = time.perf_counter()
    made = generate(
        session=db,
        library=shipped_library(),
        worker=worker,
        count=300,
        seed=903,
        last=date(2026, 11, 30),
    )
    db.commit()
    generated = time.perf_counter() - began
    for year in (2026, 2027):
        tables = ssda903.build(session=db, year=year)
        folder = tmp_path / str(year)
        ssda903.write(tables=tables, out=folder)
        episodes = _read(folder / "episodes.csv")
        rnes = {e["RNE"] for e in episodes}
        assert len(_read(folder / "header.csv")) > 100 and rnes >= {"S", "L", "P"}
        assert any(e["REC"] not in ("", "X1") for e in episodes)  # some left care
        issues = validate(folder, year)
        assert issues == [], sorted({(i["rule_code"], i["rule_description"]) for i in issues})
    print(f"{made.children} children, {made.events} care events made in {generated:.1f} s")


def test_the_validator_catches_a_broken_file(tmp_path: Path) -> None:
    """A pass means something: a child whose sex is not a code is flagged (rule 101)."""
    mapping = ssda903.mapping()
    rows = {
        "header.csv": [{"CHILD": "C1", "SEX": "X", "DOB": "01/05/2015", "ETHNIC": "WBRI",
                        "UPN": "A318200118001", "MOTHER": "", "MC_DOB": ""}],
    }  # fmt: skip
    tables = {f.file: rows.get(f.file, []) for f in mapping.files.values()}
    ssda903.write(tables=tables, out=tmp_path)
    codes = {issue["rule_code"] for issue in validate(tmp_path, 2026)}
    assert "101" in codes


def test_a_mapping_naming_an_unknown_source_is_refused_with_its_line(tmp_path: Path) -> None:
    text = ssda903.MAPPING.read_text(encoding="utf-8")
    broken = tmp_path / "ssda903.yaml"
    broken.write_text(text.replace("{from: episode.legal_status}", "{from: episode.legal}"))
    line = next(
        n for n, row in enumerate(broken.read_text().splitlines(), 1) if "episode.legal}" in row
    )
    with pytest.raises(ExemplarErrors) as refused:
        ssda903.read_mapping(broken)
    assert f"ssda903.yaml:{line}:" in str(refused.value)  # the column's own line
    assert "no source 'episode.legal'" in str(refused.value)


def _finalised_review(db: Session, case_id: int, held: date, review_type: str) -> None:
    """A review record as the worker writes it (Part One), the chair records the meeting (Part
    Two, the chair's on a looked-after review) and the manager signs it off."""
    library = shipped_library()
    worker, chair, manager = (
        db.scalar(select(User).where(User.username == name))
        for name in ("worker", "chair", "manager")
    )
    assert worker and chair and manager
    started = records.start(
        session=db, library=library, actor=worker, case_id=case_id, exemplar_id="review"
    )
    part_one = {"review_type": review_type, "review_date": held.isoformat()}
    part_two = {"child_participation": "PN1", "decision": "continue"}
    revision = started.revision
    for author, answers in ((worker, part_one), (chair, part_two)):
        saved = records.save(
            session=db,
            library=library,
            actor=author,
            context=records.load(session=db, library=library, record_id=started.id),
            base_revision=revision,
            answers={key: {"value": value} for key, value in answers.items()},
        )
        revision = saved.record.revision
    records.submit(session=db, library=library, actor=worker, record_id=started.id)
    records.finalise(
        session=db, library=library, actor=manager, record_id=started.id, comment=None, on=None
    )
    db.commit()


def test_a_looked_after_review_held_in_the_year_is_returned_with_its_participation_code(
    db: Session, tmp_path: Path
) -> None:
    demo.load(session=db)
    db.commit()
    liam = next(
        case
        for number in demo.load(session=db)
        if (case := cases.get_case_by_number(session=db, case_number=number))
        and case.child.given_names == "Liam"
    )
    held = date.today() - timedelta(days=30)
    _finalised_review(db, liam.id, held, "lac")
    _finalised_review(db, liam.id, held - timedelta(days=5), "cin")  # not a looked-after review
    year = _collection_year(held)
    ssda903.write(tables=ssda903.build(session=db, year=year), out=tmp_path)
    reviews = _read(tmp_path / "reviews.csv")
    assert [(r["CHILD"], r["REVIEW"], r["REVIEW_CODE"]) for r in reviews] == [
        (liam.case_number, held.strftime("%d/%m/%Y"), "PN1")
    ]
    assert validate(tmp_path, year) == []
