"""create_app(): middleware, routers, static files, templates, error handlers."""

import secrets
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from app.access import SignedIn
from app.audit import api as audit_api
from app.auth import api as auth_api
from app.auth import routes as auth_routes
from app.cases import api as cases_api
from app.config import ROOT, Settings, get_settings
from app.db import make_engine, make_session_factory
from app.deps import ANON_CSRF_COOKIE, NotSignedIn
from app.engine.library import Library
from app.engine.loader import load_library
from app.errors import DomainError
from app.meetings import api as meetings_api
from app.pages import routes as pages
from app.people import api as people_api
from app.printing import routes as printing_routes
from app.records import api as records_api
from app.records import routes as records_routes
from app.templating import make_templates, render

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",  # case records must not sit in shared caches
}
# GOV.UK's template runs one inline line to mark JavaScript as available; it carries this nonce.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self' 'nonce-{nonce}'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


def create_app(settings: Settings | None = None, library: Library | None = None) -> FastAPI:
    """The web app; `library` is the loaded exemplars (loaded from settings when not given)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="ICS exemplar engine",
        version="0.1.0",
        docs_url=None,  # served below, to signed-in users only
        openapi_url=None,
        redoc_url=None,
    )
    engine = make_engine(settings.database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    app.state.templates = make_templates()
    app.state.library = library or load_library(settings.exemplars_dir)
    _mount_static(app)
    _add_middleware(app)
    _add_error_handlers(app)
    app.include_router(_docs_router(app))
    for module in (
        auth_routes,
        auth_api,
        pages,
        people_api,
        cases_api,
        records_api,
        records_routes,
        printing_routes,
        audit_api,
        meetings_api,
    ):
        app.include_router(module.router)
    return app


def _docs_router(app: FastAPI) -> APIRouter:
    """The API's own description, for signed-in users: it names every route and field."""
    router = APIRouter(include_in_schema=False)

    @router.get("/api/openapi.json")
    def openapi(user: SignedIn) -> dict[str, Any]:
        return app.openapi()

    @router.get("/api/docs")
    def docs(user: SignedIn) -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/api/openapi.json", title="ICS API")

    return router


def _mount_static(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=ROOT / "app" / "static"), name="static")
    govuk = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
    if govuk.is_dir():  # installed by `make`; pages still work (unstyled) without it
        app.mount("/assets/govuk", StaticFiles(directory=govuk), name="govuk")
        # The stylesheet asks for its images at /assets/images (fonts are replaced in app.css).
        app.mount(
            "/assets/images", StaticFiles(directory=govuk / "assets" / "images"), name="images"
        )


def _add_middleware(app: FastAPI) -> None:
    @app.middleware("http")
    async def security(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        # A CSRF token for forms shown before sign-in (double-submit cookie).
        anon = request.cookies.get(ANON_CSRF_COOKIE)
        request.state.anon_csrf = anon or secrets.token_urlsafe(32)
        request.state.user_session = None
        request.state.csp_nonce = secrets.token_urlsafe(16)
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault(
            "Content-Security-Policy", CSP.format(nonce=request.state.csp_nonce)
        )
        if anon is None:
            response.set_cookie(
                ANON_CSRF_COOKIE,
                request.state.anon_csrf,
                httponly=True,
                samesite="strict",
                secure=app.state.settings.cookie_secure,
            )
        return response


TITLES = {
    403: "You do not have access to this",
    404: "Page not found",
    409: "This cannot be done now",
}


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def answer(request: Request, exc: DomainError) -> Response:
        """JSON for the API; a GOV.UK-style page for a person in a browser."""
        if request.url.path.startswith("/api/") or "text/html" not in request.headers.get(
            "accept", ""
        ):
            return JSONResponse(status_code=exc.status_code, content={"detail": exc.detail()})
        title = TITLES.get(exc.status_code, "There is a problem")
        context = {"title": title, "message": exc.message}
        return render(request, "error.html", context, status_code=exc.status_code)

    @app.exception_handler(NotSignedIn)
    async def to_sign_in(request: Request, _exc: NotSignedIn) -> Response:
        return RedirectResponse(f"/sign-in?next={quote(request.url.path)}", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def name_the_field(_request: Request, exc: RequestValidationError) -> Response:
        return JSONResponse(
            status_code=422, content={"detail": [_field_error(e) for e in exc.errors()]}
        )


def _field_error(error: dict[str, Any]) -> dict[str, Any]:
    """One validation problem, with the field named plainly ("date_of_birth", "members.0.role")."""
    location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
    return {
        "field": ".".join(location) or "body",
        "message": str(error.get("msg", "Invalid value")).removeprefix("Value error, "),
        "type": error.get("type"),
        "loc": list(error.get("loc", ())),
    }
