"""Hostile exemplar files are refused at their place, fast, in bounded memory (issue 11, item 15).

Each file is loaded in a child process that measures its own CPU time (not wall time, so a busy
machine does not fail the test) and its peak resident memory, under an address-space cap so a
regression fails the test instead of exhausting the machine.
"""

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.config import ROOT
from app.engine.loader import ExemplarErrors, load_library

CPU_SECONDS = 2.0
PEAK_MB = 200
HEAD = "id: {id}\nversion: 1\ntitle: T\npurpose: Tests a limit.\n"

CHILD = """
import json, resource, sys, time
from pathlib import Path

cap = 2 << 30
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
from app.engine.loader import ExemplarErrors, load_library

started = time.process_time()
try:
    load_library(Path(sys.argv[1]))
    problems = []
except ExemplarErrors as error:
    problems = [[p.file, p.line, p.message] for p in error.problems if p.severity == "error"]
cpu = time.process_time() - started
# This process's own high-water mark: ru_maxrss would carry over pytest's, as Linux keeps the
# forked parent's peak across exec.
status = Path("/proc/self/status").read_text()
peak = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
print(json.dumps({"problems": problems, "cpu": cpu, "mb": peak / 1024}))
"""


def _load_measured(folder: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    measured: dict[str, Any] = json.loads(done.stdout)
    assert measured["cpu"] < CPU_SECONDS, measured
    assert measured["mb"] < PEAK_MB, measured
    return measured


def _fields(count: int, condition: Callable[[int], str | None]) -> str:
    out = []
    for i in range(count):
        out.append(f"      - id: f{i}\n        type: yes_no\n        label: F{i}\n")
        if condition(i):
            out.append(f"        show_if: '{condition(i)}'\n")
    return "".join(out)


def _section(fields: str, show_if: str | None = None) -> str:
    shown = f"    show_if: '{show_if}'\n" if show_if else ""
    return f"sections:\n  - id: s\n    title: S\n{shown}    fields:\n{fields}"


def billion_laughs() -> str:
    """Nine aliases a line, nine lines deep: 387 million strings once written out."""
    lines = [HEAD.format(id="laughs"), 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    return "\n".join([*lines, "sections: *a8", ""])


def deep_nesting() -> str:
    return HEAD.format(id="deep") + "sections: " + "[" * 5000 + "]" * 5000 + "\n"


def condition_cycle() -> str:
    """3,000 fields, each shown by the next, the last by the first."""
    return HEAD.format(id="chain") + _section(_fields(3000, lambda i: f'f{(i + 1) % 3000} == "no"'))


def condition_chain() -> str:
    """The same chain, open at the end: it loads, and the never-shown check walks it once."""
    chained = _fields(3000, lambda i: f'f{i + 1} == "no"' if i < 2999 else None)
    return HEAD.format(id="chain") + _section(chained)


def one_hard_section_condition() -> str:
    """A section shown only for one of 4^7 combinations of seven answers, over 3,000 fields."""
    gates = "".join(
        f"      - id: g{j}\n        type: yes_no\n        label: G{j}\n" for j in range(7)
    )
    hard = " and ".join(f'g{j} == "no"' for j in range(7))
    gate_section = "  - id: gates\n    title: Gates\n    fields:\n" + gates
    return HEAD.format(id="wide") + _section(_fields(3000, lambda i: None), hard) + gate_section


def many_hard_field_conditions() -> str:
    """1,500 different conditions, each met by one of 4^7 combinations (more pass the size cap)."""
    gates = "".join(
        f"      - id: g{j}\n        type: yes_no\n        label: G{j}\n" for j in range(6)
    )
    hard = " and ".join(f'g{j} == "no"' for j in range(6))
    fields = _fields(1500, lambda i: f"{hard} and not answered(f{i - 1})" if i else None)
    return HEAD.format(id="hard") + _section(gates + fields)


@pytest.mark.parametrize(
    ("build", "line", "message"),
    [
        (billion_laughs, 10, "aliases (*name) here repeat more than 10,000 values"),
        (deep_nesting, 5, "nested more than 30 levels deep"),
        (
            condition_cycle,
            12,
            "pathway cycle: f0 → f1 → f2 → f3 → f4 → … → f2998 → f2999 → f0 (3000 fields)",
        ),
    ],
)
def test_a_hostile_file_is_refused_at_its_line_in_bounded_time_and_memory(
    tmp_path: Path, build: Callable[[], str], line: int, message: str
) -> None:
    (tmp_path / "hostile.yaml").write_text(build())
    problems = _load_measured(tmp_path)["problems"]
    assert len(problems) == 1, problems
    file, found_line, found = problems[0]
    assert file.endswith("hostile.yaml")
    assert found_line == line
    assert message in found


@pytest.mark.parametrize(
    "build", [condition_chain, one_hard_section_condition, many_hard_field_conditions]
)
def test_a_large_but_honest_file_is_checked_in_bounded_time_and_memory(
    tmp_path: Path, build: Callable[[], str]
) -> None:
    (tmp_path / "large.yaml").write_text(build())
    assert _load_measured(tmp_path)["problems"] == []


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("sections: &s [*s]\n", 5, "the alias *s is inside the part it names"),
        ("x: &x 1\nsections: [" + ", ".join(["*x"] * 101) + "]\n", 6, "more than 100 aliases"),
    ],
)
def test_an_alias_that_refers_to_itself_or_one_too_many_is_refused(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    (tmp_path / "aliases.yaml").write_text(HEAD.format(id="aliases") + text)
    with pytest.raises(ExemplarErrors) as caught:
        load_library(tmp_path)
    [problem] = caught.value.problems
    assert problem.line == line
    assert message in problem.message


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("not " * 200 + 'f1 == "no"', "nested more than 30 levels deep"),
        ("not " * 5000 + 'f1 == "no"', "at most 1000 characters"),
    ],
)
def test_a_condition_too_deep_to_build_is_refused_at_its_line(
    tmp_path: Path, condition: str, message: str
) -> None:
    fields = _fields(2, lambda i: None if i else condition)
    (tmp_path / "deep.yaml").write_text(HEAD.format(id="deep") + _section(fields))
    with pytest.raises(ExemplarErrors) as caught:
        load_library(tmp_path)
    [problem] = caught.value.problems
    assert problem.line == 12
    assert message in problem.message
    assert len(problem.message) < 200


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    padding = "# padding\n" * 40_000
    (tmp_path / "big.yaml").write_text(HEAD.format(id="big") + padding + _section(""))
    with pytest.raises(ExemplarErrors) as caught:
        load_library(tmp_path)
    [problem] = caught.value.problems
    assert problem.file.endswith("big.yaml")
    assert problem.line == 1
    assert "may be at most 300,000" in problem.message
