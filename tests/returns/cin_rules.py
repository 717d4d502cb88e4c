"""Run the DfE CIN census rules (the sector's validator, csc-validator-be-cin) on one file.

Run by the validator's own venv (.venv-cin, made by `make setup`: it pins pandas<2 and numpy<2),
never imported by the test suite: `python cin_rules.py FILE RULESET` prints one JSON list of
{code, kind, message, child} for every issue, errors and queries alike, child-level and LA-level.
"""

import importlib
import json
import sys
import xml.etree.ElementTree as ET

from cin_validator import cin_validator  # type: ignore[import-not-found]


def main(path: str, ruleset: str) -> None:
    root = ET.parse(path).getroot()  # noqa: S314 (our own export, written by the test)
    data = cin_validator.process_data(cin_validator.convert_data(root))
    registry = importlib.import_module(f"cin_validator.rules.{ruleset}").registry
    kinds = {str(code): rule.rule_type.name for code, rule in registry.items()}
    found = cin_validator.CinValidator(data, registry)
    issues = [
        {
            "code": str(row["rule_code"]),
            "kind": kinds.get(str(row["rule_code"]), "ERROR"),
            "message": str(row["rule_description"]),
            "child": str(row.get("child_id", "")),
        }
        for _, row in found.full_issue_df.iterrows()
    ]
    issues += [
        {
            "code": str(r["rule_code"]),
            "kind": kinds.get(str(r["rule_code"]), "ERROR"),
            "message": str(r["rule_description"]),
            "child": "",
        }
        for _, r in found.multichild_issues.iterrows()
    ]
    print(json.dumps(issues))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
