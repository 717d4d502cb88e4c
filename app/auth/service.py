"""Passwords, sign-in sessions and CSRF tokens. Nothing here logs personal data."""

import hashlib
import secrets
from datetime import timedelta

from pwdlib import PasswordHash
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.models import AuditEvent
from app.auth.models import Role, Team, User, UserSession
from app.db import utcnow
from app.errors import DomainError

_hasher = PasswordHash.recommended()  # argon2id
# Verifying against this when the user is unknown keeps sign-in timing the same either way.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
TOUCH_EVERY = timedelta(seconds=30)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)


class TooManyAttempts(DomainError):
    status_code = 429


def authenticate(*, session: Session, username: str, password: str) -> User | None:
    """Return the active user whose password matches, else None; every attempt is audited.

    After five wrong passwords for one account within 15 minutes, even the right one is refused
    until the window has passed, which makes guessing slow without locking anyone out for long.
    """
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None or not user.active:
        _hasher.verify(password, _DUMMY_HASH)  # the same time taken, whether or not they exist
        return None
    if _recent_failures(session, user) >= MAX_FAILURES:
        _attempt(session, user, "sign_in.refused")
        raise TooManyAttempts(
            "Too many attempts to sign in. Wait 15 minutes and try again.", field="username"
        )
    if not _hasher.verify(password, user.password_hash):
        _attempt(session, user, "sign_in.failed")
        return None
    _attempt(session, user, "sign_in")
    return user


def _attempt(session: Session, user: User, action: str) -> None:
    allowed = action == "sign_in"
    audit.record(
        session=session,
        actor=user if allowed else None,
        action=action,
        target_type="user",
        target_id=user.id,
        allowed=allowed,
    )
    session.commit()  # a failed attempt must count even though the request fails


def _recent_failures(session: Session, user: User) -> int:
    since = utcnow() - FAILURE_WINDOW
    query = select(func.count(AuditEvent.id)).where(
        AuditEvent.target_type == "user",
        AuditEvent.target_id == user.id,
        AuditEvent.action == "sign_in.failed",
        AuditEvent.at >= since,
    )
    return int(session.scalar(query) or 0)


def create_user(
    *,
    session: Session,
    username: str,
    full_name: str,
    role: Role,
    password: str,
    team: Team | None = None,
) -> User:
    """Add a user with an argon2 password hash."""
    user = User(
        username=username.strip().lower(),
        full_name=full_name,
        role=role,
        team=team,
        password_hash=hash_password(password),
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
    """The live session for a token, touched; None if unknown, revoked, idle or too old."""
    row = session.get(UserSession, _digest(token))
    now = utcnow()
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    if now - row.last_seen_at > idle or now - row.created_at > absolute:
        return None
    if now - row.last_seen_at > TOUCH_EVERY:  # not a write on every request
        row.last_seen_at = now
    return row


def end_session(*, session: Session, token: str) -> None:
    row = session.get(UserSession, _digest(token))
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()


def csrf_matches(expected: str, given: str | None) -> bool:
    return given is not None and secrets.compare_digest(expected, given)


def change_password(
    *, session: Session, user: User, current: str, new: str, keep_token: str | None
) -> int:
    """Set a new password and sign out every other session of this user; returns how many."""
    if not _hasher.verify(current, user.password_hash):
        audit.record(
            session=session,
            actor=user,
            action="password.change_refused",
            target_type="user",
            target_id=user.id,
            allowed=False,
        )
        session.commit()
        raise DomainError("Your current password is not right.", field="current_password")
    if len(new) < 12:
        raise DomainError("Choose a new password of at least 12 characters.", field="new_password")
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
        action="password.change",
        target_type="user",
        target_id=user.id,
        detail={"sessions_ended": len(ended)},
    )
    return len(ended)
