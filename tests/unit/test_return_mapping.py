"""The census mapping is checked like the exemplars: a field, code, item or condition that does
not exist is an error at its file:line, through `ics exemplars check` too; the shipped mapping
has none."""

from pathlib import Path

from typer.testing import CliRunner

from app import cli
from app.engine.library import Library
from app.returns import cin, mapping

SHIPPED = mapping.path_of(cin.COUNTRY, cin.RETURN)


def _lint(library: Library, path: Path, every: bool = True) -> list[str]:
    problems = mapping.lint(
        library=library,
        path=path,
        items=cin.items_of_modules(),
        person_attributes=cin.person_attributes(),
        every_exemplar=every,
    )
    return [str(p) for p in problems]


def _broken(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    path = tmp_path / "cin.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path, line


def test_the_shipped_mapping_names_only_what_exists(library: Library) -> None:
    assert _lint(library, SHIPPED) == []


def test_a_field_that_does_not_exist_is_an_error_at_its_line(
    library: Library, tmp_path: Path
) -> None:
    path, line = _broken(tmp_path, "field: referral_source,", "field: referal_source,")
    found = _lint(library, path)
    assert len(found) == 1
    assert f"cin.yaml:{line}:" in found[0]
    assert "'referral_and_information' has no field 'referal_source'" in found[0]


def test_codes_items_conditions_and_exemplars_are_checked(library: Library, tmp_path: Path) -> None:
    cases = [
        ("is: [no_further_action]", "is: [no_further_actions]", "is not an option"),
        ("CINreferralDate: {field", "CINReferralDate: {field", "not an item of CINdetails"),
        ('when: plan_type == "cin"', 'when: plan_kind == "cin"', "names no field 'plan_kind'"),
        ("- exemplar: closure\n", "- exemplar: closures\n", "there is no exemplar 'closures'"),
        ("attribute: upn}", "attribute: pupil_number}", "the person has no 'pupil_number'"),
    ]
    for old, new, said in cases:
        path, line = _broken(tmp_path, old, new)
        found = _lint(library, path)
        assert len(found) == 1 and said in found[0], (old, found)
        assert f"cin.yaml:{line}:" in found[0], (old, found)


def test_checking_another_folder_leaves_out_exemplars_it_does_not_have(
    library: Library, tmp_path: Path
) -> None:
    path, _ = _broken(tmp_path, "- exemplar: closure\n", "- exemplar: closures\n")
    assert _lint(library, path, every=False) == []


def test_the_exemplars_check_fails_on_a_broken_mapping(tmp_path: Path, monkeypatch: object) -> None:
    path, line = _broken(tmp_path, "field: referral_source,", "field: referal_source,")
    monkeypatch.setattr(mapping, "path_of", lambda country, name: path)  # type: ignore[attr-defined]
    result = CliRunner().invoke(cli.main, ["exemplars", "check"])
    assert result.exit_code == 1
    assert (
        f"cin.yaml:{line}:" in result.output
        and "error(s) in the returns' mappings" in result.output
    )
