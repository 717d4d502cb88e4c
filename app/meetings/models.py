"""A meeting about one or more children: when, where, who is invited, and the minutes."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow


class Meeting(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(
        String(40)
    )  # cin_review, cp_conference, lac_review, core_group
    starts_at: Mapped[datetime]
    venue: Mapped[str] = mapped_column(String(300))
    invitees: Mapped[list[dict[str, Any]]] = mapped_column(default=list)  # name, role, address
    minutes: Mapped[str | None] = mapped_column(Text)
    minutes_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    children: Mapped[list["MeetingChild"]] = relationship(back_populates="meeting")


class MeetingChild(Base):
    """Each child discussed: the minutes are linked to every one of them."""

    __tablename__ = "meeting_children"
    __table_args__ = (UniqueConstraint("meeting_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)

    meeting: Mapped[Meeting] = relationship(back_populates="children")
