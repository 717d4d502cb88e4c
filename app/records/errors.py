"""Errors the records service raises; the API answers each with the fields at fault."""

from dataclasses import dataclass
from typing import Any

from app.errors import Conflict, Invalid, NotFound


class RecordNotFound(NotFound):
    pass


class WrongStatus(Conflict):
    """The record is in a state where this cannot be done (e.g. saving a finalised record)."""


@dataclass(frozen=True)
class FieldConflict:
    field_id: str
    theirs: Any  # the answer now saved on the server
    mine: Any  # the answer this save tried to write


class StaleRevision(Conflict):
    """Someone saved these fields since the page was loaded; nothing was written."""

    def __init__(self, *, current: int, conflicts: list[FieldConflict]) -> None:
        super().__init__("Someone else changed this answer after you opened the page.")
        self.current = current
        self.conflicts = conflicts

    def detail(self) -> list[dict[str, Any]]:
        return [
            {"field": c.field_id, "message": self.message, "theirs": c.theirs, "mine": c.mine}
            for c in self.conflicts
        ]


class InvalidAnswers(Invalid):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("Some answers need attention.")
        self.errors = errors

    def detail(self) -> list[dict[str, Any]]:
        return [{"field": key, "message": message} for key, message in self.errors.items()]
