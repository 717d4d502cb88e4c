"""Run the sector's SSDA903 rule validator (csc-validator-be-903) on a folder of our CSV files and
print every error it finds as JSON lines. Run with the validator's own Python (.venv-903, made by
`make setup`): it pins libraries ours has newer versions of.

    .venv-903/bin/python tests/returns/validate_903.py FOLDER YEAR LA_CODE
"""

import importlib
import json
import sys
from pathlib import Path

from lac_validator import lac_validator
from lac_validator.report import Report
from lac_validator.utils import process_uploaded_files

FILES = ("header.csv", "episodes.csv", "reviews.csv", "missing.csv")


def main(folder: Path, year: int, la_code: str) -> None:
    paths = [str(folder / name) for name in FILES if (folder / name).exists()]
    files = process_uploaded_files({"This year": paths})
    ruleset = f"lac{year - 1}_{str(year)[2:]}"
    registry = importlib.import_module(f"lac_validator.rules.{ruleset}").registry
    metadata = {"collectionYear": str(year), "localAuthority": la_code}
    validator = lac_validator.LacValidator(
        metadata=metadata, files=files, registry=registry, selected_rules=None
    )
    report = Report(validator.ds_results, registry)
    flagged = report.report.filter(like="ERR_").eq(True).to_numpy().any()
    # The validator prints things of its own: our lines carry a prefix the test reads.
    print("RULESET " + json.dumps({"ruleset": ruleset, "rules": len(list(registry))}))
    if not flagged:  # create_issue_df cannot build a table of no issues
        return
    issues = lac_validator.create_issue_df(report.report, report.error_report)
    for row in issues.to_dict(orient="records"):
        print("ISSUE " + json.dumps({key: str(value) for key, value in row.items()}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
