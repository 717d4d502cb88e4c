"""Every printout made, what it withheld, and whom it went to."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow


class Printout(Base):
    __tablename__ = "printouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A printout is of a record, or a meeting's invitation letter to one invitee (numbered from 1).
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id"), index=True)
    record_version: Mapped[int | None]
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    invitee: Mapped[int | None]
    audience: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(10), default="en")
    large_print: Mapped[bool] = mapped_column(default=False)
    finalised: Mapped[bool] = mapped_column(default=False)  # made from a frozen snapshot
    checksum: Mapped[str] = mapped_column(String(64))  # SHA-256 of the rendered HTML
    pages: Mapped[int]
    withheld: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    # A family copy is made for someone; what the worker released to them is kept with its note.
    recipient: Mapped[str | None] = mapped_column(String(200))
    released: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PrintoutDelivery(Base):
    """The distribution log: to whom, how and when a printout went."""

    __tablename__ = "printout_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    printout_id: Mapped[int] = mapped_column(ForeignKey("printouts.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(30))  # post, email, in person, court bundle
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
