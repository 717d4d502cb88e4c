"""Passwords, sign-in sessions and CSRF tokens. Nothing here logs personal data."""

import hashlib
import math
import secrets
from datetime import timedelta
from functools import cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.service import AuditAction
from app.auth import throttle
from app.auth.models import Role, Team, User, UserSession
from app.config import get_settings
from app.db import utcnow
from app.errors import DomainError, NotFound

TOUCH_EVERY = timedelta(seconds=30)


@cache
def hasher() -> PasswordHash:
    """argon2id as recommended; the test suite asks for a cheap argon2 (refused in production)."""
    if get_settings().fast_password_hash:
        return PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8, parallelism=1),))
    return PasswordHash.recommended()


@cache
def _dummy_hash() -> str:
    # Verifying against this when the user is unknown keeps sign-in timing the same either way.
    return hasher().hash("not-a-real-password")


def hash_password(password: str) -> str:
    return hasher().hash(password)


class TooManyAttempts(DomainError):
    status_code = 429


def authenticate(
    *, session: Session, username: str, password: str, client: str, refuse_demo: bool
) -> User | None:
    """Return the active user whose password matches, else None; every attempt is audited.

    Guessing from one address is slowed (see app.auth.throttle): a refused attempt raises
    TooManyAttempts, for a username that exists or not alike. With `refuse_demo` (production) a
    demo user is answered as if the password were wrong.
    """
    found = get_by_username(session=session, username=username)
    wait = throttle.wait_left(session=session, username=username, client=client)
    if wait:
        # No hashing once refused: a refused guesser costs no argon2 time, whoever they name.
        _attempt(session, found, AuditAction.SIGN_IN_THROTTLED, client)
        raise TooManyAttempts(_wait_message(wait), field="username")
    user = _verified(found, password)
    if user is None or (refuse_demo and user.demo):
        throttle.record_failure(session=session, username=username, client=client)
        action, reason = _failure(found, user)
        _attempt(session, found, action, client, reason=reason)
        return None
    throttle.forget(session=session, username=username, client=client)
    _attempt(session, user, AuditAction.SIGN_IN, client)
    return user


def _verified(found: User | None, password: str) -> User | None:
    """The user if they are active and the password is theirs, in the same time either way."""
    _dummy_hash()  # made once, before any answer is timed, whichever path comes first
    if found is None or not found.active:
        hasher().verify(password, _dummy_hash())  # the same hasher, so the same work as a user's
        return None
    return found if hasher().verify(password, found.password_hash) else None


def _failure(found: User | None, user: User | None) -> tuple[AuditAction, str | None]:
    if user is not None:  # the right password, but a demo user in production
        return AuditAction.SIGN_IN_REFUSED, "demo user in production"
    return AuditAction.SIGN_IN_FAILED, None if found else "unknown username"


def _wait_message(wait: timedelta) -> str:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many attempts from here. Wait {minutes} {unit} and try again."


def _attempt(
    session: Session,
    user: User | None,
    action: AuditAction,
    client: str,
    reason: str | None = None,
) -> None:
    """Every attempt is an event; the caller commits even when sign-in fails, so failures count.

    An unknown username is an event too (with no target), so that both take the same writes.
    """
    allowed = action == AuditAction.SIGN_IN
    detail = {"client": client} | ({"reason": reason} if reason else {})
    audit.record(
        session=session,
        actor=user if allowed else None,
        action=action,
        target_type="user",
        target_id=user.id if user else None,
        allowed=allowed,
        detail=detail,
    )


def create_user(
    *,
    session: Session,
    username: str,
    full_name: str,
    role: Role,
    password: str,
    team: Team | None = None,
    demo: bool = False,
) -> User:
    """Add a user with an argon2 password hash; `demo` marks one production must refuse."""
    user = User(
        username=username.strip().lower(),
        full_name=full_name,
        role=role,
        team=team,
        password_hash=hash_password(password),
        demo=demo,
    )
    session.add(user)
    session.flush()
    return user


def get_or_create_team(*, session: Session, name: str) -> Team:
    team = session.scalar(select(Team).where(Team.name == name))
    if team is None:
        team = Team(name=name)
        session.add(team)
        session.flush()
    return team


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(*, session: Session, user: User) -> tuple[str, UserSession]:
    """Open a server-side session; the returned token goes in the cookie, only its hash is kept."""
    token = secrets.token_urlsafe(32)
    row = UserSession(token_hash=_digest(token), user=user, csrf_token=secrets.token_urlsafe(32))
    session.add(row)
    session.flush()
    return token, row


