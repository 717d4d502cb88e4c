"""Bounds on what a request may store, checked at the boundary before anything is written.

A value nested hundreds deep, a NUL character (PostgreSQL refuses it in text and JSON) or a
runaway size would be accepted once and then break the record for good; each is refused here with
the place it was found, so the person sees which answer to fix.
"""

from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

MAX_DEPTH = 8  # an answer is at most envelope → rows → row → cell → qualified value
MAX_ANSWER_BYTES = 1_000_000  # a long narrative is ~100 KB


def problems(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """(place, message) for each part of `value` that may not be stored."""
    yield from _walk(value, where, 1)


def _walk(value: Any, where: str, depth: int) -> Iterator[tuple[str, str]]:
    if depth > MAX_DEPTH:
        yield where, f"This is nested more than {MAX_DEPTH} levels deep; send a flatter value."
        return
    if isinstance(value, str):
        if "\x00" in value:
            yield where, "Remove the invisible NUL character from this text."
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _walk(key, where, depth + 1)
            yield from _walk(item, f"{where}.{key}", depth + 1)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _walk(item, f"{where}.{index}", depth + 1)


def first_problem(value: Any, where: str) -> tuple[str, str] | None:
    return next(problems(value, where), None)


def too_big(value: Any) -> bool:
    """Roughly how much a value would store, without serialising a hostile value first."""
    return _size(value, 0) > MAX_ANSWER_BYTES


def _size(value: Any, depth: int) -> int:
    if depth > MAX_DEPTH:
        return 0
    if isinstance(value, str):
        return len(value)
    if isinstance(value, Mapping):
        return sum(len(str(k)) + _size(v, depth + 1) for k, v in value.items())
    if isinstance(value, list | tuple):
        return sum(_size(v, depth + 1) for v in value)
    return 8


class Input(BaseModel):
    """Every input: unknown keys refused, and no text PostgreSQL could not store (NUL)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        found = first_problem(value, "")
        if found:
            raise ValueError(found[1])
        return value
