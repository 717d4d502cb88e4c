"""Slow password guessing down by account *and* address, without letting anyone lock an account.

A failure counts against the pair (username as typed, client address) and against the address.
Past a few free failures each further one doubles the wait for that pair or address, up to 15
minutes. The owner at another address is never held up by someone else's guessing, and since
the count is kept for the username as typed, an unknown user is throttled exactly like a real one.
"""

import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from app.auth.models import SignInFailure
from app.config import get_settings
from app.db import utcnow

PAIR_FREE = 5  # wrong passwords for one username from one address before any wait
ADDRESS_FREE = 30  # from one address, whatever the usernames (an office may share one)
WINDOW = timedelta(hours=1)
FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(minutes=15)
MAX_DOUBLINGS = 4  # 1, 2, 4, 8, then 15 minutes


def account_key(username: str) -> str:
    secret = get_settings().secret_key.encode()
    return hmac.new(secret, username.strip().lower().encode(), hashlib.sha256).hexdigest()


def wait_left(*, session: Session, username: str, client: str) -> timedelta:
    """How long this address must wait before trying this username again (zero: go ahead)."""
    pair = SignInFailure.account == account_key(username)
    return max(
        _wait(_failures(session, client, pair), PAIR_FREE),
        _wait(_failures(session, client), ADDRESS_FREE),
    )


def record_failure(*, session: Session, username: str, client: str) -> None:
    """Count one wrong password; failures older than the window are dropped on the way."""
    session.execute(delete(SignInFailure).where(SignInFailure.at < utcnow() - WINDOW))
    session.add(SignInFailure(client=client, account=account_key(username)))
    session.flush()


def forget(*, session: Session, username: str, client: str) -> None:
    """The right password from this address: its earlier slips no longer count against it."""
    session.execute(
        delete(SignInFailure).where(
            SignInFailure.client == client, SignInFailure.account == account_key(username)
        )
    )


def _failures(
    session: Session, client: str, *where: ColumnElement[bool]
) -> tuple[int, datetime | None]:
    query = select(func.count(SignInFailure.id), func.max(SignInFailure.at)).where(
        SignInFailure.client == client, SignInFailure.at >= utcnow() - WINDOW, *where
    )
    count, last = session.execute(query).one()
    return int(count), last


def _wait(failures: tuple[int, datetime | None], free: int) -> timedelta:
    count, last = failures
    if count < free or last is None:
        return timedelta(0)
    doublings = min(count - free, MAX_DOUBLINGS)
    wait = min(FIRST_WAIT * (1 << doublings), LONGEST_WAIT)
    return max(last + wait - utcnow(), timedelta(0))
