"""create_app(): middleware, routers, static files, templates, error handlers."""

import logging
import re
import secrets
import traceback
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from http import HTTPStatus
from types import ModuleType
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import exc as db_errors
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.access import SignedIn
from app.attachments import routes as attachments_routes
from app.audit import api as audit_api
from app.auth import api as auth_api
from app.auth import routes as auth_routes
from app.cases import api as cases_api
from app.cases import routes as cases_routes
from app.config import ROOT, Settings, get_settings
from app.db import make_engine, make_session_factory
from app.deps import ANON_CSRF_COOKIE, NotSignedIn
from app.engine.library import Library
from app.engine.loader import load_library
from app.errors import DomainError, ErrorBody, conform, problem, snake
from app.limits import BodyLimit
from app.meetings import api as meetings_api
from app.meetings import routes as meetings_routes
from app.pages import routes as pages
from app.people import api as people_api
from app.people import routes as people_routes
from app.printing import job_routes, reply_routes
from app.printing import routes as printing_routes
from app.printing.worker import PrintPool
from app.records import api as records_api
from app.records import routes as records_routes
from app.returns import annex_a_routes
from app.returns import routes as returns_routes
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
REQUEST_ID_HEADER = "X-Request-Id"
# An id from the load balancer is kept when it is plainly an id (it goes into the log line).
UPSTREAM_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
logger = logging.getLogger(__name__)
ROOT_PREFIX = f"{ROOT}/"
APP_FOLDER = f"{ROOT / 'app'}/"

# What an error means, in the OpenAPI schema; every one answers an ErrorBody.
DESCRIPTIONS = {
    400: "The body cannot be read (not UTF-8 JSON), or the request cannot be done as asked",
    401: "Not signed in, or the username and password were not right",
    403: "Not allowed for this user, or the form has expired",
    404: "Not found, or not this user's to see",
    409: "Conflicts with what is saved now: a newer save, or the record's status",
    413: "The request body is over the size limit",
    422: "A field is missing or not valid",
    429: "Too many attempts: wait and try again",
    503: "The database cannot be reached or written to just now: try again",
}
# Every JSON route can be refused these: unreadable, signed out, not allowed, too big, not valid,
# database down.
COMMON_ANSWERS = (400, 401, 403, 413, 422, 503)
# What each JSON router answers besides the common ones (its services' DomainErrors).
ROUTER_ANSWERS: dict[ModuleType, tuple[int, ...]] = {
    auth_api: (404, 429),
    people_api: (404, 409),
    cases_api: (404, 409),
    records_api: (404, 409),
    audit_api: (404,),
    meetings_api: (404, 409),
}
ROUTERS = (
    auth_routes,
    auth_api,
    pages,
    people_api,
    people_routes,
    cases_api,
    cases_routes,
    records_api,
    records_routes,
    printing_routes,
    reply_routes,
    job_routes,
    attachments_routes,
    audit_api,
    meetings_api,
    meetings_routes,
    annex_a_routes,
    returns_routes,
)


def documented(codes: Sequence[int]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for these status codes, each with the one error body."""
    return {code: {"model": ErrorBody, "description": DESCRIPTIONS[code]} for code in codes}


@asynccontextmanager
async def _print_workers(app: FastAPI) -> AsyncIterator[None]:
    """Start the print workers with the app: they make any print queued before a restart, and
    the first print asked for does not wait for a process to start."""
    app.state.print_pool.wake()
    yield
    app.state.print_pool.shutdown()


def create_app(settings: Settings | None = None, library: Library | None = None) -> FastAPI:
    """The web app; `library` is the loaded exemplars (loaded from settings when not given)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="ICS exemplar engine",
        version="0.1.0",
        docs_url=None,  # served below, to signed-in users only
        openapi_url=None,
        redoc_url=None,
        responses=documented(COMMON_ANSWERS),
        lifespan=_print_workers,
    )
    engine = make_engine(settings.database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    # Search reads here when a replica is set; nothing is ever written through it.
    replica = settings.database_replica_url
    app.state.replica_session_factory = (
        make_session_factory(make_engine(replica)) if replica else None
    )
    app.state.templates = make_templates()
    app.state.library = library or load_library(settings.exemplars_dir)
    # Prints queued on the pages are made by worker processes (started on first use), never here.
    app.state.print_pool = PrintPool(
        database_url=settings.database_url,
        exemplars_dir=settings.exemplars_dir,
        workers=settings.print_workers,
    )
    _mount_static(app)
    _add_middleware(app)
    _add_error_handlers(app)
    app.include_router(_docs_router(app))
    for module in ROUTERS:
        app.include_router(module.router, responses=documented(ROUTER_ANSWERS.get(module, ())))
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
    # Added first, so it runs inside `Security`: the refusal is an error page with its headers.
    settings = app.state.settings
    uploads = (
        attachments_routes.UPLOAD_PATHS,
        settings.max_attachment_bytes + attachments_routes.FORM_ROOM,
    )
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes, refuse=_http_error, larger=uploads)
    app.add_middleware(Security, cookie_secure=settings.cookie_secure)


