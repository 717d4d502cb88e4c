"""The exemplar language: the folder loads; each broken file is refused at its place."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import main
from app.config import ROOT
from app.engine.conditions import ConditionError, Scope, compile_condition
from app.engine.loader import ExemplarErrors, load_library

BROKEN = Path(__file__).parent / "broken"
EXEMPLARS = ROOT / "exemplars"


def test_every_exemplar_in_the_folder_loads_and_lints_clean() -> None:
    library = load_library(EXEMPLARS)
    expected = {
        "contact", "referral_and_information", "initial_assessment", "core_assessment",
        "single_assessment", "strategy_discussion", "section_47_outcome",
        "initial_child_protection_conference", "childs_plan", "review", "closure", "case_note",
    }  # fmt: skip
    assert expected <= set(library.ids())
    assert library.warnings == []
    core = library.latest("core_assessment")
    assert {"analysis", "age_band", "decision"} <= set(core.fields)


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("duplicate_key", 8, 'duplicate key "title"'),
        (
            "unknown_field_in_condition",
            15,
            "'chlid_seen' in 'chlid_seen == \"yes\"' is not a field",
        ),
        ("type_mismatch", 15, "child_seen is yes or no, never 1"),
        ("cycle", 12, "pathway cycle: first → second → first"),
        ("required_never_shown", 19, "required field 'core_group_date' can never be shown"),
        ("outcome_to_missing_exemplar", 18, "leads to 'closure_form', which is not an exemplar"),
        ("yaml_syntax_error", 10, "not closed starts on line 9"),
        ("unknown_key", 12, "'requried' is not a key here"),
        ("unsafe_condition", 12, "the only functions are"),
        ("sign_off_required", 9, "a sign-off field is filled by the server: it cannot be required"),
        ("sign_off_decision_codes", 16, "a sign-off decision needs the options returned"),
        ("on_finalise_missing_field", 15, "'closure_reasn' must be a choice or text field"),
        ("due_next_not_a_date", 16, "clock_start 'review_notes' must be a date field"),
        ("unknown_court_heading", 14, "no court heading 'wishes_and_feelings'"),
        ("bad_court_sentence", 14, "'maybe' is not a value of child_seen; use answered, no, yes"),
    ],
)
def test_a_broken_definition_names_file_line_and_problem(
    tmp_path: Path, name: str, line: int, message: str
) -> None:
    shutil.copy(BROKEN / f"{name}.yaml", tmp_path)
    with pytest.raises(ExemplarErrors) as caught:
        load_library(tmp_path)
    problems = [p for p in caught.value.problems if p.severity == "error"]
    assert len(problems) == 1, problems
    assert problems[0].file.endswith(f"{name}.yaml")
    assert problems[0].line == line
    assert message in problems[0].message


def test_one_broken_file_loads_nothing(tmp_path: Path) -> None:
    for path in EXEMPLARS.glob("*.yaml"):
        shutil.copy(path, tmp_path)
    shutil.copy(BROKEN / "cycle.yaml", tmp_path)
    with pytest.raises(ExemplarErrors):
        load_library(tmp_path)


def test_yaml_1_2_keeps_no_as_a_string(tmp_path: Path) -> None:
    (tmp_path / "norway.yaml").write_text(
        "id: norway\nversion: 1\ntitle: Norway\npurpose: YAML 1.2 test\nsections:\n"
        "  - id: s\n    title: S\n    fields:\n      - id: country\n        type: choice\n"
        "        label: Country\n        options:\n          - {code: no, label: Norway}\n"
        "          - {code: uk, label: United Kingdom}\n"
    )
    exemplar = load_library(tmp_path).latest("norway")
    assert exemplar.codes(exemplar.fields["country"]) == {"no", "uk"}


@pytest.mark.parametrize(
    "source",
    [
        "child.__class__",
        "x.__class__.__bases__",
        "().__class__",
        "[c for c in x]",
        "x[0]",
        "open('/etc/passwd')",
        "(lambda: 1)()",
        "x + 1 > 2",
        "count(x, y=1)",
    ],
)
def test_the_evaluator_refuses_anything_off_its_whitelist(source: str) -> None:
    with pytest.raises(ConditionError):
        compile_condition(source)


def test_the_evaluator_never_crashes_on_blank_or_mixed_values() -> None:
    older = compile_condition("child.age_years >= 5 or child.unborn == true")
    assert older(Scope({}, {"child.age_years": 6})) is True
    assert older(Scope({}, {"child.age_years": None, "child.unborn": True})) is True
    assert older(Scope({}, {"child.age_years": "six"})) is False
    qualified = compile_condition('domestic_abuse == "yes" and when(domestic_abuse) == "past"')
    answer = {"domestic_abuse": {"value": {"answer": "yes", "when": "past"}}}
    assert qualified(Scope(answer, {})) is True
    absent = compile_condition("absent(x) and not answered(x)")
    assert absent(Scope({"x": {"absent": "not_known"}}, {})) is True
    assert absent(Scope({"x": {"value": "seen"}}, {})) is False


def test_cli_check_passes_on_the_folder_and_fails_on_the_corpus() -> None:
    runner = CliRunner()
    good = runner.invoke(main, ["exemplars", "check", str(EXEMPLARS)])
    assert good.exit_code == 0, good.output
    assert "no errors" in good.output
    bad = runner.invoke(main, ["exemplars", "check", str(BROKEN)])
    assert bad.exit_code == 1
    assert "cycle.yaml:12:9: error: pathway cycle" in bad.output
    assert "nothing was loaded" in bad.output


def test_cli_exports_a_json_schema_that_forbids_unknown_keys() -> None:
    result = CliRunner().invoke(main, ["exemplars", "schema"])
    schema = json.loads(result.output)
    assert schema["additionalProperties"] is False
    assert set(schema["$defs"]["FieldDef"]["properties"]["type"]["enum"]) >= {"narrative", "yes_no"}


def test_cli_check_warns_when_an_exemplar_for_court_leaves_a_heading_unfed(tmp_path: Path) -> None:
    broken = (BROKEN / "unknown_court_heading.yaml").read_text()
    (tmp_path / "plain.yaml").write_text(broken.replace("wishes_and_feelings", "care_plan"))
    result = CliRunner().invoke(main, ["exemplars", "check", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "plain.yaml: warning: goes to court but feeds no heading 'Case details'" in result.output
    assert "'The child's wishes and feelings'" not in result.output  # the section feeds it
    assert "'Proposed care plan and contact'" not in result.output  # and the field this one
