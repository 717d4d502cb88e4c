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
    # Each: name, role, wording (parent, child, professional), address, email, and where from.
    invitees: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    # Who chairs it: the sender of its letters (the allocated worker when nobody is named).
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    minutes: Mapped[str | None] = mapped_column(Text)  # the newest of meeting_minutes, to read
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


class MeetingMinutes(Base):
    """Each version of the minutes and the attendance, kept: the newest counts."""

    __tablename__ = "meeting_minutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    minutes: Mapped[str] = mapped_column(Text)
    # One entry per invitee, in the invitees' order: attended, remote, report_only, apologies.
    attendance: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    written_at: Mapped[datetime] = mapped_column(default=utcnow)
