"""Domain errors shared by every domain; the web layer (app.main) says how each is answered."""

from typing import Any


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def detail(self) -> list[dict[str, Any]]:
        """One entry per field at fault: what the API returns under "detail"."""
        return [{"field": self.field or "body", "message": self.message}]


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class Invalid(DomainError):
    status_code = 422
