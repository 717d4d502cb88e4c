"""The demo is checked with the exemplars: a renamed field or a mistyped handle is caught by
`ics exemplars check`, at the demo file's line, before anyone loads the demo."""

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app import demo
from app.cli import main
from app.config import ROOT, get_settings
from app.demo.story import FOLDER
from app.engine.loader import load_library
from tests.factories import shipped_library

REFERRAL = "app/demo/records/01_referral.yaml"


def _copy(tmp_path: Path) -> tuple[Path, Path]:
    exemplars, demo_folder = tmp_path / "exemplars", tmp_path / "demo"
    shutil.copytree(ROOT / "exemplars", exemplars)
    shutil.copytree(FOLDER, demo_folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return exemplars, demo_folder


def _rename_referrer_phone(exemplars: Path) -> None:
    path = exemplars / "referral_and_information.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("- id: referrer_phone\n") == 1
    path.write_text(text.replace("- id: referrer_phone\n", "- id: referrer_telephone\n"))


def _line_of(path: Path, part: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if part in line)


def test_the_shipped_demo_lints_clean() -> None:
    assert demo.lint(library=shipped_library()) == []


def test_cli_check_lints_the_demo_by_default() -> None:
    result = CliRunner().invoke(main, ["exemplars", "check"])
    assert result.exit_code == 0, result.output
    assert f"{len(demo.record_exemplars())} demo records: no errors" in result.output


def test_a_field_renamed_in_an_exemplar_fails_at_the_demo_line(tmp_path: Path) -> None:
    exemplars, demo_folder = _copy(tmp_path)
    _rename_referrer_phone(exemplars)
    problems = demo.lint(library=load_library(exemplars), folder=demo_folder)
    referral = demo_folder / "records" / "01_referral.yaml"
    line = _line_of(referral, "  referrer_phone:")
    assert [(Path(p.file).name, p.line, p.column) for p in problems] == [
        ("01_referral.yaml", line, 3)
    ]
    assert "no field 'referrer_phone'" in problems[0].message
    assert "did you mean 'referrer_telephone'?" in problems[0].message


def test_cli_check_names_the_demo_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exemplars, _ = _copy(tmp_path)
    _rename_referrer_phone(exemplars)
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("ICS_EXEMPLARS_DIR", str(exemplars))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(main, ["exemplars", "check"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    line = _line_of(ROOT / REFERRAL, "  referrer_phone:")
    assert f"{REFERRAL}:{line}:3: error: referral_and_information has no field" in result.output


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("01_referral.yaml", "- person: kerry", "- person: kery", "did you mean 'kerry'?"),
        ("01_referral.yaml", "professional: salt", "professional: kerry", "is a person"),
        ("03_core_assessment.yaml", "given_on: started", "given_on: startd", "not a named day"),
        ("03_core_assessment.yaml", 'child_seen: "yes"', "child_seen: maybe", "yes or no"),
        ("03_core_assessment.yaml", "used_on: home_visit", "usedon: home_visit", "no column"),
        ("04_child_in_need_plan.yaml", "exemplar: childs_plan", "exemplar: child_plan", "mean"),
        ("05_review.yaml", "started_by: worker", "started_by: wroker", "not a user"),
        ("02_initial_assessment.yaml", "  on: completed", "  on: complete", "not a named day"),
        (
            "01_referral.yaml",
            "  worker_signed_on: referral",
            "  worker_signed_on: referral\n  manager_name: Priya Shah",
            "filled in at sign-off",
        ),
        (
            "05_review.yaml",
            "  review_date: review",
            "  review_date: review\n  review_date: x",  # a duplicate key
            "each key may appear once",
        ),
    ],
)
def test_each_kind_of_demo_mistake_is_placed(
    tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    exemplars, demo_folder = _copy(tmp_path)
    path = demo_folder / "records" / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    problems = demo.lint(library=load_library(exemplars), folder=demo_folder)
    assert len(problems) == 1, problems
    assert problems[0].file.endswith(file) and message in problems[0].message
    assert problems[0].line == _line_of(path, new.splitlines()[-1])
