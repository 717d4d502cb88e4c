"""JSON sign-in for API clients: a bearer token, or the cookie plus X-CSRF-Token."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Request, Response

from app.access import PUBLIC, Granted, SignedIn, Target, allow
from app.auth import service
from app.auth.models import User
from app.auth.schemas import (
    PasswordChange,
    ProfileChange,
    ProfileOut,
    SessionOut,
    SignIn,
    UserOut,
)
from app.cases.policy import Action
from app.deps import (
    SESSION_COOKIE,
    ClientAddress,
    CsrfChecked,
    Id,
    SessionDep,
    SettingsDep,
    request_token,
)

router = APIRouter(prefix="/api", tags=["sign-in"], dependencies=[CsrfChecked])


@router.post("/session", status_code=201, dependencies=[PUBLIC])
def create_session(
    body: SignIn, db: SessionDep, settings: SettingsDep, client: ClientAddress, response: Response
) -> SessionOut:
    try:
        user = service.authenticate(
            session=db,
            username=body.username,
            password=body.password,
            client=client,
            refuse_demo=settings.production,
        )
    finally:
        db.commit()  # a failed attempt is kept: it counts towards the throttle
    if user is None:
        raise HTTPException(status_code=401, detail="Enter a correct username and password.")
    token, row = service.start_session(session=db, user=user)
    db.commit()
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="lax", secure=settings.cookie_secure
    )
    return SessionOut(token=token, csrf_token=row.csrf_token, user=UserOut.model_validate(user))


@router.delete("/session", status_code=204)
def delete_session(
    request: Request, db: SessionDep, settings: SettingsDep, user: SignedIn
) -> Response:
    token, _ = request_token(request)
    if token:
        service.end_session(session=db, token=token)
        db.commit()
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, secure=settings.cookie_secure)
    return response


@router.get("/me")
def me(user: SignedIn) -> UserOut:
    return UserOut.model_validate(user)


@router.post("/me/password", status_code=204)
def change_password(
    body: PasswordChange, request: Request, db: SessionDep, client: ClientAddress, user: SignedIn
) -> Response:
    """New password; every other session of yours is signed out (this one stays)."""
    token, _ = request_token(request)
    try:
        service.change_password(
            session=db,
            user=user,
            current=body.current_password,
            new=body.new_password,
            keep_token=token,
            client=client,
        )
    finally:
        db.commit()  # a refused change is kept in the audit trail too
    return Response(status_code=204)


def _profile(user: User) -> ProfileOut:
    shown = {name: getattr(user, name) for name in ProfileOut.model_fields if name != "missing"}
    return ProfileOut.model_validate({**shown, "missing": service.missing_from_profile(user)})


@router.get("/me/profile")
def my_profile(user: SignedIn) -> ProfileOut:
    """What your court statements will say about you, and what they still lack."""
    return _profile(user)


@router.patch("/me/profile")
def change_my_profile(body: ProfileChange, db: SessionDep, user: SignedIn) -> ProfileOut:
    changes = body.model_dump(exclude_unset=True)
    service.update_profile(session=db, actor=user, user=user, changes=changes)
    db.commit()
    return _profile(user)


Administering = Annotated[Granted, allow(Action.ADMINISTER, Target.NO_CASE)]


@router.get("/users/{user_id}/profile")
def user_profile(user_id: Id, db: SessionDep, granted: Administering) -> ProfileOut:
    return _profile(service.get_user(session=db, user_id=user_id))


@router.patch("/users/{user_id}/profile")
def change_user_profile(
    user_id: Id, body: ProfileChange, db: SessionDep, granted: Administering
) -> ProfileOut:
    """An administrator corrects a witness's profile (the trail says who did)."""
    user = service.get_user(session=db, user_id=user_id)
    changes = body.model_dump(exclude_unset=True)
    service.update_profile(session=db, actor=granted.user, user=user, changes=changes)
    db.commit()
    return _profile(user)
