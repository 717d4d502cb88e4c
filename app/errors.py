"""Domain errors shared by every domain, and how the API answers them (the field is named)."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class Invalid(DomainError):
    status_code = 422


def register(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def answer(_request: Request, exc: DomainError) -> Response:
        detail = [{"field": exc.field or "body", "message": exc.message}]
        return JSONResponse(status_code=exc.status_code, content={"detail": detail})
