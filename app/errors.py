"""Domain errors shared by every domain; the web layer (app.main) says how each is answered.

Every error body, from a domain error, a refused request or a validation failure, has one shape:
`{"detail": [Problem, ...]}`. It is a superset of FastAPI's own validation error (`loc`, `msg`,
`type`), so clients written against either read it, and the OpenAPI schema declares it once.
"""

import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict


class Problem(BaseModel):
    """One thing wrong with a request: the field at fault and what to do, in plain words."""

    model_config = ConfigDict(extra="allow")  # a stale save adds "theirs" and "mine"

    field: str
    message: str
    msg: str
    type: str
    loc: list[str | int]


class ErrorBody(BaseModel):
    """Every error the API answers (4xx and 5xx)."""

    detail: list[Problem]


def problem(
    field: str, message: str, *, type: str, loc: Sequence[str | int] | None = None
) -> dict[str, Any]:
    """One entry of an error body (see Problem)."""
    where = list(loc) if loc is not None else field.split(".")
    return {"field": field, "message": message, "msg": message, "type": type, "loc": where}


def conform(entry: dict[str, Any], *, type: str) -> dict[str, Any]:
    """Fill in what a domain's own detail() left out, so every body matches Problem."""
    field = str(entry.get("field") or "body")
    message = str(entry.get("message") or entry.get("msg") or "There is a problem.")
    return {**problem(field, message, type=type), **entry, "field": field, "message": message}


def snake(name: str) -> str:
    """`StaleRevision` → `stale_revision`: an error's class, as the body's `type`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def kind(self) -> str:
        return snake(type(self).__name__)

    def detail(self) -> list[dict[str, Any]]:
        """One entry per field at fault: what the API returns under "detail"."""
        return [problem(self.field or "body", self.message, type=self.kind)]


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class Invalid(DomainError):
    status_code = 422
