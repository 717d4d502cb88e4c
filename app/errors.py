"""Domain errors shared by every domain, and how the API answers them (the field is named)."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response


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


TITLES = {
    403: "You do not have access to this",
    404: "Page not found",
    409: "This cannot be done now",
}


def register(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def answer(request: Request, exc: DomainError) -> Response:
        """JSON for the API; a GOV.UK-style page for a person in a browser."""
        if request.url.path.startswith("/api/") or "text/html" not in request.headers.get(
            "accept", ""
        ):
            return JSONResponse(status_code=exc.status_code, content={"detail": exc.detail()})
        from app.templating import render  # templates need the app; errors do not

        title = TITLES.get(exc.status_code, "There is a problem")
        context = {"title": title, "message": exc.message}
        return render(request, "error.html", context, status_code=exc.status_code)
