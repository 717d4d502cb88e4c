"""Validate a complete core assessment: the engine against plain pydantic for the same form.

Two floors, both plain pydantic models with one typed attribute per field of the core assessment
(generated from the YAML so that they can never describe a different form than the engine reads):
- "values": bare values, required ones required. It cannot hold what the record holds (absence
  codes, where a pre-filled value came from), so it is a lower bound, not the same job.
- "answers": the same stored answers the engine checks, each {"value": …} or {"absent": …} with
  its pre-fill note, as a hand-written model of this form would have to take them.
The engine also decides which fields apply (pathways) before checking what is required.

Run: .venv/bin/python bench/engine_validate.py [--rounds 2000]
Targets: engine within 1.5x of pydantic; all exemplars load in under 300 ms.
"""

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, create_model

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.config import ROOT
from app.engine.answers import validate
from app.engine.definitions import FieldDef
from app.engine.library import Exemplar
from app.engine.loader import load_library

T = TypeVar("T")
FACTS = {"child.age_years": 6, "child.age_band": "5_to_10", "child.disabled": True}
FACTS |= {"child.unborn": False, "case.type": "cin"}


def sample(exemplar: Exemplar, item: FieldDef) -> Any:
    """A valid value for each type, as a worker would leave it in a completed record."""
    codes = sorted(exemplar.codes(item))
    values: dict[str, Any] = {
        "text": "Hillside Primary",
        "narrative": "Jade is settled and happy at school. " * 20,
        "date": "2026-11-17",
        "yes_no": {"answer": "yes", "when": "current"} if item.qualifier else "no",
        "choice": codes[0] if codes else None,
        "multi_choice": codes[:2],
        "number": 3,
        "person": {"kind": "person", "id": 12},
        "professional": {"kind": "professional", "id": 4},
        "attachment": [1, 2],
    }
    if item.type == "group":
        row = {column.id: sample(exemplar, column) for column in item.fields or []}
        return [row, row, row]
    return values[item.type]


def floor_model(exemplar: Exemplar) -> type[BaseModel]:
    """The same form as a plain pydantic model: typed attributes, required ones required."""
    fields: dict[str, Any] = {}
    for item in exemplar.fields.values():
        kind = _python_type(exemplar, item)
        fields[item.id] = (kind, ...) if item.required else (kind | None, None)
    config = ConfigDict(extra="forbid")
    model: type[BaseModel] = create_model("CoreAssessment", __config__=config, **fields)
    return model


class Reference(BaseModel):
    """A typed reference to a person or a professional, as answers store them."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["person", "professional"]
    id: int


class Given(BaseModel, Generic[T]):
    model_config = ConfigDict(extra="forbid")
    value: T
    prefilled: dict[str, Any] | None = None
    confirmed: bool | None = None


class Absent(BaseModel):
    model_config = ConfigDict(extra="forbid")
    absent: Literal["not_applicable", "not_known", "recorded_elsewhere", "not_yet_asked"]
    link: str | None = None


def answers_model(exemplar: Exemplar) -> type[BaseModel]:
    """The same form taking stored answers: each field a given value or an absence code."""
    fields: dict[str, Any] = {}
    for item in exemplar.fields.values():
        kind = Given[_python_type(exemplar, item)] | Absent  # type: ignore[misc]
        fields[item.id] = (kind, ...) if item.required else (kind | None, None)
    config = ConfigDict(extra="forbid")
    model: type[BaseModel] = create_model("CoreAssessmentAnswers", __config__=config, **fields)
    return model


def _python_type(exemplar: Exemplar, item: FieldDef) -> Any:
    if item.type in ("choice", "multi_choice"):
        literal = Literal[tuple(sorted(exemplar.codes(item)))]  # type: ignore[valid-type]
        return literal if item.type == "choice" else list[literal]  # type: ignore[valid-type]
    if item.type == "group":
        columns = {c.id: (_python_type(exemplar, c) | None, None) for c in item.fields or []}
        return list[create_model(f"Row_{item.id}", **columns)]  # type: ignore[misc]
    if item.type == "yes_no" and item.qualifier:
        return dict[str, str]
    simple = {"number": float, "person": Reference, "professional": Reference}
    simple["attachment"] = list[int]
    return simple.get(item.type, str)


def timed(run: Callable[[], object], rounds: int) -> float:
    """Median microseconds per call over `rounds` calls, after a warm-up."""
    for _ in range(50):
        run()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2000)
    rounds = parser.parse_args().rounds
    loads = []
    for _ in range(5):
        started = time.perf_counter()
        library = load_library(ROOT / "exemplars")
        loads.append((time.perf_counter() - started) * 1000)
    core = library.latest("core_assessment")
    values = {field_id: sample(core, item) for field_id, item in core.fields.items()}
    answers = {field_id: {"value": v} for field_id, v in values.items()}
    answers["age_band"] = {"value": "5_to_10"}
    values["age_band"] = "5_to_10"
    assert validate(core, answers=answers, facts=FACTS, mode="submit").errors == {}
    bare, stored = floor_model(core), answers_model(core)
    bare.model_validate(values)
    stored.model_validate(answers)
    engine_us = timed(lambda: validate(core, answers=answers, facts=FACTS, mode="submit"), rounds)
    bare_us = timed(lambda: bare.model_validate(values), rounds)
    stored_us = timed(lambda: stored.model_validate(answers), rounds)
    print(f"core assessment: {len(core.fields)} fields, {rounds} rounds, median per record")
    print(f"  engine (shape + pathways + requirements) {engine_us:8.1f} us")
    print(f"  pydantic, same stored answers            {stored_us:8.1f} us")
    print(f"  pydantic, bare values                    {bare_us:8.1f} us")
    print(f"  ratio vs same answers {engine_us / stored_us:.2f}x (target <= 1.5x)")
    print(f"  ratio vs bare values  {engine_us / bare_us:.2f}x (a lower bound; see the docstring)")
    print(f"load all {len(library.exemplars)} exemplars: median {statistics.median(loads):.0f} ms"
          " (target < 300 ms)")  # fmt: skip


if __name__ == "__main__":
    main()