class Security:
    """Pure ASGI middleware: a request id, CSRF and CSP values for the request, the security
    headers on every answer, and a page or JSON (never a stack trace) when nothing handled an
    error. Not Starlette's BaseHTTPMiddleware: that runs the app in a task of its own and
    streams the answer through a queue, which cost every save more than the route's own work."""

    def __init__(self, app: ASGIApp, *, cookie_secure: bool) -> None:
        self.app = app
        self.cookie_secure = cookie_secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)  # its state lives in the scope, shared with the routes
        anon = _prepare(request)
        started = False

        async def secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                _secure(headers, request)
                if anon is None:
                    headers.append("set-cookie", self._anon_cookie(request.state.anon_csrf))
            await send(message)

        try:
            await self.app(scope, receive, secured)
        except Exception as exc:  # no handler took it: a page or JSON, never a stack trace
            if started:  # the answer is half sent: nothing better can be said
                raise
            await _server_error(request, exc)(scope, receive, secured)

    def _anon_cookie(self, value: str) -> str:
        """The Set-Cookie value for the anonymous CSRF token, as Starlette words one."""
        carrier = Response()
        carrier.set_cookie(
            ANON_CSRF_COOKIE, value, httponly=True, samesite="strict", secure=self.cookie_secure
        )
        return carrier.headers["set-cookie"]


def _prepare(request: Request) -> str | None:
    """Set up what every request carries; returns the anonymous CSRF cookie, if it came."""
    given = request.headers.get(REQUEST_ID_HEADER, "")
    request.state.request_id = (
        given if UPSTREAM_REQUEST_ID.fullmatch(given) else secrets.token_hex(8)
    )
    # A CSRF token for forms shown before sign-in (double-submit cookie).
    anon = request.cookies.get(ANON_CSRF_COOKIE)
    request.state.anon_csrf = anon or secrets.token_urlsafe(32)
    request.state.user_session = None
    request.state.csp_nonce = secrets.token_urlsafe(16)
    return anon


def _secure(headers: MutableHeaders, request: Request) -> None:
    for name, value in SECURITY_HEADERS.items():
        headers.setdefault(name, value)
    headers.setdefault("Content-Security-Policy", CSP.format(nonce=request.state.csp_nonce))
    headers[REQUEST_ID_HEADER] = request.state.request_id


TITLES = {
    400: "There is a problem",
    403: "You do not have access to this",
    404: "Page not found",
    405: "Page not found",
    409: "This cannot be done now",
    413: "This is too large to send",
    422: "There is a problem with what was sent",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
    503: "Sorry, the service is unavailable",
}
# Starlette's own refusals carry only the status phrase ("Not Found"); a person gets these words.
PLAIN_WORDS = {
    404: "If you typed the web address, check it is correct. If you pasted it, check you copied "
    "the entire address.",
    405: "If you typed the web address, check it is correct.",
}
SERVER_ERROR = "Something went wrong on our side. Try again later."
UNAVAILABLE = "The case records cannot be reached or saved just now. Try again in a few minutes."
EXPIRED = "The form has expired"  # how app.deps words a CSRF failure
EXPIRED_WORDS = (
    "Forms stop working when the page has been open a long time or you have signed in again "
    "since. Nothing was saved from it."
)
# The section forms the autosave script copies into the browser as the worker types: a failed
# save there loses nothing, and the page says so.
KEPT_IN_BROWSER = re.compile(r"/records/\d+/sections/[^/]+")
# Database failures by kind (the most specific first): what to answer, and the body's type.
DATABASE_ANSWERS: tuple[tuple[type[Exception], int, str], ...] = (
    (
        db_errors.IntegrityError,
        409,
        "This conflicts with something already saved. Reload the page.",
    ),
    (db_errors.DataError, 422, "A value sent cannot be stored. Check what was entered."),
    (db_errors.DBAPIError, 503, UNAVAILABLE),
    (db_errors.TimeoutError, 503, UNAVAILABLE),  # no free connection in the pool
    (db_errors.DisconnectionError, 503, UNAVAILABLE),
)


