"""Sign-in and sign-out pages."""

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from app.access import PUBLIC
from app.auth import service
from app.auth.models import User
from app.cases.policy import Action, allowed
from app.deps import (
    SESSION_COOKIE,
    ClientAddress,
    CsrfChecked,
    OptionalSession,
    SessionDep,
    SettingsDep,
)
from app.templating import render

router = APIRouter(include_in_schema=False, dependencies=[PUBLIC])


def _safe_next(next_url: str | None) -> str:
    # Only local paths: never let a crafted link bounce a signed-in worker to another site.
    if next_url and next_url.startswith("/") and not next_url.startswith("//"):
        return next_url
    return "/"


def landing(user: User) -> str:
    """Where a user starts: the team view for whoever allocates the team's cases (the table
    says who), their own work for everyone else."""
    return "/team" if allowed(user=user, action=Action.ALLOCATE, case=None) else "/caseload"


@router.get("/")
def home(row: OptionalSession) -> Response:
    return RedirectResponse(landing(row.user) if row else "/sign-in", status_code=303)


@router.get("/sign-in")
def sign_in_page(request: Request, next: str | None = None, expired: bool = False) -> Response:
    context = {"title": "Sign in", "next_url": _safe_next(next), "username": "", "expired": expired}
    return render(request, "auth/sign_in.html", context)


@router.post("/sign-in", dependencies=[CsrfChecked])
def sign_in(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    client: ClientAddress,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    error, status = "Enter a correct username and password", 400
    try:
        user = service.authenticate(
            session=db,
            username=username,
            password=password,
            client=client,
            refuse_demo=settings.production,
        )
    except service.TooManyAttempts as refused:
        user, error, status = None, refused.message, refused.status_code
    db.commit()  # a failed attempt is kept: it counts towards the throttle
    if user is None:
        context = {
            "title": "Sign in",
            "next_url": _safe_next(next),
            "username": username,
            "error": error,
        }
        return render(request, "auth/sign_in.html", context, status_code=status)
    token, _ = service.start_session(session=db, user=user)
    db.commit()
    target = _safe_next(next)
    response = RedirectResponse(landing(user) if target == "/" else target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="lax", secure=settings.cookie_secure
    )
    return response


@router.post("/sign-out", dependencies=[CsrfChecked])
def sign_out(request: Request, db: SessionDep, settings: SettingsDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        service.end_session(session=db, token=token)
        db.commit()
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, secure=settings.cookie_secure)
    return response
