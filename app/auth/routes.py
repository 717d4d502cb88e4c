"""Sign-in and sign-out pages, and your profile (what your court statements say about you)."""

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from app.access import PUBLIC, PageSignedIn
from app.auth import service
from app.auth.models import User
from app.auth.schemas import ProfileChange
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

router = APIRouter(include_in_schema=False)  # each route declares its access: some are public


def _safe_next(next_url: str | None) -> str:
    # Only local paths: never let a crafted link bounce a signed-in worker to another site.
    if next_url and next_url.startswith("/") and not next_url.startswith("//"):
        return next_url
    return "/"


def landing(user: User) -> str:
    """Where a user starts: the team view for whoever allocates the team's cases (the table
    says who), their own work for everyone else."""
    return "/team" if allowed(user=user, action=Action.ALLOCATE, case=None) else "/caseload"


@router.get("/", dependencies=[PUBLIC])
def home(row: OptionalSession) -> Response:
    return RedirectResponse(landing(row.user) if row else "/sign-in", status_code=303)


@router.get("/sign-in", dependencies=[PUBLIC])
def sign_in_page(request: Request, next: str | None = None, expired: bool = False) -> Response:
    context = {"title": "Sign in", "next_url": _safe_next(next), "username": "", "expired": expired}
    return render(request, "auth/sign_in.html", context)


@router.post("/sign-in", dependencies=[PUBLIC, CsrfChecked])
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


@router.post("/sign-out", dependencies=[PUBLIC, CsrfChecked])
def sign_out(request: Request, db: SessionDep, settings: SettingsDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        service.end_session(session=db, token=token)
        db.commit()
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, secure=settings.cookie_secure)
    return response


# Your profile: what your court statements say about you.
PROFILE_LABELS = {
    "full_name": "Full name",
    "job_title": "Role (job title)",
    "employer": "Employer",
    "work_address": "Work address",
    "qualifications": "Qualifications",
    "registration_number": "Social Work England registration number",
    "work_phone": "Work phone",
    "work_email": "Work email",
}


def _profile_page(
    request: Request, user: User, values: dict[str, str | None], errors: dict[str, str]
) -> dict[str, object]:
    return {
        "title": "Your profile",
        "active_nav": "profile",
        "values": values,
        "errors": errors,
        "labels": PROFILE_LABELS,
        "missing": service.missing_from_profile(user),
        "saved": request.query_params.get("saved") == "1",
    }


@router.get("/profile")
def profile_page(request: Request, user: PageSignedIn) -> Response:
    values = {name: getattr(user, name) for name in PROFILE_LABELS}
    return render(request, "auth/profile.html", _profile_page(request, user, values, {}))


@router.post("/profile", dependencies=[CsrfChecked])
def save_profile(
    request: Request,
    db: SessionDep,
    user: PageSignedIn,
    full_name: Annotated[str, Form()] = "",
    job_title: Annotated[str, Form()] = "",
    employer: Annotated[str, Form()] = "",
    work_address: Annotated[str, Form()] = "",
    qualifications: Annotated[str, Form()] = "",
    registration_number: Annotated[str, Form()] = "",
    work_phone: Annotated[str, Form()] = "",
    work_email: Annotated[str, Form()] = "",
) -> Response:
    """What your court statements say about you: a wrong value is shown back, naming the field."""
    values: dict[str, str | None] = {
        "full_name": full_name,
        "job_title": job_title,
        "employer": employer,
        "work_address": work_address,
        "qualifications": qualifications,
        "registration_number": registration_number,
        "work_phone": work_phone,
        "work_email": work_email,
    }
    try:
        change = ProfileChange.model_validate(values)
    except ValidationError as refused:
        errors = {str(e["loc"][0]): _profile_error(str(e["loc"][0])) for e in refused.errors()}
        context = _profile_page(request, user, values, errors)
        return render(request, "auth/profile.html", context, status_code=400)
    service.update_profile(session=db, actor=user, user=user, changes=change.model_dump())
    db.commit()
    return RedirectResponse("/profile?saved=1", status_code=303)


def _profile_error(name: str) -> str:
    if name == "registration_number":
        return "Enter a Social Work England registration number like SW123456"
    if name == "full_name":
        return "Enter your full name"
    if name == "work_phone":
        return "Enter a phone number in digits, like 01632 960 001"
    if name == "work_email":
        return "Enter an email address like name@council.gov.uk"
    return f"{PROFILE_LABELS.get(name, name)} is too long"