def _wants_page(request: Request) -> bool:
    """A person in a browser (a page), rather than a program (JSON)."""
    accepts = request.headers.get("accept", "")
    return not request.url.path.startswith("/api/") and "text/html" in accepts


def _answer(
    request: Request,
    status: int,
    problems: list[dict[str, Any]],
    message: str,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """An error as a GOV.UK-style page for a person, or an ErrorBody for a program."""
    if not _wants_page(request):
        return JSONResponse({"detail": problems}, status_code=status, headers=headers)
    expired = status == 403 and message.startswith(EXPIRED)
    context = {
        "title": "This form has expired" if expired else TITLES.get(status, "There is a problem"),
        "message": EXPIRED_WORDS if expired else message,
        "kept": request.method == "POST" and bool(KEPT_IN_BROWSER.fullmatch(request.url.path)),
        "back": _back(request),
        "expired": expired,
        "reference": request.state.request_id,
    }
    page = render(request, "error.html", context, status_code=status)
    page.headers.update(headers or {})
    return page


def _back(request: Request) -> str | None:
    """The page a failed form came from (our own pages only), to go back to and try again."""
    if request.method in ("GET", "HEAD"):
        return None
    came_from = urlsplit(request.headers.get("referer", ""))
    if came_from.netloc != request.url.netloc or not came_from.path.startswith("/"):
        return None
    return came_from.path + (f"?{came_from.query}" if came_from.query else "")


def _log(request: Request, what: str, exc: BaseException) -> None:
    """The class, where it was raised and the request id: never a value, which may be personal."""
    route = getattr(request.scope.get("route"), "path", "-")
    logger.error(
        "%s %s %s %s at %s (request %s)",
        what,
        type(exc).__name__,
        request.method,
        route,
        _where(exc),
        request.state.request_id,
    )


def _where(exc: BaseException) -> str:
    """Our own frames the error passed through, innermost first (a library's say little)."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if f.filename.startswith(APP_FOLDER)] or frames[-1:]
    return " < ".join(f"{f.filename.removeprefix(ROOT_PREFIX)}:{f.lineno}" for f in ours[::-1][:4])


def _server_error(request: Request, exc: Exception) -> Response:
    _log(request, "server error", exc)
    problems = [problem("body", SERVER_ERROR, type="server_error", loc=[])]
    return _answer(request, 500, problems, SERVER_ERROR)


async def _http_error(request: Request, exc: HTTPException) -> Response:
    """Starlette's and FastAPI's own refusals (401, 403 form expired, 404 no route, 405, 413)."""
    status = HTTPStatus(exc.status_code)
    kind = status.name.lower()  # "unauthorized", "not_found"…
    if isinstance(exc.detail, list):
        problems = [conform(entry, type=kind) for entry in exc.detail]
    else:
        problems = [problem("body", str(exc.detail), type=kind, loc=[])]
    message = problems[0]["message"] if problems else status.phrase
    if message == status.phrase:
        message = PLAIN_WORDS.get(exc.status_code, message)
    return _answer(request, exc.status_code, problems, message, exc.headers)


async def _database_error(request: Request, exc: Exception) -> Response:
    status, message = next(
        (status, message) for kind, status, message in DATABASE_ANSWERS if isinstance(exc, kind)
    )
    _log(request, "database error", exc)
    problems = [problem("body", message, type=snake(type(exc).__name__), loc=[])]
    return _answer(request, status, problems, message)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def answer(request: Request, exc: DomainError) -> Response:
        problems = [conform(entry, type=exc.kind) for entry in exc.detail()]
        return _answer(request, exc.status_code, problems, exc.message)

    @app.exception_handler(NotSignedIn)
    async def to_sign_in(request: Request, _exc: NotSignedIn) -> Response:
        return RedirectResponse(f"/sign-in?next={quote(request.url.path)}", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def name_the_field(request: Request, exc: RequestValidationError) -> Response:
        problems = [_field_error(e) for e in exc.errors()]
        message = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        return _answer(request, 422, problems, message)

    app.exception_handler(HTTPException)(_http_error)
    for kind, _status, _message in DATABASE_ANSWERS:
        app.exception_handler(kind)(_database_error)


def _field_error(error: dict[str, Any]) -> dict[str, Any]:
    """One validation problem, with the field named plainly ("date_of_birth", "members.0.role")."""
    location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
    message = str(error.get("msg", "Invalid value")).removeprefix("Value error, ")
    return {
        **problem(".".join(location) or "body", message, type=str(error.get("type", "invalid"))),
        "msg": str(error.get("msg", message)),
        "loc": list(error.get("loc", ())),
    }
