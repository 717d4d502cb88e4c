"""Request dependencies shared by every domain: the database session, the signed-in user, CSRF."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request
from sqlalchemy.orm import Session

from app.auth import service as auth
from app.auth.models import Role, User, UserSession
from app.cases.policy import Action, Reach, reach
from app.config import Settings
from app.db import begin_writing, is_reading, reading_session
from app.engine.library import Library
from app.errors import Invalid

SESSION_COOKIE = "ics_session"
ANON_CSRF_COOKIE = "ics_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


# What is already in memory is given by `async def`: FastAPI runs a plain `def` dependency in a
# worker thread, a hop that costs more than the lookup itself.
async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# Rows a request keeps when it has succeeded: the audit events of what it read.
KEPT_AT_END = "kept_at_end"


def keep_at_end(session: Session, *rows: object) -> None:
    """Write `rows` when the request has answered without error (a read's audit events).

    A page or download reads in a transaction that takes no lock, so what it must write waits
    for the end and is written then, briefly, in a transaction of its own.
    """
    session.info.setdefault(KEPT_AT_END, []).extend(rows)


def get_db(request: Request) -> Iterator[Session]:
    factory = request.app.state.session_factory
    reads_only = request.method in SAFE_METHODS
    with reading_session(factory) if reads_only else factory() as session:
        try:
            yield session
            kept = session.info.pop(KEPT_AT_END, [])
            if kept:
                if is_reading(session):
                    begin_writing(session)
                session.add_all(kept)
                session.commit()
        finally:
            session.rollback()


SessionDep = Annotated[Session, Depends(get_db, scope="function")]


def get_replica(request: Request) -> Iterator[Session]:
    """A session that only reads, on the replica when one is set (DATABASE_REPLICA_URL), else on
    the primary. It never writes: a read's audit event goes to the primary through SessionDep."""
    factory = request.app.state.replica_session_factory or request.app.state.session_factory
    with reading_session(factory) as session:
        try:
            yield session
        finally:
            session.rollback()


ReplicaDep = Annotated[Session, Depends(get_replica, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


@dataclass(frozen=True)
class Viewer:
    """Who is looking, as templates need it (id, names, role), detached from the database."""

    id: int
    username: str
    full_name: str
    role: Role
    signs_off: bool  # the permission table gives them the sign-off queue (the navigation says so)
    leads_team: bool = False  # and the team view, to whoever allocates the team's cases
    arranges_meetings: bool = False  # and the team's meetings, to whoever arranges them
    makes_returns: bool = False  # and the statutory returns, to the data manager


async def client_address(request: Request) -> str:
    """Where the request came from, as sign-in throttling counts it.

    Behind a reverse proxy or load balancer this is the proxy's address, so every user would
    share one: run uvicorn with `--proxy-headers --forwarded-allow-ips=<the proxy's address>` so
    that it takes the client from X-Forwarded-For, and only from that proxy (anyone else can forge
    the header).
    """
    return request.client.host if request.client else "unknown"


ClientAddress = Annotated[str, Depends(client_address)]


class NotSignedIn(Exception):
    """Raised by page routes; the app turns it into a redirect to the sign-in page."""


def request_token(request: Request) -> tuple[str | None, bool]:
    """The session token and whether it came from a bearer header (no CSRF needed then)."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip(), True
    return request.cookies.get(SESSION_COOKIE), False


def optional_session(request: Request, db: SessionDep, settings: SettingsDep) -> UserSession | None:
    token, _ = request_token(request)
    if not token:
        return None
    row = auth.resolve_session(
        session=db,
        token=token,
        idle=timedelta(minutes=settings.session_idle_minutes),
        absolute=timedelta(hours=settings.session_absolute_hours),
    )
    if row is not None:
        if auth.touch_due(row):  # the idle clock moves on, in a short transaction of its own
            if is_reading(db):
                begin_writing(db)
            auth.touch(row)
            db.commit()
        request.state.user_session = row
        # Plain copies for templates: an error page renders after the database session has closed.
        user = row.user
        signs_off = reach(user, Action.APPROVE) > Reach.NONE
        leads = reach(user, Action.ALLOCATE) > Reach.NONE
        meets = reach(user, Action.MEETINGS) > Reach.NONE
        returns = reach(user, Action.EXPORT_RETURNS) > Reach.NONE
        request.state.viewer = Viewer(
            user.id, user.username, user.full_name, user.role, signs_off, leads, meets, returns
        )
        request.state.csrf = row.csrf_token
    return row


OptionalSession = Annotated[UserSession | None, Depends(optional_session)]


async def _submitted_csrf(request: Request) -> str | None:
    given = request.headers.get(CSRF_HEADER)
    if given is None and "form" in request.headers.get("content-type", ""):
        form = await request.form()  # Starlette caches it, so the route still sees the form
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    return given


async def _storable_form(request: Request) -> None:
    """No form field may carry what the database cannot store (a NUL): refused, field named."""
    for key, value in (await request.form()).multi_items():
        if isinstance(value, str) and "\x00" in value:
            raise Invalid("Remove the invisible NUL character from this answer.", field=key)


async def check_csrf(request: Request, row: OptionalSession) -> None:
    """Every unsafe request made with the cookie, and every form post, must carry a CSRF token.

    Bearer-token calls carry no ambient authority, and an anonymous JSON post cannot be forged
    cross-site without a CORS preflight, so those need none.
    """
    is_form = "form" in request.headers.get("content-type", "")
    if is_form and request.method not in SAFE_METHODS:
        await _storable_form(request)
    if request.method in SAFE_METHODS or request_token(request)[1] or (row is None and not is_form):
        return
    given = await _submitted_csrf(request)
    expected = row.csrf_token if row is not None else request.cookies.get(ANON_CSRF_COOKIE)
    if (
        row is None
        and request.url.path != "/sign-in"
        and not auth.csrf_matches(expected or "", given)
    ):
        # A form from a session that has since expired: sign in again (the page keeps the typing).
        raise NotSignedIn()
    if expected is None or not auth.csrf_matches(expected, given):
        raise HTTPException(status_code=403, detail="The form has expired. Reload the page.")


def api_user(row: OptionalSession) -> User:
    if row is None:
        raise HTTPException(status_code=401, detail="Sign in first.")
    return row.user


def page_user(row: OptionalSession) -> User:
    if row is None:
        raise NotSignedIn()
    return row.user


ApiUser = Annotated[User, Depends(api_user)]
PageUser = Annotated[User, Depends(page_user)]
CsrfChecked = Depends(check_csrf)


async def get_library(request: Request) -> Library:
    library: Library = request.app.state.library
    return library


# The exemplars loaded when the app started (a broken folder stops the start, with every error).
LibraryDep = Annotated[Library, Depends(get_library)]


# Ids fit a 32-bit integer column on both databases; anything else is a 422, never a 500.
MAX_ID = 2_147_483_647
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
