"""Users, teams and server-side sign-in sessions."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, str_enum, utcnow


class Role(enum.StrEnum):
    SOCIAL_WORKER = "social_worker"
    TEAM_MANAGER = "team_manager"
    BUSINESS_SUPPORT = "business_support"
    CONFERENCE_CHAIR = "conference_chair"
    # A care leaver's personal adviser (Children (Leaving Care) Act 2000): writes the pathway plan.
    PERSONAL_ADVISER = "personal_adviser"
    AUDITOR = "auditor"
    SYSTEM_ADMIN = "system_admin"
    DATA_MANAGER = "data_manager"  # statutory returns: exports across every case, reads no record

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(default=True)
    # Loaded by the demo with a published password: refused at sign-in in production.
    demo: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The witness's profile, printed on every court statement they make (SWET front matter).
    job_title: Mapped[str | None] = mapped_column(String(200))
    employer: Mapped[str | None] = mapped_column(String(200))
    work_address: Mapped[str | None] = mapped_column(Text)
    qualifications: Mapped[str | None] = mapped_column(Text)
    registration_number: Mapped[str | None] = mapped_column(String(20))  # Social Work England
    # How a family or a professional reaches the sender of a letter (meeting invitations).
    work_phone: Mapped[str | None] = mapped_column(String(50))
    work_email: Mapped[str | None] = mapped_column(String(200))

    team: Mapped[Team | None] = relationship(lazy="joined")


class UserSession(Base):
    """A signed-in browser or API client; the cookie holds only the opaque token."""

    __tablename__ = "user_sessions"

    # SHA-256 of the cookie token: a stolen database does not yield live cookies.
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")


class SignInFailure(Base):
    """One wrong password from one address, kept for an hour so that guessing can be slowed.

    In the database rather than in memory, so that every app process counts the same failures.
    """

    __tablename__ = "sign_in_failures"
    __table_args__ = (Index("ix_sign_in_failures_client_account", "client", "account", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    client: Mapped[str] = mapped_column(String(100))
    # A keyed digest of the username as typed, known or not: people type passwords there.
    account: Mapped[str] = mapped_column(String(64))
