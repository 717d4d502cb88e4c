"""The shape of the house: the layering contract holds, and nothing dodges it with a late import."""

import ast
import subprocess
import sys
from pathlib import Path

from app.config import ROOT

# An import inside a function is allowed only for an optional dependency, said so on its line.
OPTIONAL = "optional dependency"


def test_the_layering_contract_holds() -> None:
    """import-linter's contracts in pyproject.toml: engine free, domains layered, no cycles."""
    # In a process of its own: import-linter configures logging with dictConfig, which disables
    # every logger already made (app.main's among them), and later tests read those logs.
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint), "--config", str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_function_local_imports() -> None:
    late = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        lines = path.read_text().splitlines()
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                is_import = isinstance(inner, ast.Import | ast.ImportFrom)
                if is_import and OPTIONAL not in lines[inner.lineno - 1]:
                    late.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert late == [], f"imports inside functions: {late}"


def test_no_code_branches_on_an_exemplar() -> None:
    """Exemplar behaviour lives in YAML: no Python compares with, or looks up by, an exemplar id."""
    ids = {p.stem for p in (ROOT / "exemplars").glob("*.yaml")}
    found = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            named = [*_compared(node), *(node.keys if isinstance(node, ast.Dict) else [])]
            for constant in named:
                if isinstance(constant, ast.Constant) and constant.value in ids:
                    found.append(f"{Path(path).relative_to(ROOT)}:{node.lineno} {constant.value!r}")
    assert found == [], found


def _compared(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Compare):
        return [node.left, *node.comparators]
    return []
