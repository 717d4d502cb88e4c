"""`ics exemplars check` reports each exemplar's share of family wording that has its Welsh."""

import re
import shutil
from pathlib import Path

from typer.testing import CliRunner

from app import cli
from app.config import get_settings

SHARE = re.compile(r"Welsh family wording: (\w+) (\d+)% \((\d+) of (\d+)\)")


def _shares(folder: Path) -> dict[str, tuple[int, int, int]]:
    result = CliRunner().invoke(cli.main, ["exemplars", "check", str(folder)])
    assert result.exit_code == 0, result.output
    return {m[1]: (int(m[2]), int(m[3]), int(m[4])) for m in SHARE.finditer(result.output)}


def test_the_check_reports_each_exemplars_welsh_share_and_it_moves_with_the_yaml(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "exemplars"
    shutil.copytree(get_settings().exemplars_dir, folder)
    before = _shares(folder)
    assert set(before) >= {"referral_and_information", "childs_plan", "review"}
    assert before["contact"] == (100, 0, 0)  # written for the worker only: nothing to translate
    percent, welsh, texts = before["childs_plan"]
    # Every family text of the plan has its Welsh now; the share still moves with the YAML below.
    assert 0 < welsh <= texts and percent == round(100 * welsh / texts)

    # Take the Welsh from one family label of the plan: one text fewer has it, nothing else moves.
    plan = folder / "childs_plan.yaml"
    welsh_label = "            label_cy: {family: Dyddiad dechrau}\n"
    assert plan.read_text().count(welsh_label) == 1
    plan.write_text(plan.read_text().replace(welsh_label, ""))
    after = _shares(folder)
    assert after["childs_plan"][1:] == (welsh - 1, texts)
    assert {k: v for k, v in after.items() if k != "childs_plan"} == {
        k: v for k, v in before.items() if k != "childs_plan"
    }
