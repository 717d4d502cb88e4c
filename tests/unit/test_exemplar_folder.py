"""A wrong exemplar folder stops the service in one plain line (issue 11, item 16).

Before: a missing or empty folder started a service on which every page said "Page not found",
`ics exemplars check /nonexistent` exited 0, and a broken folder ended a 120-line traceback.
"""

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from app import cli
from app.config import ROOT, get_settings
from app.engine.loader import ExemplarErrors, load_library

BROKEN = Path(__file__).parent / "broken"
NO_SUCH = "there is no such folder of exemplars"
EMPTY = "this folder holds no exemplar"


def _only_special_files(folder: Path) -> Path:
    for name in ("codelists.yaml", "glossary.yaml", "readers.yaml"):
        shutil.copy(ROOT / "exemplars" / name, folder)
    return folder


@pytest.fixture
def exemplars_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Point the settings at a folder for one test."""

    def point(folder: Path) -> None:
        monkeypatch.setenv("ICS_EXEMPLARS_DIR", str(folder))
        get_settings.cache_clear()

    yield point
    get_settings.cache_clear()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "nonexistent", NO_SUCH),
        (lambda tmp: tmp, EMPTY),
        (_only_special_files, EMPTY),
        (lambda tmp: shutil.copy(ROOT / "exemplars" / "contact.yaml", tmp), "this is a file"),
    ],
    ids=["missing", "empty", "only-codelists-glossary-readers", "a-file"],
)
def test_a_folder_without_exemplars_is_refused_in_one_line(
    tmp_path: Path, make: Any, message: str
) -> None:
    folder = Path(make(tmp_path))
    with pytest.raises(ExemplarErrors) as caught:
        load_library(folder)
    [problem] = caught.value.problems
    assert str(problem) == f"{folder}: error: {problem.message}"
    assert message in problem.message


@pytest.mark.parametrize(
    ("make", "message"), [(lambda tmp: tmp / "nonexistent", NO_SUCH), (lambda tmp: tmp, EMPTY)]
)
def test_exemplars_check_prints_one_line_and_fails_on_a_folder_without_exemplars(
    tmp_path: Path, make: Any, message: str
) -> None:
    folder = make(tmp_path)
    result = CliRunner().invoke(cli.main, ["exemplars", "check", str(folder)])
    assert result.exit_code == 1
    [line] = result.output.splitlines()
    assert line.startswith(f"{folder}: error: {message}")


def test_serve_refuses_a_broken_folder_before_uvicorn_runs(
    tmp_path: Path, exemplars_dir: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(BROKEN / "cycle.yaml", tmp_path)
    exemplars_dir(tmp_path)
    started: list[Any] = []
    monkeypatch.setattr(cli.uvicorn, "run", lambda *args, **kwargs: started.append(args))
    result = CliRunner().invoke(cli.main, ["serve"])
    assert result.exit_code == 1
    assert started == []
    lines = result.output.splitlines()
    assert (
        lines[0] == f"{tmp_path / 'cycle.yaml'}:12:9: error: pathway cycle: first → second → first"
    )
    assert "did not start" in lines[-1]
    assert "Traceback" not in result.output


@pytest.mark.parametrize("make", [lambda tmp: tmp / "nonexistent", lambda tmp: tmp])
def test_serve_refuses_a_folder_without_exemplars(
    tmp_path: Path, exemplars_dir: Any, monkeypatch: pytest.MonkeyPatch, make: Any
) -> None:
    exemplars_dir(make(tmp_path))
    started: list[Any] = []
    monkeypatch.setattr(cli.uvicorn, "run", lambda *args, **kwargs: started.append(args))
    result = CliRunner().invoke(cli.main, ["serve"])
    assert result.exit_code == 1
    assert started == []
    assert result.output.splitlines()[0].startswith(f"{make(tmp_path)}: error: ")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_the_real_command_prints_the_problems_without_a_traceback(tmp_path: Path) -> None:
    """As the operator meets it: `ics serve` in its own process, with a broken folder."""
    shutil.copy(BROKEN / "cycle.yaml", tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ICS_EXEMPLARS_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(_free_port())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,  # a service that started anyway fails the test here
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"{tmp_path / 'cycle.yaml'}:12:9: error: pathway cycle: first → second → first",
        "The service did not start: the exemplars above must be fixed first.",
    ]