def resolve_session(
    *, session: Session, token: str, idle: timedelta, absolute: timedelta
) -> UserSession | None:
    """The live session for a token; None if unknown, revoked, idle or too old."""
    row = session.get(UserSession, _digest(token))
    now = utcnow()
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    if now - row.last_seen_at > idle or now - row.created_at > absolute:
        return None
    return row


def touch_due(row: UserSession) -> bool:
    """Whether the idle clock should move on (not a write on every request)."""
    return utcnow() - row.last_seen_at > TOUCH_EVERY


def touch(row: UserSession) -> None:
    row.last_seen_at = utcnow()


def end_session(*, session: Session, token: str) -> None:
    row = session.get(UserSession, _digest(token))
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()


def csrf_matches(expected: str, given: str | None) -> bool:
    return given is not None and secrets.compare_digest(expected, given)


def change_password(
    *, session: Session, user: User, current: str, new: str, keep_token: str | None, client: str
) -> int:
    """Set a new password and sign out every other session of this user; returns how many.

    Wrong current passwords count with wrong sign-ins: a stolen session guesses no faster.
    """
    wait = throttle.wait_left(session=session, username=user.username, client=client)
    if wait:
        _password_refused(session, user, client, AuditAction.PASSWORD_CHANGE_THROTTLED)
        raise TooManyAttempts(_wait_message(wait), field="current_password")
    if not hasher().verify(current, user.password_hash):
        throttle.record_failure(session=session, username=user.username, client=client)
        _password_refused(session, user, client)
        raise DomainError("Your current password is not right.", field="current_password")
    if len(new) < 12:
        raise DomainError("Choose a new password of at least 12 characters.", field="new_password")
    throttle.forget(session=session, username=user.username, client=client)
    user.password_hash = hash_password(new)
    keep = _digest(keep_token) if keep_token else None
    live = session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    ).all()
    ended = [row for row in live if row.token_hash != keep]
    for row in ended:
        row.revoked_at = utcnow()
    audit.record(
        session=session,
        actor=user,
        action=AuditAction.PASSWORD_CHANGE,
        target_type="user",
        target_id=user.id,
        detail={"sessions_ended": len(ended)},
    )
    return len(ended)


def _password_refused(
    session: Session,
    user: User,
    client: str,
    action: AuditAction = AuditAction.PASSWORD_CHANGE_REFUSED,
) -> None:
    audit.record(
        session=session,
        actor=user,
        action=action,
        target_type="user",
        target_id=user.id,
        allowed=False,
        detail={"client": client},
    )


def names_of(*, session: Session, user_ids: set[int | None]) -> dict[int, str]:
    """Users' full names by id, for trails and histories."""
    wanted = [user_id for user_id in user_ids if user_id is not None]
    return {u.id: u.full_name for u in session.scalars(select(User).where(User.id.in_(wanted)))}


def get_by_username(*, session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username.strip().lower()))


def team_members(*, session: Session, team_id: int | None, role: Role) -> list[User]:
    """The active users of one role in a team, by name: who a case can be allocated to."""
    query = select(User).where(User.team_id == team_id, User.role == role, User.active.is_(True))
    return list(session.scalars(query.order_by(User.full_name, User.id)))


# What a court statement needs of its witness, in the words the front sheet uses for a gap.
PROFILE_FIELDS = {
    "job_title": "role",
    "employer": "employer",
    "work_address": "work address",
    "qualifications": "qualifications",
    "registration_number": "Social Work England registration number",
}


def missing_from_profile(user: User) -> list[str]:
    """What a court statement would have to leave blank about this witness."""
    return [words for name, words in PROFILE_FIELDS.items() if not getattr(user, name)]


def update_profile(
    *, session: Session, actor: User, user: User, changes: dict[str, str | None]
) -> User:
    """Change a witness's profile; the trail keeps each value before and after."""
    before = {name: getattr(user, name) for name in changes}
    for name, value in changes.items():
        if name == "full_name" and not value:
            continue  # a witness always has a name: blank leaves it as it was
        setattr(user, name, value or None)
    after = {name: getattr(user, name) for name in changes}
    audit.record(
        session=session,
        actor=actor,
        action=AuditAction.PROFILE_CHANGE,
        target_type="user",
        target_id=user.id,
        detail={"before": before, "after": after},
    )
    session.flush()
    return user


def get_user(*, session: Session, user_id: int) -> User:
    found = session.get(User, user_id)
    if found is None:
        raise NotFound(f"No user with id {user_id}.", field="user_id")
    return found
