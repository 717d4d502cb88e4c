"""The council's involvement with a child: the case, its history, who may see a restricted one."""

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Team, User
from app.db import Base, str_enum, utcnow
from app.people.models import Authored, Person


class CaseStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    REOPENED = "reopened"


class Case(Authored, Base):
    """The council's involvement with one child."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_number: Mapped[str] = mapped_column(String(30), unique=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("people.id"), unique=True)
    allocated_worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    legal_status: Mapped[str] = mapped_column(String(50), default="cin")
    status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus), default=CaseStatus.OPEN)
    restricted: Mapped[bool] = mapped_column(default=False)
    opened_on: Mapped[date]
    closed_on: Mapped[date | None]

    child: Mapped[Person] = relationship(lazy="joined")
    allocated_worker: Mapped[User | None] = relationship(
        foreign_keys=[allocated_worker_id], lazy="joined"
    )
    team: Mapped[Team | None] = relationship(lazy="joined")


class CaseAccess(Base):
    """A person named on a restricted case: only they (within their role) may see it."""

    __tablename__ = "case_access"
    __table_args__ = (UniqueConstraint("case_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseEvent(Base):
    """History of a case: opened, allocated, legal status changed, closed, reopened."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CareEvent(Base):
    """One event of a child's time looked after: becoming looked after (with the first placement),
    a legal status, a placement or move, or the end of care. Never changed: a correction is a new
    event naming the one it corrects, and the SSDA903 episodes are worked out from the events."""

    __tablename__ = "care_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # start, legal_status, placement, ceased
    on: Mapped[date]
    legal_status: Mapped[str | None] = mapped_column(String(4))  # SSDA903 LS
    category_of_need: Mapped[str | None] = mapped_column(String(4))  # SSDA903 CIN, at the start
    carer_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    placement_type: Mapped[str | None] = mapped_column(String(4))  # SSDA903 PLACE
    provider: Mapped[str | None] = mapped_column(String(4))  # SSDA903 PLACE_PROVIDER
    postcode: Mapped[str | None] = mapped_column(String(10))  # SSDA903 PL_POST
    urn: Mapped[str | None] = mapped_column(String(10))  # the provider's Ofsted URN
    home_postcode: Mapped[str | None] = mapped_column(String(10))  # SSDA903 HOME_POST, at the start
    upn: Mapped[str | None] = mapped_column(String(13))  # unique pupil number, or UN1-UN5
    reason_place_change: Mapped[str | None] = mapped_column(String(10))
    reason_ceased: Mapped[str | None] = mapped_column(String(4))  # SSDA903 REC
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("care_events.id"), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    carer: Mapped[Person | None] = relationship(lazy="joined")
    recorded_by: Mapped[User | None] = relationship(lazy="joined")
